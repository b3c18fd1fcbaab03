"""What every inquiry service shares: refusals, the audit event, the locked transition."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from accounts.roles import roles_of
from districts.models import District

from .. import notifications, summaries
from ..kinds import InquiryKind
from ..models import Attachment, Inquiry, InquiryEvent
from ..selectors import inquiry_applicant_channel, inquiry_is_applicant, staff_districts
from ..uploads import InspectedUpload
from ..workflow import APPLICANT, HOLDER, SIGNER, STAFF, TRANSITIONS, Action, Channel, Transition
from . import deadlines


class InquiryError(Exception):
    """A refusal with a message for the person who asked."""

    def __init__(self, message, *, code: str = "refused"):
        super().__init__(str(message))
        self.message = message
        self.code = code


class TransitionNotAllowed(InquiryError):
    def __init__(self, inquiry: Inquiry):
        super().__init__(
            _("This inquiry is now “%(status)s”; that step is no longer possible.")
            % {"status": inquiry.get_status_display()},
            code="transition",
        )
        self.inquiry = inquiry


class DistrictNotOnline(InquiryError):
    def __init__(self, district: District, kind: str):
        super().__init__(
            _("%(district)s does not take %(kind)s inquiries online yet.")
            % {"district": district.name, "kind": InquiryKind(kind).label},
            code="not_online",
        )
        self.district = district
        self.kind = kind


class StaleInquiry(InquiryError):
    def __init__(self, inquiry: Inquiry):
        super().__init__(
            _(
                "Someone else changed this inquiry while you were looking at it. Its current "
                "state is shown; check it and try again."
            ),
            code="stale",
        )
        self.inquiry = inquiry


class DraftIncomplete(InquiryError):
    def __init__(self, missing: list[str]):
        super().__init__(_("Some parts of the inquiry are missing."), code="incomplete")
        self.missing = missing


def event_write(
    *,
    inquiry: Inquiry,
    action: Action,
    from_status: str,
    actor,
    channel: str,
    note: str = "",
) -> InquiryEvent:
    event = InquiryEvent(
        inquiry=inquiry,
        action=action,
        from_status=from_status,
        to_status=inquiry.status,
        actor=actor,
        channel=channel,
        note=note,
    )
    event.full_clean()
    event.save()
    return event


def store_upload(attachment: Attachment, upload: InspectedUpload) -> Attachment:
    attachment.original_name = upload.original_name or "document"
    attachment.content_type = upload.content_type
    attachment.size = upload.size
    attachment.sha256 = upload.sha256
    attachment.file.save("upload" + upload.extension, ContentFile(upload.content), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # The row did not make it; do not leave its file behind.
        attachment.file.delete(save=False)
        raise
    return attachment


def _may_act(actor, inquiry: Inquiry, rule: Transition) -> bool:
    """Who the table says may take the action: the applicant's side, or the district's staff
    (narrowed to those who sign answers where the table says so)."""
    if rule.by == APPLICANT:
        return inquiry_is_applicant(actor, inquiry)
    if rule.by == STAFF:
        if inquiry.district_id not in staff_districts(actor):
            return False
        return rule.needs != SIGNER or roles_of(actor).may_sign(inquiry.district_id)
    return False


def inquiry_lock(inquiry: Inquiry, *, expected_version: int | None = None) -> Inquiry:
    """The inquiry's row, locked until the transaction ends. With ``expected_version`` (sent by the
    form the person saw), a change made meanwhile by someone else is refused, not overwritten."""
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleInquiry(locked)
    return locked


def transition(
    *,
    actor,
    inquiry: Inquiry,
    action: Action,
    channel: str,
    note: str = "",
    expected_version: int | None = None,
    update: dict | None = None,
) -> tuple[Inquiry, InquiryEvent]:
    """Lock the inquiry, check the table and the actor (the holder rule and the right to sign
    where the table asks for them), move it, write the event. Whoever comes
    second to a changed inquiry gets TransitionNotAllowed (or StaleInquiry) with the current state.
    ``update`` sets other fields in the same save (the reviewer who takes it, say)."""
    rule = TRANSITIONS[action]
    locked = inquiry_lock(inquiry, expected_version=expected_version)
    if not _may_act(actor, locked, rule):
        raise PermissionDenied
    if locked.status not in rule.sources:
        raise TransitionNotAllowed(locked)
    if rule.needs == HOLDER:
        from .review import require_holder  # review builds on this module

        require_holder(actor, locked)
    before = summaries.Snapshot.of(locked)
    locked.status = rule.target
    changed = ["status"]
    for name, value in (update or {}).items():
        setattr(locked, name, value)
        changed.append(name)
    changed += deadlines.on_status_change(locked, before.status)
    event = inquiry_record(
        actor=actor,
        inquiry=locked,
        action=action,
        channel=channel,
        note=note,
        fields=changed,
        before=before,
    )
    notifications.inquiry_event(locked, action, channel=channel)
    return locked, event


def inquiry_record(
    *,
    actor,
    inquiry: Inquiry,
    action: Action,
    channel: str | None = None,
    note: str = "",
    fields=(),
    before: summaries.Snapshot | None = None,
) -> InquiryEvent:
    """Save a change to a locked inquiry: the ``fields`` set on it, a new version (so that a form
    sent from the older state is refused), the summaries moved from ``before`` (what the inquiry
    was, taken before a change the queues or reports count: status, decision, ...), and the event
    that says what happened, in one step. Every write to an inquiry ends here (``transition`` for
    a new status, the services for the steps that keep it). ``channel`` defaults to the
    inquiry's own."""
    inquiry.version += 1
    inquiry.save(update_fields=sorted({*fields, "version", "updated_at"}))
    if before is not None:
        summaries.record(before, summaries.Snapshot.of(inquiry))
    return event_write(
        inquiry=inquiry,
        action=action,
        from_status=inquiry.status if before is None else before.status,
        actor=actor,
        channel=inquiry.channel if channel is None else channel,
        note=note,
    )


def channel_of(actor, inquiry: Inquiry) -> str:
    """Who acts for the applicant, as a channel: the citizen online, the office or the kiosk that
    filed it (while the person still works there). The event records it and the SMS names it."""
    return inquiry_applicant_channel(actor, inquiry) or Channel.WEB
