"""Writes of the districts app: the help kiosk's log, and the changes that end a district role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.roles import roles_forget, roles_of
from accounts.signals import review_role_ended
from shahrvand import versions

from .models import District, DistrictMembership, KioskHelpLog


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
    # The reports count the kiosks' visitors: cached report pages are out of date.
    versions.bump_on_commit(versions.REPORT_FIGURES)
    return record


# --- memberships -----------------------------------------------------------------------------------
# A role ends here, and what the person held in the district goes back to its common queue in the
# same transaction (the inquiries app answers ``review_role_ended``). Who may change whose
# membership, and its audit row, belong to the caller-facing services in ``accounts.services_power``,
# which call these.


def _require_ict(actor) -> None:
    if not roles_of(actor).is_ict_admin:
        raise PermissionDenied


def _locked(membership: DistrictMembership) -> DistrictMembership:
    return (
        DistrictMembership.objects.select_for_update()
        .select_related("user", "district")
        .get(pk=membership.pk)
    )


def _after_role_change(*, actor, user, district_id: int) -> None:
    roles_forget(user)
    review_role_ended.send(
        sender=DistrictMembership, actor=actor, user=user, district_id=district_id
    )


@transaction.atomic
def district_membership_set_active(
    *, actor, membership: DistrictMembership, active: bool
) -> DistrictMembership:
    """Switch a membership on or off. Switched off, it gives nothing from the next request on
    (``accounts.roles``), and the inquiries the person held there are released."""
    _require_ict(actor)
    membership = _locked(membership)
    if membership.is_active != active:
        membership.is_active = active
        membership.save(update_fields=["is_active"])
    _after_role_change(actor=actor, user=membership.user, district_id=membership.district_id)
    return membership


@transaction.atomic
def district_membership_change(
    *,
    actor,
    membership: DistrictMembership,
    district: District | None = None,
    role: str | None = None,
    can_sign: bool | None = None,
) -> DistrictMembership:
    """Another district, another role or the signing right: whatever the person no longer reviews
    in (a reviewer made kiosk staff, moved to another district) is released."""
    _require_ict(actor)
    membership = _locked(membership)
    before_district = membership.district_id
    if district is not None:
        membership.district = district
    if role is not None:
        membership.role = role
    if can_sign is not None:
        membership.can_sign = can_sign
    membership.full_clean()
    membership.save(update_fields=["district", "role", "can_sign"])
    _after_role_change(actor=actor, user=membership.user, district_id=before_district)
    return membership


@transaction.atomic
def district_membership_remove(*, actor, membership: DistrictMembership) -> DistrictMembership:
    """Delete a membership; what the person held in the district is released. Returns the deleted
    row (its ``pk`` is None)."""
    _require_ict(actor)
    membership = _locked(membership)
    membership.delete()
    _after_role_change(actor=actor, user=membership.user, district_id=membership.district_id)
    return membership
