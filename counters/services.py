"""Writes of the offices app: operators, training sessions, visits and their findings."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services_power as power
from accounts.models import PowerChangeKind
from accounts.roles import roles_of

from .models import (
    FINDING_MOVES,
    CounterOffice,
    FindingEvent,
    FindingState,
    OfficeMembership,
    OfficeRole,
    OfficeVisit,
    TrainingAttendance,
    TrainingSession,
    VisitFinding,
)

User = get_user_model()


def _require_ict(actor) -> None:
    if not roles_of(actor).is_ict_admin:
        raise PermissionDenied


def _require_office_manager(actor, office: CounterOffice) -> None:
    if not roles_of(actor).manages_office(office.pk):
        raise PermissionDenied


@transaction.atomic
def operator_create(
    *,
    actor,
    office: CounterOffice,
    username: str,
    first_name: str,
    last_name: str,
    password: str,
    role: str = OfficeRole.OPERATOR,
) -> OfficeMembership:
    """A new office account (username + password) tied to the office."""
    _require_office_manager(actor, office)
    if role == OfficeRole.MANAGER and not roles_of(actor).is_ict_admin:
        raise PermissionDenied  # office managers are appointed by the ICT organisation
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    # The manager chose the password: its owner must change it at the first sign-in.
    user = User(
        username=username, first_name=first_name, last_name=last_name, must_change_password=True
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership = OfficeMembership(user=user, office=office, role=role)
    membership.full_clean()
    membership.save()
    power.account_created_record(actor=actor, user=user)
    power.power_change_record(
        actor=actor,
        kind=PowerChangeKind.OFFICE_GRANTED,
        target=user,
        obj=membership,
        before={},
        after=office_state(membership),
    )
    return membership


@transaction.atomic
def operator_set_active(*, actor, membership: OfficeMembership, active: bool) -> OfficeMembership:
    """Deactivate (or reactivate) an operator. A deactivated account cannot sign in, and its open
    sessions end at their next request (Django refuses inactive users)."""
    membership = OfficeMembership.objects.select_for_update().get(pk=membership.pk)
    _require_office_manager(actor, membership.office)
    if membership.user_id == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if membership.is_active == active:
        return membership
    membership.is_active = active
    membership.deactivated_at = None if active else timezone.now()
    membership.save(update_fields=["is_active", "deactivated_at"])
    power.power_change_record(
        actor=actor,
        kind=PowerChangeKind.OFFICE_ACTIVE,
        target=membership.user,
        obj=membership,
        before={"is_active": not active},
        after={"is_active": active},
    )
    user = membership.user
    other_roles = (
        user.office_memberships.filter(is_active=True).exclude(pk=membership.pk).exists()
        or user.district_memberships.filter(is_active=True).exists()
    )
    if active and not user.is_active:
        power.user_active_write(actor=actor, user=user, active=True)
    elif not active and not other_roles and not power.holds_admin_rights(user):
        # Their last role: the account ends too, with its open sessions.
        power.user_active_write(actor=actor, user=user, active=False)
    return membership


@transaction.atomic
def training_record(
    *, actor, date, trainer: str, topic: str, attendances: list[tuple[CounterOffice, int]], notes=""
) -> TrainingSession:
    _require_ict(actor)
    if not attendances:
        raise ValidationError(_("Add at least one office that attended."))
    session = TrainingSession(
        date=date, trainer=trainer, topic=topic, notes=notes, created_by=actor
    )
    session.full_clean()
    session.save()
    for office, people in attendances:
        row = TrainingAttendance(session=session, office=office, people=people)
        row.full_clean()
        row.save()
    return session


@transaction.atomic
def visit_record(
    *, actor, office: CounterOffice, date, notes: str = "", findings=()
) -> OfficeVisit:
    """A visit to an office, with its findings (category, description), all open."""
    _require_ict(actor)
    visit = OfficeVisit(office=office, date=date, inspector=actor, notes=notes)
    visit.full_clean()
    visit.save()
    for category, description in findings:
        finding = VisitFinding(
            visit=visit, category=category, description=description, updated_by=actor
        )
        finding.full_clean()
        finding.save()
    return visit


@transaction.atomic
def finding_move(*, actor, finding: VisitFinding, state: str, note: str = "") -> VisitFinding:
    """Follow a finding up (FINDING_MOVES): open -> being fixed -> resolved, or back to open.
    Each move is kept in the finding's history."""
    _require_ict(actor)
    finding = VisitFinding.objects.select_for_update().get(pk=finding.pk)
    today = timezone.localdate()
    state = FindingState(state)
    note = (note or "").strip()
    if state not in FINDING_MOVES[FindingState(finding.state)]:
        raise ValidationError(
            _("A finding that is “%(current)s” cannot become “%(new)s”.")
            % {"current": finding.get_state_display(), "new": state.label}
        )
    if state == FindingState.RESOLVED and not note:
        raise ValidationError(_("Say how it was resolved."))
    previous = finding.state
    finding.state = state
    if state == FindingState.FIXING:
        finding.fixing_since = finding.fixing_since or today
    elif state == FindingState.RESOLVED:
        finding.resolved_on = today
        finding.resolution = note
    else:  # open again
        finding.fixing_since = None
        finding.resolved_on = None
        finding.resolution = ""
    finding.updated_by = actor
    finding.save()
    FindingEvent.objects.create(
        finding=finding, from_state=previous, to_state=state, note=note, actor=actor
    )
    return finding


# --- The ICT organisation's changes to office memberships ----------------------------------------
# Checked against who may manage whom (``accounts.services_power.check_manage``), one PowerChange row
# each; an office manager's own changes to their operators are ``operator_create`` and
# ``operator_set_active`` above.


def office_state(membership) -> dict:
    return {
        "office": membership.office_id,
        "role": membership.role,
        "is_active": membership.is_active,
    }


def _locked_office_membership(membership):
    return (
        OfficeMembership.objects.select_for_update()
        .select_related("user", "office")
        .get(pk=membership.pk)
    )


@transaction.atomic
def office_membership_grant(*, actor, user, office, role: str, is_active: bool = True):
    """An existing account joins an office (a new operator's account: ``operator_create``)."""
    power.check_manage(actor, user)
    membership = OfficeMembership(user=user, office=office, role=role, is_active=is_active)
    membership.full_clean()
    membership.save()
    power.power_change_record(
        actor=actor,
        kind=PowerChangeKind.OFFICE_GRANTED,
        target=user,
        obj=membership,
        before={},
        after=office_state(membership),
    )
    return membership


@transaction.atomic
def office_membership_change(*, actor, membership, role: str):
    membership = _locked_office_membership(membership)
    power.check_manage(actor, membership.user)
    if membership.role == role:
        return membership
    before = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    power.power_change_record(
        actor=actor,
        kind=PowerChangeKind.OFFICE_ROLE,
        target=membership.user,
        obj=membership,
        before={"role": before},
        after={"role": role},
    )
    return membership


@transaction.atomic
def office_membership_set_active(*, actor, membership, active: bool):
    """Through ``counters.services.operator_set_active`` (which writes the row and, when it was the
    person's last role, deactivates the account too)."""
    power.check_manage(actor, _locked_office_membership(membership).user)
    return operator_set_active(actor=actor, membership=membership, active=active)


@transaction.atomic
def office_membership_remove(*, actor, membership) -> None:
    membership = _locked_office_membership(membership)
    power.check_manage(actor, membership.user)
    user, before, described = membership.user, office_state(membership), power.describe(membership)
    membership.delete()
    power.power_change_record(
        actor=actor,
        kind=PowerChangeKind.OFFICE_REMOVED,
        target=user,
        described=described,
        before=before,
        after={},
    )


@transaction.atomic
def office_set_active(*, actor, office, active: bool):
    """An inactive office gives its operators no access (``accounts.roles``)."""
    if not (actor.is_active and roles_of(actor).is_ict_admin):
        raise power.PowerRefused(_("Only the ICT organisation manages accounts and memberships."))
    office = CounterOffice.objects.select_for_update().get(pk=office.pk)
    if office.is_active == active:
        return office
    office.is_active = active
    office.save(update_fields=["is_active"])
    power.power_change_record(
        actor=actor,
        kind=PowerChangeKind.OFFICE_SWITCHED,
        obj=office,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return office
