"""The one sign-in throttle for staff, operators and admins: failures of the password and of the
second-factor code count together, per username and per address (``shahrvand.ratelimit``, in the
cache). After ``LOGIN_FAILURE_LIMIT`` failures in ``LOGIN_FAILURE_WINDOW_SECONDS`` the username is
locked until the window ends or an admin lifts it (``services_power.user_unlock``); the address
gets a wider allowance, since an office shares one among many people."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shahrvand.ratelimit import Limit, client_ip, rate_limit_hit, rate_limit_peek, rate_limit_reset
from shahrvand.text import localize_digits

from .audit import Kind, signin_event

LOGIN_SCOPE = "staff-login"
LOCKED_MESSAGE = _(
    "Too many failed attempts. Try again in %(minutes)s minutes, or ask your "
    "district's ICT contact to check your account."
)


def _allowance(key: str) -> int:
    limit = settings.LOGIN_FAILURE_LIMIT
    return limit * 4 if key.startswith("ip:") else limit


def _user_key(username: str) -> str:
    return f"user:{(username or '').lower()}"


def _keys(request: HttpRequest | None, username: str) -> list[str]:
    keys = [_user_key(username)]
    if request is not None:
        keys.append(f"ip:{client_ip(request)}")
    return keys


def _account(username: str):
    return get_user_model().objects.filter(username=username).first() if username else None


def lockout_state(request: HttpRequest | None, username: str) -> Limit | None:
    """The refusing limit when this username (or address) is locked now, else None. Counts
    nothing; a refused attempt is recorded."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(request, username):
        state = rate_limit_peek(LOGIN_SCOPE, key, limit=_allowance(key), window=window)
        if not state.allowed:
            signin_event(
                Kind.REFUSED_LOCKED,
                request=request,
                user=_account(username),
                by="address" if key.startswith("ip:") else "username",
            )
            return state
    return None


def locked_message(state: Limit) -> str:
    return LOCKED_MESSAGE % {"minutes": localize_digits(state.retry_after_minutes)}


def lockout_failure(request: HttpRequest | None, username: str, *, kind: str, user=None) -> None:
    """One failure (``kind``: a wrong password or a wrong code) counted and recorded; the failure
    that reaches the limit records the lockout too."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    user = user if user is not None else _account(username)
    signin_event(kind, request=request, user=user)
    for key in _keys(request, username):
        limit = _allowance(key)
        state = rate_limit_hit(LOGIN_SCOPE, key, limit=limit, window=window)
        if state.count == limit:
            signin_event(
                Kind.LOCKED,
                request=request,
                user=user,
                by="address" if key.startswith("ip:") else "username",
                minutes=max(1, window // 60),
            )


def lockout_clear(username: str) -> None:
    """After a good password and code, or by an admin (``services_power.user_unlock``): the
    username's count starts again. The address's wider count runs out by itself."""
    rate_limit_reset(LOGIN_SCOPE, _user_key(username))


def is_locked(username: str) -> bool:
    """For the admin's list: is this username locked now? Records nothing."""
    key = _user_key(username)
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    return not rate_limit_peek(LOGIN_SCOPE, key, limit=_allowance(key), window=window).allowed
