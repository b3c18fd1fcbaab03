"""The ICT organisation's changes to district memberships. Each is checked against who may
manage whom (``accounts.services_power.check_manage``) and recorded as PowerChange rows; the change
itself, and the release of what the person no longer reviews in, is ``districts.services``'s."""

from __future__ import annotations

from django.db import transaction

from accounts import services_power as power
from accounts.models import PowerChangeKind as Kind

from . import services as district_services
from .models import DistrictMembership


def _district_state(membership) -> dict:
    return {
        "district": membership.district_id,
        "role": membership.role,
        "can_sign": membership.can_sign,
        "is_active": membership.is_active,
    }


def _locked_district_membership(membership):
    return (
        DistrictMembership.objects.select_for_update()
        .select_related("user", "district")
        .get(pk=membership.pk)
    )


@transaction.atomic
def district_membership_grant(
    *, actor, user, district, role: str, can_sign: bool = False, is_active: bool = True
):
    power.check_manage(actor, user)
    membership = DistrictMembership(
        user=user, district=district, role=role, can_sign=can_sign, is_active=is_active
    )
    membership.full_clean()
    membership.save()
    power.power_change_record(
        actor=actor,
        kind=Kind.DISTRICT_GRANTED,
        target=user,
        obj=membership,
        before={},
        after=_district_state(membership),
    )
    return membership


@transaction.atomic
def district_membership_change(
    *, actor, membership, role: str | None = None, can_sign: bool | None = None
):
    """A new role, or the signing right given or taken: one row for each that changed. Through
    ``districts.services``, which releases what the person no longer reviews in."""
    membership = _locked_district_membership(membership)
    power.check_manage(actor, membership.user)
    old_role, old_can_sign = membership.role, membership.can_sign
    role = old_role if role is None else role
    can_sign = old_can_sign if can_sign is None else can_sign
    if (role, can_sign) == (old_role, old_can_sign):
        return membership
    membership = district_services.district_membership_change(
        actor=actor, membership=membership, role=role, can_sign=can_sign
    )
    if membership.role != old_role:
        power.power_change_record(
            actor=actor,
            kind=Kind.DISTRICT_ROLE,
            target=membership.user,
            obj=membership,
            before={"role": old_role},
            after={"role": membership.role},
        )
    if membership.can_sign != old_can_sign:
        power.power_change_record(
            actor=actor,
            kind=Kind.SIGNING_RIGHT,
            target=membership.user,
            obj=membership,
            before={"can_sign": old_can_sign},
            after={"can_sign": membership.can_sign},
        )
    return membership


@transaction.atomic
def district_membership_set_active(*, actor, membership, active: bool):
    """Through ``districts.services``, which also releases what the person holds there."""
    membership = _locked_district_membership(membership)
    power.check_manage(actor, membership.user)
    if membership.is_active == active:
        return membership
    membership = district_services.district_membership_set_active(
        actor=actor, membership=membership, active=active
    )
    power.power_change_record(
        actor=actor,
        kind=Kind.DISTRICT_ACTIVE,
        target=membership.user,
        obj=membership,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return membership


@transaction.atomic
def district_membership_remove(*, actor, membership) -> None:
    """Through ``districts.services``, which also releases what the person holds there."""
    membership = _locked_district_membership(membership)
    power.check_manage(actor, membership.user)
    user, before, described = (
        membership.user,
        _district_state(membership),
        power.describe(membership),
    )
    district_services.district_membership_remove(actor=actor, membership=membership)
    power.power_change_record(
        actor=actor,
        kind=Kind.DISTRICT_REMOVED,
        target=user,
        described=described,
        before=before,
        after={},
    )
