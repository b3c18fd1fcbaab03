"""SMS to the applicant when something concerns them. Always in Persian (an SMS has no language
switch), sent by Celery after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from shahrvand.sms import sms_enqueue

from .models import Inquiry
from .workflow import InquiryStatus

# What the applicant should do, per status that is worth a message.
_STATUS_MESSAGES = {
    InquiryStatus.NEEDS_INFO: gettext_noop(
        "Your inquiry %(code)s needs more information. Please see the request and answer it: %(url)s"
    ),
    InquiryStatus.ANSWERED: gettext_noop("Your inquiry %(code)s has been answered: %(url)s"),
    InquiryStatus.WITHDRAWN: gettext_noop("Your inquiry %(code)s has been withdrawn."),
}


def _url(inquiry: Inquiry) -> str:
    return settings.SITE_URL + reverse("inquiries:detail", args=[inquiry.tracking_code])


def inquiry_submitted(inquiry: Inquiry) -> None:
    with translation.override("fa"):
        text = gettext(
            "Urmia municipality: your %(kind)s inquiry was received. Tracking code: %(code)s. "
            "Track it at %(url)s"
        ) % {
            "kind": inquiry.get_kind_display(),
            "code": inquiry.tracking_code_display(),
            "url": settings.SITE_URL + reverse("inquiries:track"),
        }
    sms_enqueue(to=inquiry.applicant_mobile, text=text)


def inquiry_status_changed(inquiry: Inquiry) -> None:
    template = _STATUS_MESSAGES.get(inquiry.status)
    if template is None:
        return
    with translation.override("fa"):
        text = (
            gettext("Urmia municipality:")
            + " "
            + gettext(template)
            % {
                "code": inquiry.tracking_code_display(),
                "url": _url(inquiry),
            }
        )
    sms_enqueue(to=inquiry.applicant_mobile, text=text)
