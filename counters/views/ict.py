"""The ICT organisation's pages for training sessions, visits, findings and scorecards.
Views parse, call a selector or a service, and render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import layout
from accounts.decorators import ict_required
from inquiries.kinds import InquiryKind
from shahrvand import jalali, kept_lists, versions
from shahrvand.http import query_without, safe_next_url
from shahrvand.paging import BoundedPaginator
from shahrvand.text import format_days, format_number, reader_reads_persian

from .. import services
from ..forms_ict import (
    AttendanceFormSet,
    FindingFilterForm,
    FindingFormSet,
    FindingMoveForm,
    OfficeFilterForm,
    TrainingForm,
    VisitForm,
)
from ..models import (
    CounterOffice,
    FindingState,
    VisitFinding,
)
from ..selectors import (
    Scorecard,
    findings_open,
    offices_kept,
    offices_registry,
    scorecard_details,
    scorecards,
    training_sessions,
)

PAGE_SIZE = 20
FINDINGS_PAGE_SIZE = 50
SCORECARDS_PAGE_SIZE = 25
RECENT_MONTHS = 6


def _filters(form) -> dict:
    """The filters that are valid; a bad one (an edited address) is ignored, not the others."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def _show_refusal(form, error: ValidationError, *, field: str | None = None) -> None:
    """A service's refusal on the form: beside the field it names (or ``field``), else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        for message in ValidationError(errors).messages:
            form.add_error(name if name in form.fields else None, message)


# --- training sessions ----------------------------------------------------------------------------


@ict_required
@require_http_methods(["GET"])
def training_list(request: HttpRequest) -> HttpResponse:
    form = OfficeFilterForm(request.GET or None)
    filters = _filters(form)
    untrained = offices_registry(
        kind=filters.get("kind", ""), district=filters.get("district") or None, active=True
    ).filter(last_training__isnull=True)
    page = Paginator(training_sessions(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "counters/ict/training_list.html",
        {
            "form": form,
            "page": page,
            "untrained": untrained,
            "query": query_without(request, "page").urlencode(),
        },
    )


@ict_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    form = TrainingForm(request.POST or None)
    formset = AttendanceFormSet(request.POST or None, prefix="offices")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.training_record(
                actor=request.user,
                attendances=formset.attendances(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _show_refusal(form, error)
        else:
            messages.success(request, _("The training session was recorded."))
            return redirect("counters:training_list")
    return render(request, "counters/ict/training_form.html", {"form": form, "formset": formset})


# --- visits and findings --------------------------------------------------------------------------


@ict_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_object_or_404(CounterOffice.objects.select_related("district"), pk=office_id)
    form = VisitForm(request.POST or None)
    formset = FindingFormSet(request.POST or None, prefix="findings")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        found = formset.findings()
        try:
            services.visit_record(
                actor=request.user, office=office, findings=found, **form.cleaned_data
            )
        except ValidationError as error:
            _show_refusal(form, error)
        else:
            count = format_number(len(found), persian=reader_reads_persian())
            messages.success(
                request,
                ngettext(
                    "The visit was recorded with %(count)s finding.",
                    "The visit was recorded with %(count)s findings.",
                    len(found),
                )
                % {"count": count},
            )
            return redirect(reverse("counters:office_detail", args=[office.pk]))
    return render(
        request,
        "counters/ict/visit_form.html",
        {"office": office, "form": form, "formset": formset},
    )


@ict_required
@require_http_methods(["GET"])
def findings(request: HttpRequest) -> HttpResponse:
    form = FindingFilterForm(request.GET or None)
    filters = _filters(form)
    queryset = findings_open(district=filters.get("district") or None)
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    page = Paginator(queryset, FINDINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "counters/ict/findings.html",
        {
            "form": form,
            "page": page,
            "query": query_without(request, "page").urlencode(),
            "here": request.get_full_path(),
        },
    )


@ict_required
@require_http_methods(["GET", "POST"])
def finding_update(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = get_object_or_404(
        VisitFinding.objects.select_related(
            "visit__office__district", "visit__inspector", "category", "updated_by"
        ),
        pk=finding_id,
    )
    initial = {"state": finding.state, "note": finding.resolution, "next": request.GET.get("next")}
    form = FindingMoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_move(
                actor=request.user,
                finding=finding,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            # The one refusal without a field name: a resolution needs a note.
            resolving = form.cleaned_data["state"] == FindingState.RESOLVED
            _show_refusal(form, error, field="note" if resolving else None)
        else:
            label = FindingState(form.cleaned_data["state"]).label
            messages.success(request, _("The finding is now: %(state)s.") % {"state": label})
            return redirect(
                safe_next_url(request, form.cleaned_data["next"]) or reverse("counters:findings")
            )
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    return render(
        request,
        "counters/ict/finding_form.html",
        {
            "finding": finding,
            "form": form,
            "back_url": next_url or reverse("counters:findings"),
        },
    )


# --- scorecards -----------------------------------------------------------------------------------

# How a column sorts: each key gives None when the office has no figure (those go last).
SORT_KEYS = {
    "number": lambda card: card.office.number,
    "filed": lambda card: card.filed,
    "sent_back_share": lambda card: card.sent_back_share,
    "median_days_to_answer": lambda card: card.median_days_to_answer,
    "open_findings": lambda card: card.open_findings,
    "last_training": lambda card: card.last_training,
    "last_visit": lambda card: card.last_visit,
}


def scorecards_sorted(cards: list[Scorecard], sort: str) -> list[Scorecard]:
    """Sorted by one column, ascending or (with a leading '-') descending; offices without a figure
    come last either way, and ties keep the registry's order."""
    key = SORT_KEYS[sort.removeprefix("-")]
    present = [card for card in cards if key(card) is not None]
    missing = [card for card in cards if key(card) is None]
    return sorted(present, key=key, reverse=sort.startswith("-")) + missing


@dataclass(frozen=True)
class _Row:
    """A scorecard as the page shows it."""

    card: Scorecard
    by_kind: list[tuple[str, int]]
    recent_months: list[tuple[str, int]]
    share_percent: int | None
    median_days: str


def _recent_months(count: int) -> list[tuple[str, str]]:
    """The last ``count`` Jalali months up to this one, oldest first: ("1405/08", "Aban 1405")."""
    months = jalali.jalali_months_up_to(timezone.localdate(), count)
    return [(month.key, month.label) for month in months]


def _row(card: Scorecard, months: list[tuple[str, str]]) -> _Row:
    per_month = dict(card.by_month)
    share = card.sent_back_share
    return _Row(
        card=card,
        by_kind=[(label, card.by_kind.get(value, 0)) for value, label in InquiryKind.choices],
        recent_months=[(label, per_month.get(key, 0)) for key, label in months],
        share_percent=None if share is None else round(share * 100),
        median_days=format_days(card.median_days_to_answer),
    )


def _sort_links(request: HttpRequest, current: str) -> dict[str, dict]:
    """For each sortable column: the address that sorts by it (again: the other way round) and
    its aria-sort value when it is the current sort."""
    links = {}
    for name in SORT_KEYS:
        query = query_without(request, "page")
        query["sort"] = f"-{name}" if current == name else name
        state = None
        if current == name:
            state = "ascending"
        elif current == f"-{name}":
            state = "descending"
        links[name] = {"url": f"?{query.urlencode()}", "aria_sort": state}
    return links


@ict_required
@require_http_methods(["GET"])
def scorecard_list(request: HttpRequest) -> HttpResponse:
    page_asked = kept_lists.page_param(request)
    content = kept_lists.fragment(
        request,
        name="scorecards",
        # The address as the sort and page links repeat it (everything but the page), and the page:
        # a kept copy is found before the filters are read.
        depends_on=(query_without(request, "page").urlencode(), page_asked),
        # The offices' figures count their inquiries too.
        lists=[*kept_lists.OFFICE_PAGES, versions.REPORT_FIGURES],
        render=lambda _token: _scorecards_render(request),
        keep=kept_lists.keepable(request),
    )
    return layout.render(request, "counters/ict/scorecards.html", {"content": content})


def _scorecards_render(request: HttpRequest):
    form = OfficeFilterForm(request.GET or None)
    filters = _filters(form)
    sort = filters.get("sort") or "number"
    kind, district = filters.get("kind", ""), filters.get("district") or None
    offices = offices_kept(kind=kind, district=district)
    every_office = not kind and district is None
    cards = scorecards_sorted(scorecards(offices, details=False, every_office=every_office), sort)
    # Every office's sorting figures are needed to sort; only a page of them is drawn in full.
    page = BoundedPaginator(cards, SCORECARDS_PAGE_SIZE).get_page(request.GET.get("page"))
    months = _recent_months(RECENT_MONTHS)
    first = months[0][0]  # "1405/03"
    scorecard_details(page.object_list, since_month=int(first[:4]) * 100 + int(first[5:7]))
    html = render_to_string(
        "counters/ict/_scorecards.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(card, months) for card in page.object_list],
            "sort": sort,
            "sort_links": _sort_links(request, sort),
            "query": query_without(request, "page").urlencode(),
        },
        request,
    )
    return kept_lists.unless_errors(form, html)
