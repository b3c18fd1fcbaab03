"""What stands between a session opened with a password (staff, kiosk clerks, office operators,
admins) and the pages, in this order: the session's time limits (idle and absolute), the second
factor (``STAFF_SECOND_FACTOR``), and a password someone else chose, which its owner changes before
they see any other page. A citizen signs in by a code sent by SMS and meets none of them: a
password set on their account by the ICT admin does not stop them."""

from __future__ import annotations

import copy
import time
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from shahrvand.compiled import one_row
from shahrvand.http import safe_next_url
from shahrvand.text import localize_digits

from . import access_stamp

# Set in the session when it was opened by a code sent by SMS rather than by a password.
SIGNED_IN_BY_CODE = "signed_in_by_code"
# A password session's clock: when it was opened and when it last served a request (epoch seconds).
SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# Where to go once the second factor is done.
SECOND_FACTOR_NEXT = "second_factor_next"
# The last-seen time is written again only after this many seconds (not a session write a request).
_SEEN_RESOLUTION = 60


def now() -> float:
    """The clock of the session limits (tests move it)."""
    return time.time()


def mark_signed_in_by_code(request: HttpRequest) -> None:
    """Call right after ``login()`` for a sign-in by SMS code."""
    request.session[SIGNED_IN_BY_CODE] = True


def mark_signed_in_by_password(request: HttpRequest) -> None:
    """Call right after ``login()`` for a sign-in by password (the same person signing in again
    keeps their session's data)."""
    request.session.pop(SIGNED_IN_BY_CODE, None)


def session_clock_start(sender, request=None, **kwargs) -> None:
    """On ``user_logged_in``: the session's time limits start now."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = int(now())


def signed_in_by_password(request: HttpRequest) -> bool:
    """A signed-in person whose session was opened with a password (staff, operators, admins)."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and not request.session.get(SIGNED_IN_BY_CODE, False)
    )


def second_factor_pending(request: HttpRequest) -> bool:
    """Must this person give their second factor before anything else? Only when the setting is
    on and the session was opened with a password, never an SMS code."""
    if not settings.STAFF_SECOND_FACTOR or not signed_in_by_password(request):
        return False
    is_verified = getattr(request.user, "is_verified", None)
    return not (is_verified and is_verified())


def _open_paths(*names: str) -> tuple[str, ...]:
    return (
        *(reverse(name) for name in names),
        reverse("accounts:logout"),
        reverse("admin:logout"),
        reverse("set_language"),
        settings.STATIC_URL,
        settings.MEDIA_URL,
    )


def _send_to(request: HttpRequest, target: str, *, with_next: bool = True) -> HttpResponse:
    """To ``target``: an htmx request is told to load it as a whole page."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    if with_next and request.method == "GET":
        target = f"{target}?{urlencode({'next': request.get_full_path()})}"
    return redirect(target)


def password_change_forced(request: HttpRequest) -> bool:
    """Must this person change their password before anything else? Only when someone else chose
    it and this session was opened with a password (staff, operators), never an SMS code."""
    return signed_in_by_password(request) and bool(
        getattr(request.user, "must_change_password", False)
    )


# The devices whose every write gives their person a new access stamp (triggers, migration
# accounts 0009): read at a stamp, such a device is the same row for as long as the stamp is current.
# Any other kind of device is read on every request.
STAMPED_DEVICES = ("otp_totp.totpdevice", "accounts.backupcodedevice")
# Devices read, by (database, person, stamp, device): the values of their columns, or None.
_DEVICES = access_stamp.KeptAtStamp()
_NOT_KEPT = object()
# The person whose second factor django-otp is reading, while it reads it.
_reader: ContextVar = ContextVar("second_factor_reader", default=None)


class SecondFactorDeviceMiddleware(OTPMiddleware):
    """django-otp's ``OTPMiddleware`` (``request.user.is_verified()``, ``user.otp_device``), which
    reads the device the session's second factor was passed with on every request: here with SQL
    built once per process (``shahrvand.compiled``), and not at all while the person's access stamp
    is one this process read the device at (``accounts.access_stamp``; a device's every write
    renews it). That the device is the user's and confirmed is still django-otp's check; a device
    that is gone, or a malformed id, is no device."""

    def _verify_user_sync(self, request, user):
        reading = _reader.set(user)
        try:
            return super()._verify_user_sync(request, user)
        finally:
            _reader.reset(reading)

    def _device_from_persistent_id(self, persistent_id: str):
        persistent_id = self._normalize_persistent_id(persistent_id)
        try:
            label, device_id = persistent_id.rsplit("/", 1)
            model = apps.get_model(label)
            device_id = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(model, Device):
            return None
        reader = _reader.get()
        if reader is None or model._meta.label_lower not in STAMPED_DEVICES:
            return one_row(model, "id", device_id)
        # The person was read first (django-otp asks whether they are signed in): a device read now
        # is the row at their stamp, or at a later one if it changed since, never an earlier one.
        alias, key = router.db_for_read(model), (model._meta.label_lower, device_id)
        kept = _DEVICES.get(alias, reader, key, missing=_NOT_KEPT)
        if kept is not _NOT_KEPT:
            return None if kept is None else _device_made(model, alias, kept)
        device = one_row(model, "id", device_id)
        if access_stamp.is_fresh(reader):
            values = None if device is None else _device_values(device)
            _DEVICES.put(alias, reader.pk, reader.access_stamp, key, values)
        return device


def _device_values(device) -> tuple:
    return tuple(getattr(device, field.attname) for field in device._meta.concrete_fields)


def _device_made(model, alias: str, values: tuple):
    """A device of its own for this request from the kept values (a list or dict copied, so that
    nothing this request does to it reaches the next one)."""
    return model.from_db(
        alias,
        [field.attname for field in model._meta.concrete_fields],
        [copy.deepcopy(v) if isinstance(v, (list, dict)) else v for v in values],
    )


# The pages a person who owes the second factor may still reach (with signing out, the language
# switch and static files, ``_open_paths``); one who must change their password reaches those and
# the change page: the second factor comes first.
SECOND_FACTOR_PAGES = ("accounts:second_factor", "accounts:second_factor_setup")
PASSWORD_CHANGE_PAGES = ("accounts:password_change", *SECOND_FACTOR_PAGES)


class _Gate:
    """A middleware that stops a session at one step until it is done, with the pages named by
    ``open_pages`` (URL names) still reachable."""

    open_pages: tuple[str, ...] = ()

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:  # reversed once the URLconf is loaded
            self._open_paths = _open_paths(*self.open_pages)
        return path.startswith(self._open_paths)


class PasswordChangeRequiredMiddleware(_Gate):
    """After AuthenticationMiddleware. Signing out, the change page itself and static files stay
    reachable; everything else sends the person to the change page (an htmx request is told to
    load it as a whole page)."""

    open_pages = PASSWORD_CHANGE_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if password_change_forced(request) and not self._is_open(request.path_info):
            return _send_to(request, reverse("accounts:password_change"))
        return self.get_response(request)


class SecondFactorRequiredMiddleware(_Gate):
    """After django-otp's OTPMiddleware, before PasswordChangeRequiredMiddleware: with
    ``STAFF_SECOND_FACTOR`` on, a session opened with a password reaches nothing but the
    second-factor pages (enrolment the first time, the code every time), signing out and static
    files until the code is right — the staff pages, the offices' and the admin included."""

    open_pages = SECOND_FACTOR_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request) and not self._is_open(request.path_info):
            # Only a page the person navigated to (not an image or a fragment) is where to return.
            navigated = "text/html" in request.headers.get("Accept", "")
            if request.method == "GET" and navigated and not request.headers.get("HX-Request"):
                next_url = safe_next_url(request, request.get_full_path())
                if next_url and next_url != "/":
                    request.session[SECOND_FACTOR_NEXT] = next_url
            return _send_to(request, reverse("accounts:second_factor"), with_next=False)
        return self.get_response(request)


class StaffSessionTimeoutMiddleware:
    """After AuthenticationMiddleware: a session opened with a password ends after
    ``SESSION_IDLE_SECONDS`` without a request, and ``SESSION_ABSOLUTE_SECONDS`` after the sign-in
    whatever happens. The person is signed out, told why, and sent to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if signed_in_by_password(request):
            ended = self._check(request)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        moment = int(now())
        signed_in_at = session.get(SIGNED_IN_AT)
        seen_at = session.get(SEEN_AT)
        if signed_in_at is None or seen_at is None:
            # A session from before these limits (or opened by other means): they start now.
            session[SIGNED_IN_AT] = session[SEEN_AT] = moment
            return None
        if moment - seen_at > settings.SESSION_IDLE_SECONDS:
            reason = "idle"
            message = _(
                "You were signed out after %(minutes)s minutes without activity. Sign in again."
            ) % {"minutes": localize_digits(settings.SESSION_IDLE_SECONDS // 60)}
        elif moment - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
            reason = "absolute"
            message = _(
                "You were signed out %(minutes)s minutes after signing in: a staff session lasts "
                "no longer. Sign in again."
            ) % {"minutes": localize_digits(settings.SESSION_ABSOLUTE_SECONDS // 60)}
        else:
            if moment - seen_at >= _SEEN_RESOLUTION:
                session[SEEN_AT] = moment
            return None
        from .audit import Kind, signin_event

        signin_event(Kind.SESSION_EXPIRED, request=request, user=request.user, reason=reason)
        logout(request)
        messages.info(request, message)
        return _send_to(request, reverse(settings.LOGIN_URL))
