"""The second factor of everyone who signs in with a password (staff, kiosk clerks, office operators,
admins), when ``STAFF_SECOND_FACTOR`` is on: an authenticator app's code (TOTP, django-otp's
``TOTPDevice``) or one of ten single-use backup codes (``BackupCodeDevice``, stored as keyed
hashes). Enrolment happens at the first sign-in, by the owner only; an admin's reset
(``services_power.user_second_factor_reset``) removes both so that the owner enrols again.

Citizens sign in by a code sent by SMS and are not asked (``accounts.middleware``)."""

from __future__ import annotations

import hmac
import io
import re
import secrets
from base64 import b32encode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from shahrvand.text import numeric_identifier

from .models import BackupCodeDevice

BACKUP_CODE_COUNT = 10
# Backup codes are written in groups of four from an alphabet without look-alikes (0/O, 1/I/L).
_BACKUP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_BACKUP_LENGTH = 10
_DEVICE_NAME = "authenticator"


def second_factor_enabled() -> bool:
    return bool(settings.STAFF_SECOND_FACTOR)


def totp_device_of(user, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-pk").first()


def is_enrolled(user) -> bool:
    return totp_device_of(user) is not None


@transaction.atomic
def enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows (the same one on a reload, so
    a code from the app scanned a moment ago still fits)."""
    device = totp_device_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as SVG markup drawn on the server (no script, no style attribute, no
    image fetched: the page's Content-Security-Policy holds)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _clean_token(token: str) -> str:
    # The one normaliser: Persian or Arabic-Indic digits become ASCII; anything else is refused.
    return numeric_identifier(token, max_digits=8)


@transaction.atomic
def enrolment_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """The first code from the app confirms the device; any older device of the person goes, and
    ten fresh backup codes are made (returned once, in clear). None when the code is wrong."""
    device = totp_device_of(user, confirmed=False)
    if device is None:
        return None
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    try:
        token = _clean_token(code)
    except ValidationError:
        return None
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, backup_codes_issue(user=user)


def _digest(code: str) -> str:
    return salted_hmac("accounts.backup-code", code, algorithm="sha256").hexdigest()


def _normalize_backup(code: str) -> str:
    # Dashes, spaces and lower case as people type them; nothing outside the codes' alphabet.
    return "".join(ch for ch in (code or "").upper() if ch in _BACKUP_ALPHABET)


@transaction.atomic
def backup_codes_issue(*, user) -> list[str]:
    """Ten new codes in place of any earlier ones; only their hashes are kept."""
    codes = [
        "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(_BACKUP_LENGTH))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    BackupCodeDevice.objects.filter(user=user).delete()
    BackupCodeDevice.objects.create(
        user=user,
        name="backup codes",
        confirmed=True,
        code_hashes=[_digest(code) for code in codes],
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def backup_code_use(*, device: BackupCodeDevice, code: str) -> bool:
    """Strike the code off if it is one of the device's; True once per code."""
    wanted = _digest(_normalize_backup(code))
    device = BackupCodeDevice.objects.select_for_update().get(pk=device.pk)
    for stored in device.code_hashes:
        if hmac.compare_digest(stored, wanted):
            device.code_hashes = [h for h in device.code_hashes if h != stored]
            device.save(update_fields=["code_hashes"])
            return True
    return False


def backup_codes_left(user) -> int:
    device = BackupCodeDevice.objects.filter(user=user).first()
    return len(device.code_hashes) if device else 0


def second_factor_check(*, user, code: str):
    """The device that accepts ``code`` — the authenticator app's six digits, or a backup code —
    and whether it was a backup code; (None, False) when neither does."""
    compact = _normalize_backup(code)
    if len(compact) == _BACKUP_LENGTH and re.search("[A-Z]", compact):
        device = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(compact):
            return device, True
        return None, True
    device = totp_device_of(user)
    if device is None:
        return None, False
    try:
        token = _clean_token(code)
    except ValidationError:
        return None, False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if len(token) == device.digits and device.verify_token(token):
            return device, False
    return None, False


@transaction.atomic
def second_factor_remove(*, user) -> int:
    """Every device of the person (the app's and the backup codes); how many there were."""
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    backup, _details = BackupCodeDevice.objects.filter(user=user).delete()
    return removed + backup
