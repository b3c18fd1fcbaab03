"""Writes of the districts app: the help kiosk's log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.roles import roles_of

from .models import District, KioskHelpLog


@transaction.atomic
def kiosk_help_record(
    *, actor, district: District, topic: str, resolution: str, minutes: int
) -> KioskHelpLog:
    if district.pk not in roles_of(actor).districts_with("kiosk"):
        raise PermissionDenied
    record = KioskHelpLog(
        district=district,
        kiosk=district.kiosks.filter(is_active=True).first(),
        staff=actor,
        topic=topic,
        resolution=resolution,
        minutes=minutes,
    )
    record.full_clean()
    record.save()
    return record
