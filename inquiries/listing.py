"""An inquiry as one line of a list (the staff queue, an office's queue, a citizen's inquiries):
what the line shows, worked out once in Python for the page's 25 rows.

A list page is the busiest page there is, and most of its cost was the template asking each row's
model for the same things again and again (a label translated per row, a URL reversed per row, a
method per cell). Here the labels are translated once per page, the link is reversed once and
filled in per row, and the rules themselves stay where they live: ``workflow.is_overdue``,
``presentation.status_badge`` and ``next_step``, ``tracking_code_display``, the Jalali formats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from shahrvand import jalali, jinja
from shahrvand.text import localize_digits

from . import workflow
from .kinds import InquiryKind
from .presentation import next_step, status_badge
from .tracking import tracking_code_display
from .workflow import Channel, InquiryStatus

_SLOT = "0slot0"


@dataclass(frozen=True, slots=True)
class Line:
    code: str
    code_display: str
    url: str
    kind: str
    status: str
    status_label: str
    badge: str
    renovation_code: str
    applicant: str
    channel: str
    district: str
    holder: str
    filed_by: str
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    overdue: bool
    due_soon: bool
    paused: bool
    next_step: str

    # Dates are formatted only where a page shows them.
    @property
    def submitted(self) -> str:
        return jalali.format_date(self.submitted_at)

    @property
    def due(self) -> str:
        return jalali.format_date(self.due_date)


def link(url_name: str):
    """``code -> URL`` for a route that takes a tracking code, reversed once."""
    before, after = reverse(url_name, args=[_SLOT]).split(_SLOT)
    return lambda code: before + quote(code, safe="") + after


def lines(
    inquiries: Iterable,
    *,
    url_name: str,
    today: dt.date | None = None,
    soon: dt.date | None = None,
) -> list[Line]:
    """The rows of a list page. ``today`` and ``soon`` (the due-soon horizon) mark overdue and
    soon-due rows; the related objects a line reads (property, district, holder, filer) should
    come with the rows (``select_related``) where the page shows them."""
    url = link(url_name)
    kinds = {value: str(label) for value, label in InquiryKind.choices}
    statuses = {value: str(label) for value, label in InquiryStatus.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    steps = {value: next_step(value, "list") for value in InquiryStatus.values}
    made = []
    for inquiry in inquiries:
        due = inquiry.due_date
        overdue = today is not None and workflow.is_overdue(inquiry, today)
        waiting = inquiry.status in workflow.WAITING_ON_DISTRICT
        state = inquiry._state.fields_cache  # only what select_related brought: never a query
        prop = state.get("property")
        district = state.get("district")
        holder = state.get("assigned_to")
        filer = state.get("filed_by")
        made.append(
            Line(
                code=inquiry.tracking_code,
                code_display=tracking_code_display(inquiry.tracking_code),
                url=url(inquiry.tracking_code),
                kind=kinds.get(inquiry.kind, inquiry.kind),
                status=inquiry.status,
                status_label=statuses.get(inquiry.status, inquiry.status),
                badge=status_badge(inquiry.status),
                renovation_code=localize_digits(prop.renovation_code) if prop else "",
                applicant=inquiry.applicant_name(),
                channel=channels.get(inquiry.channel, inquiry.channel),
                district=district.name if district else "",
                holder=holder.display_name if holder else "",
                filed_by=filer.display_name if filer else "",
                submitted_at=inquiry.submitted_at,
                due_date=due,
                overdue=overdue,
                due_soon=(
                    not overdue and waiting and due is not None and soon is not None and due <= soon
                ),
                paused=inquiry.status in workflow.WAITING_ON_APPLICANT,
                next_step=steps.get(inquiry.status, ""),
            )
        )
    return made


def rows(template_name: str, lines: list[Line]) -> SafeString:
    """The lines as the page's rows, drawn by Jinja2 (``shahrvand.jinja``) from
    ``templates/jinja2/inquiries/<template_name>``; the few words the rows repeat are translated
    once here."""
    words = {
        "overdue": gettext("overdue"),
        "due_soon": gettext("due soon"),
        "paused": gettext("paused"),
        "renovation_code": gettext("renovation code"),
    }
    return jinja.render(f"inquiries/{template_name}", {"lines": lines, "words": words})
