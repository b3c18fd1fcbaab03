"""The district's side of the workflow before the answer: take an inquiry, hand it to a colleague,
ask the applicant for more information."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.roles import REVIEWING_ROLES, roles_of

from .. import summaries
from ..models import InfoRequest, Inquiry
from ..workflow import FINAL, STAFF_STEPS, TRANSITIONS, Action
from .common import InquiryError, TransitionNotAllowed, inquiry_lock, inquiry_record, transition

User = get_user_model()


def is_manager(actor, inquiry: Inquiry) -> bool:
    return roles_of(actor).manages_district(inquiry.district_id)


def holds(actor, inquiry: Inquiry) -> bool:
    """The holder rule, in one place (the staff page's buttons and every service ask it): a
    reviewer or manager of the inquiry's district works on it when nobody holds it, when they hold
    it, or when they manage the district; so two people never prepare two answers for one
    inquiry."""
    if not roles_of(actor).reviews_in(inquiry.district_id):
        return False
    return inquiry.assigned_to_id in (None, actor.pk) or is_manager(actor, inquiry)


def require_holder(actor, inquiry: Inquiry) -> None:
    """``holds``, or a refusal: PermissionDenied outside the district's staff, else a message
    naming the holder."""
    if not roles_of(actor).reviews_in(inquiry.district_id):
        raise PermissionDenied
    if not holds(actor, inquiry):
        raise InquiryError(
            _("%(name)s is working on this inquiry; ask them or a manager to hand it to you.")
            % {"name": inquiry.assigned_to.display_name},
            code="held",
        )


@transaction.atomic
def inquiry_review_start(
    *, actor, inquiry: Inquiry, expected_version: int | None = None
) -> Inquiry:
    """Take a new or resubmitted inquiry: it moves to review and the actor holds it."""
    inquiry, _event = transition(
        actor=actor,
        inquiry=inquiry,
        action=Action.START_REVIEW,
        channel=inquiry.channel,
        expected_version=expected_version,
        update={"assigned_to": actor},
    )
    return inquiry


def reviewers_of(district_id: int):
    """The people an inquiry of this district can be handed to: what the form offers and what
    ``inquiry_assign`` accepts."""
    return (
        User.objects.filter(
            is_active=True,
            district_memberships__district_id=district_id,
            district_memberships__is_active=True,
            district_memberships__role__in=REVIEWING_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def inquiry_assign(
    *, actor, inquiry: Inquiry, assignee, expected_version: int | None = None
) -> Inquiry:
    """Hand the inquiry to a colleague of the same district (the holder or a manager may)."""
    locked = inquiry_lock(inquiry, expected_version=expected_version)
    require_holder(actor, locked)
    if locked.status not in STAFF_STEPS[Action.ASSIGN].sources:
        raise TransitionNotAllowed(locked)
    fresh = User.objects.get(pk=assignee.pk)  # the roles as they are now, not as cached
    if not roles_of(fresh).reviews_in(locked.district_id):
        raise InquiryError(_("Inquiries can be handed only to reviewers of the same district."))
    locked.assigned_to = assignee
    inquiry_record(
        actor=actor,
        inquiry=locked,
        action=Action.ASSIGN,
        note=str(assignee.display_name),
        fields=["assigned_to"],
    )
    return locked


@transaction.atomic
def inquiry_info_request(
    *,
    actor,
    inquiry: Inquiry,
    reasons=(),
    note: str = "",
    expected_version: int | None = None,
) -> Inquiry:
    """Ask the applicant for more: standard reasons and/or free text. The deadline pauses."""
    reasons = list(reasons)
    note = (note or "").strip()
    if not reasons and not note:
        raise InquiryError(_("Choose a reason or say what is missing."), code="no_reason")
    locked = inquiry_lock(inquiry, expected_version=expected_version)
    if locked.status not in TRANSITIONS[Action.REQUEST_INFO].sources:
        raise TransitionNotAllowed(locked)
    require_holder(actor, locked)
    lines = [f"• {reason.title}" for reason in reasons]
    if note:
        lines.append(note)
    locked, event = transition(
        actor=actor,
        inquiry=locked,
        action=Action.REQUEST_INFO,
        channel=locked.channel,
        note="\n".join(lines),
        update={"sent_back": True},
    )
    request = InfoRequest.objects.create(inquiry=locked, event=event, note=note)
    request.reasons.set(reasons)
    summaries.record_reasons(locked, reasons)
    return locked


@transaction.atomic
def inquiries_release_held_by(*, actor, user, district_id: int | None = None) -> list[Inquiry]:
    """Put back in the district's common queue every open inquiry ``user`` holds in ``district_id``
    (in every district when None) where they no longer review: membership removed or switched off,
    role changed, moved to another district, account switched off. Each inquiry is locked, loses
    its holder, gets a new version and a RELEASE event naming the former holder.

    Where the person still reviews nothing changes, so every path that ends a district role calls
    this after its change, in its transaction. It grants nothing (it only applies what the
    memberships already say), so it asks nothing of ``actor`` beyond being recorded."""
    holder = User.objects.get(pk=user.pk)  # fresh: the roles as they are now, not as cached
    still_reviews = roles_of(holder).districts_with(*REVIEWING_ROLES)
    held = (
        Inquiry.objects.select_for_update()
        .filter(assigned_to=holder)
        .exclude(status__in=FINAL)
        .exclude(district_id__in=still_reviews)
    )
    if district_id is not None:
        held = held.filter(district_id=district_id)
    released = []
    for inquiry in held.order_by("pk"):
        inquiry.assigned_to = None
        inquiry_record(
            actor=actor if getattr(actor, "pk", None) else None,
            inquiry=inquiry,
            action=Action.RELEASE,
            note=str(holder.display_name),
            fields=["assigned_to"],
        )
        released.append(inquiry)
    return released
