"""The district's clock, in working days. It starts at filing, pauses while the inquiry waits on the
applicant (keeping the working days that were left), resumes on resubmission, and stops at the
answer. A revoked answer starts a fresh period."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from districts.models import ServiceLevel
from shahrvand.workdays import add_working_days, working_days_between

from ..models import Inquiry
from ..workflow import WAITING_ON_APPLICANT, WAITING_ON_DISTRICT, InquiryStatus


def service_days(district_id: int, kind: str) -> int:
    level = ServiceLevel.objects.filter(district_id=district_id, kind=kind).first()
    return level.working_days if level else settings.DEFAULT_SERVICE_DAYS


def start(inquiry: Inquiry) -> None:
    inquiry.due_date = add_working_days(
        timezone.localdate(), service_days(inquiry.district_id, inquiry.kind)
    )


def on_status_change(inquiry: Inquiry, from_status: str) -> list[str]:
    """Move the clock for the status just set; return the fields that changed."""
    today = timezone.localdate()
    status = inquiry.status
    if status in WAITING_ON_APPLICANT:
        if inquiry.due_date is not None:
            inquiry.paused_days_left = working_days_between(today, inquiry.due_date)
        inquiry.due_date = None
        return ["due_date", "paused_days_left"]
    if status in WAITING_ON_DISTRICT and from_status in WAITING_ON_APPLICANT:
        left = inquiry.paused_days_left
        if left is None:
            left = service_days(inquiry.district_id, inquiry.kind)
        inquiry.due_date = add_working_days(today, left)
        inquiry.paused_days_left = None
        return ["due_date", "paused_days_left"]
    if status == InquiryStatus.ANSWERED:
        inquiry.answered_at = timezone.now()
        return ["answered_at"]
    if from_status == InquiryStatus.ANSWERED:
        # The answer was revoked: the district owes a new one, on a fresh period.
        start(inquiry)
        inquiry.answered_at = None
        return ["due_date", "answered_at"]
    return []
