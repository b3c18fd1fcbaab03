"""How an inquiry's state reads to the person it concerns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .workflow import InquiryStatus

NEXT_STEP = {
    InquiryStatus.SUBMITTED: _(
        "Received. The district will start reviewing it; you will get an SMS when there is news."
    ),
    InquiryStatus.IN_REVIEW: _("The district is reviewing it. Nothing to do for now."),
    InquiryStatus.NEEDS_INFO: _(
        "The district needs more information. Read the request below and send what is asked."
    ),
    InquiryStatus.RESUBMITTED: _(
        "Your answer was received; the district will continue the review."
    ),
    InquiryStatus.ANSWERED: _("Answered. The answer is shown below."),
    InquiryStatus.WITHDRAWN: _("Withdrawn. Nothing more will happen with it."),
}

STATUS_BADGE = {
    InquiryStatus.SUBMITTED: "text-bg-primary",
    InquiryStatus.IN_REVIEW: "text-bg-info",
    InquiryStatus.NEEDS_INFO: "text-bg-warning",
    InquiryStatus.RESUBMITTED: "text-bg-primary",
    InquiryStatus.ANSWERED: "text-bg-success",
    InquiryStatus.WITHDRAWN: "text-bg-secondary",
}


def next_step(status: str) -> str:
    return NEXT_STEP.get(status, "")


def status_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "text-bg-light")
