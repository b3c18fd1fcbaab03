"""Citizen sign-in by SMS one-time code, and the citizen accounts it creates."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shahrvand.identifiers import mobile_is_canonical, national_id_is_valid
from shahrvand.ratelimit import rate_limit_hit, rate_limit_peek
from shahrvand.sms import sms_enqueue
from shahrvand.text import localize_digits

from .models import SignInCode

User = get_user_model()


class SignInRefused(Exception):
    def __init__(self, message, *, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _hash(attempt_id, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{attempt_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _send_limits(national_id: str, mobile: str, ip: str) -> list[tuple[str, str, int]]:
    per_number = settings.SIGNIN_SENDS_PER_MOBILE
    # An internet café or an office shares one address among many people: a wider allowance.
    return [
        ("signin-mobile", mobile, per_number),
        ("signin-national-id", national_id, per_number),
        ("signin-ip", ip, per_number * 10),
    ]


def _require_canonical(*, national_id: object, mobile: object) -> None:
    """Defence in depth behind the forms: a national ID and a mobile reach the accounts only as
    stored, ten and eleven ASCII digits. A full-width or Bengali variant of someone's ID would
    otherwise be another "person" (and, made NFKC as a username, squat on theirs)."""
    if not national_id_is_valid(national_id):
        raise ValidationError(
            _("This national ID is not valid. Check its ten digits."), code="national_id"
        )
    if not mobile_is_canonical(mobile):
        raise ValidationError(_("Enter a mobile number like 09123456789."), code="mobile")


def citizen_signin_start(*, national_id: str, mobile: str, ip: str | None) -> SignInCode:
    """Check the pair, then send a fresh 6-digit code. Refuses with the wait time when too many codes
    were asked for this number, this national ID or from this address."""
    try:
        _require_canonical(national_id=national_id, mobile=mobile)
    except ValidationError as error:
        raise SignInRefused(error.messages[0], code="invalid") from None
    existing = User.objects.filter(national_id=national_id).only("mobile").first()
    if existing and existing.mobile and existing.mobile != mobile:
        raise SignInRefused(
            # Not even part of the number: typing someone's national ID must not reveal it.
            _(
                "This national ID is registered with another mobile number. Sign in with that "
                "number, or visit a district help kiosk with your national ID card to change it."
            ),
            code="other_mobile",
        )
    window = settings.SIGNIN_SENDS_WINDOW_SECONDS
    limits = _send_limits(national_id, mobile, ip or "unknown")
    for scope, ident, limit in limits:
        state = rate_limit_peek(scope, ident, limit=limit, window=window)
        if not state.allowed:
            raise SignInRefused(
                _("Too many codes were requested. Please try again in %(minutes)s minutes.")
                % {"minutes": localize_digits(state.retry_after_minutes)},
                code="throttled",
            )
    for scope, ident, limit in limits:
        rate_limit_hit(scope, ident, limit=limit, window=window)

    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        attempt = SignInCode(
            national_id=national_id,
            mobile=mobile,
            expires_at=timezone.now() + timedelta(seconds=settings.SIGNIN_CODE_TTL_SECONDS),
            ip=ip,
        )
        attempt.code_hash = _hash(attempt.id, code)
        attempt.save()
        with translation.override("fa"):
            text = gettext(
                "Urmia municipality e-services\nYour sign-in code: %(code)s\n"
                "Valid for %(minutes)s minutes. Do not give it to anyone."
            ) % {
                "code": code,
                "minutes": localize_digits(settings.SIGNIN_CODE_TTL_SECONDS // 60),
            }
        # A code that reaches the phone after its validity is no use: expired, not sent late.
        sms_enqueue(to=mobile, text=text, expires_at=attempt.expires_at)
    return attempt


@dataclass(frozen=True)
class _Outcome:
    user: object | None = None
    refusal: SignInRefused | None = None


def citizen_signin_verify(*, attempt_id, code: str):
    """The citizen's account when the code is right; SignInRefused otherwise. A wrong try is counted
    (and committed) before the refusal is raised."""
    outcome = _verify(attempt_id, code)
    if outcome.refusal:
        raise outcome.refusal
    return outcome.user


@transaction.atomic
def _verify(attempt_id, code: str) -> _Outcome:
    attempt = SignInCode.objects.select_for_update().filter(pk=attempt_id).first()
    stale = SignInRefused(
        _("This code has expired or was already used. Ask for a new code."), code="expired"
    )
    if attempt is None or attempt.used_at or attempt.expires_at <= timezone.now():
        return _Outcome(refusal=stale)
    if attempt.tries >= settings.SIGNIN_CODE_MAX_TRIES:
        return _Outcome(
            refusal=SignInRefused(
                _("Too many wrong codes. Ask for a new code."), code="too_many_tries"
            )
        )
    if not hmac.compare_digest(attempt.code_hash, _hash(attempt.id, code)):
        attempt.tries += 1
        attempt.save(update_fields=["tries"])
        left = settings.SIGNIN_CODE_MAX_TRIES - attempt.tries
        if left <= 0:
            message = _("Too many wrong codes. Ask for a new code.")
        else:
            message = _("The code is not right. %(left)s tries left.") % {
                "left": localize_digits(left)
            }
        return _Outcome(refusal=SignInRefused(message, code="wrong_code"))
    attempt.used_at = timezone.now()
    attempt.save(update_fields=["used_at"])
    if not (national_id_is_valid(attempt.national_id) and mobile_is_canonical(attempt.mobile)):
        # An attempt stored before identifiers were checked this strictly: ask for a new code.
        return _Outcome(refusal=stale)
    return _Outcome(
        user=citizen_get_or_create(national_id=attempt.national_id, mobile=attempt.mobile)
    )


def citizen_get_or_create(
    *, national_id: str, mobile: str, first_name: str = "", last_name: str = ""
):
    """The citizen account for a national ID. The first verified (or in-person) mobile is bound to it;
    names fill in when they are known. Only canonical identifiers are taken (ValidationError
    otherwise)."""
    _require_canonical(national_id=national_id, mobile=mobile)
    user = User.objects.select_for_update().filter(national_id=national_id).first()
    if user is None:
        return _citizen_create(
            national_id=national_id, mobile=mobile, first_name=first_name, last_name=last_name
        )
    changed = False
    if not user.mobile:
        user.mobile, changed = mobile, True
    if first_name and not user.first_name:
        user.first_name, changed = first_name, True
    if last_name and not user.last_name:
        user.last_name, changed = last_name, True
    if changed:
        user.full_clean(exclude=["password"])
        user.save()
    return user


def _citizen_create(*, national_id: str, mobile: str, first_name: str, last_name: str):
    # The username is the national ID, unless an older account already holds that username (one
    # made from a look-alike of this ID before identifiers were checked strictly): the citizen then
    # gets a username of their own rather than being locked out.
    username = national_id
    if User.objects.filter(username=national_id).exists():
        username = f"{national_id}-{secrets.token_hex(4)}"
    user = User(
        username=username,
        national_id=national_id,
        mobile=mobile,
        first_name=first_name,
        last_name=last_name,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The same citizen's account was made at the same moment (two tabs, office and kiosk).
        return User.objects.select_for_update().get(national_id=national_id)
    return user


def signin_codes_purge() -> int:
    """Expired sign-in attempts are of no use after a day; keep the table small."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _details = SignInCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def citizen_mobile_change(*, actor, national_id: str, mobile: str, first_name="", last_name=""):
    """Bind a new mobile to a citizen's national ID (or create the account), after the kiosk clerk
    has seen the national ID card. Recorded with who did it; old sessions of the account end."""
    from .models import MobileChange

    _require_canonical(national_id=national_id, mobile=mobile)
    user = User.objects.select_for_update().filter(national_id=national_id).first()
    if user is None:
        user = citizen_get_or_create(
            national_id=national_id, mobile=mobile, first_name=first_name, last_name=last_name
        )
        MobileChange.objects.create(user=user, old_mobile="", new_mobile=mobile, changed_by=actor)
        return user
    if user.mobile == mobile:
        return user
    old = user.mobile
    user.mobile = mobile
    user.full_clean(exclude=["password"])
    # A fresh (still unusable) password changes the session hash: whoever was signed in with the
    # old number is signed out at their next request.
    user.set_unusable_password()
    user.save(update_fields=["mobile", "password"])
    MobileChange.objects.create(user=user, old_mobile=old, new_mobile=mobile, changed_by=actor)
    return user
