"""SMS to the applicant when something concerns them. Always in Persian (an SMS has no language
switch), sent by Celery after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from accounts.roles import roles_of
from shahrvand.sms import sms_enqueue

from .models import Inquiry
from .workflow import Action, Channel

# What to tell the applicant after each action that concerns them (none for their own actions
# but withdrawing, which is worth a receipt).
_MESSAGES = {
    Action.START_REVIEW: gettext_noop(
        "Your inquiry %(code)s is now being reviewed by the district."
    ),
    Action.REQUEST_INFO: gettext_noop(
        "Your inquiry %(code)s needs more information. Please see the request and answer it: %(url)s"
    ),
    Action.ANSWER: gettext_noop("Your inquiry %(code)s has been answered: %(url)s"),
    Action.WITHDRAW: gettext_noop("Your inquiry %(code)s has been withdrawn."),
    Action.ANSWER_CORRECTED: gettext_noop(
        "The answer to your inquiry %(code)s was corrected; the earlier one is no longer valid: "
        "%(url)s"
    ),
    Action.ANSWER_REVOKED: gettext_noop(
        "The answer to your inquiry %(code)s was revoked; the district will answer again: %(url)s"
    ),
}


# A withdrawal the citizen did not make themselves names who made it, so that they can ask.
_WITHDRAWN_FOR_YOU = {
    Channel.COUNTER_OFFICE: gettext_noop(
        "Your inquiry %(code)s was withdrawn by %(office)s, which filed it for you."
    ),
    Channel.NOTARY_OFFICE: gettext_noop(
        "Your inquiry %(code)s was withdrawn by %(office)s, which filed it for you."
    ),
    Channel.KIOSK: gettext_noop(
        "Your inquiry %(code)s was withdrawn at the district's help kiosk, which filed it for you."
    ),
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


# What the office that filed an inquiry is told (it answers requests and hands over the answer).
_OFFICE_ACTIONS = {
    Action.REQUEST_INFO,
    Action.ANSWER,
    Action.ANSWER_CORRECTED,
    Action.ANSWER_REVOKED,
}


def inquiry_event(inquiry: Inquiry, action: str, *, channel: str = "") -> None:
    """``channel``: the one the actor acted through (the event's)."""
    template = _MESSAGES.get(action)
    if template is None:
        return
    if action == Action.WITHDRAW:
        template = _WITHDRAWN_FOR_YOU.get(channel, template)
    with translation.override("fa"):
        text = (
            gettext("Urmia municipality:")
            + " "
            + gettext(template)
            % {
                "code": inquiry.tracking_code_display(),
                "url": _url(inquiry),
                "office": inquiry.office.name if inquiry.office_id else "",
            }
        )
    sms_enqueue(to=inquiry.applicant_mobile, text=text)
    # The operator who filed it, while they still work for the office (an active membership of
    # the active office): someone who left is told nothing more about the office's citizens.
    operator = inquiry.filed_by if inquiry.office_id else None
    office_told = (
        action in _OFFICE_ACTIONS
        and operator is not None
        and operator.mobile
        and inquiry.office_id in roles_of(operator).office_ids
    )
    if office_told and operator.mobile != inquiry.applicant_mobile:
        sms_enqueue(to=operator.mobile, text=text)


def answer_pdf_ready(answer) -> None:
    inquiry = answer.inquiry
    with translation.override("fa"):
        text = (
            gettext("Urmia municipality:")
            + " "
            + gettext("The signed answer to your inquiry %(code)s is ready to download: %(url)s")
            % {"code": inquiry.tracking_code_display(), "url": _url(inquiry)}
        )
    sms_enqueue(to=inquiry.applicant_mobile, text=text)
