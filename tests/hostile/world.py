"""What a careful person types (valid everywhere, distinctive where it must survive a refusal), and
the functions that build the drafts and answers the hostile inputs meet."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from accounts.tests.factories import valid_national_id
from inquiries import services
from inquiries.kinds import InquiryKind
from inquiries.models import InquiryDraft
from shahrvand import jalali, sms

from .inventory import MOBILE, NATIONAL_ID

__all__ = ["MOBILE", "NATIONAL_ID"]  # one home (inventory), imported from here by the tests too

OTHER_NATIONAL_ID = valid_national_id(seed=4)
ANSWER_DATA = {
    "decision": "conditional",
    "reason": "",
    "building_status": "completed",
    "certificate_type": "completion",
    "certificate_number": "1401/555",
    "certificate_date": "1401/03/11",
    "land_use_plan": "residential",
    "road_widening": "partly",
    "road_widening_note": "دو متر از ضلع شمالی",
    "conditions": "تسویه عوارض پیش از انتقال",
}
DUES = [("عوارض نوسازی", 1_250_000), ("عوارض پسماند", 750_000)]
# The same dues as the answer form's formset posts them (three rows, the last left empty).
DUES_DATA = {
    "dues-TOTAL_FORMS": "3",
    "dues-INITIAL_FORMS": "0",
    "dues-MIN_NUM_FORMS": "3",
    "dues-MAX_NUM_FORMS": "20",
    "dues-0-title": "عوارض نوسازی",
    "dues-0-amount_rials": "1250000",
    "dues-1-title": "عوارض پسماند",
    "dues-1-amount_rials": "750000",
    "dues-2-title": "",
    "dues-2-amount_rials": "",
}


def code_from_sms() -> str:
    """The sign-in code in the last SMS sent."""
    return re.search(r"\b([0-9]{6})\b", sms.outbox[-1].text).group(1)


def a_while_ago(days: int = 3) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def jalali_days_ago(days: int = 3) -> str:
    """A recent date as people type it: '1405/09/08' (in the reader's digits)."""
    return jalali.format_date(a_while_ago(days), "short")


def office_draft(user, *, channel: str, office=None, kind=InquiryKind.TRANSFER) -> InquiryDraft:
    """A draft started by a kiosk clerk or an office operator (the applicant is typed in)."""
    return services.draft_start(actor=user, kind=kind, channel=channel, office=office)


def prepare_answer(inquiry, actor, dues=DUES):
    data = dict(ANSWER_DATA)
    data["certificate_date"] = jalali.parse_date(data["certificate_date"])
    return services.answer_prepare(actor=actor, inquiry=inquiry, data=data, dues=dues)
