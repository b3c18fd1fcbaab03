"""An office's own pages: its inquiries (every operator's), filing for a citizen, and, for the office
manager, the office's operators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import layout
from accounts.decorators import operator_required
from accounts.roles import roles_of
from inquiries import listing
from inquiries import services as inquiry_services
from inquiries.workflow import WAITING_ON_APPLICANT
from shahrvand import kept_lists, versions
from shahrvand.paging import BoundedPaginator
from shahrvand.search import list_search

from .. import services
from ..forms import OfficeFileForm, OfficeQueueFilterForm, OperatorForm
from ..models import OfficeMembership
from ..selectors import (
    office_counts,
    office_get_for_operator,
    office_inquiries,
    office_memberships,
    office_shown_to_operator,
    offices_of,
)

PAGE_SIZE = 25


@operator_required
@require_GET
def office_home(request: HttpRequest) -> HttpResponse:
    offices = list(offices_of(request.user))
    if len(offices) == 1:
        return redirect("counters:office_queue", offices[0].pk)
    return render(request, "counters/office/home.html", {"offices": offices})


@operator_required
@require_http_methods(["GET", "POST"])
def office_queue(request: HttpRequest, office_id: int) -> HttpResponse:
    """The filters are POSTed: the search may be a national ID, which must not sit in a URL
    (``shahrvand.search``)."""
    office = office_shown_to_operator(request.user, office_id)
    search = list_search(
        request,
        list_key=f"office-queue:{office.pk}",
        form_class=OfficeQueueFilterForm,
        office=office,
    )
    if search.redirect:
        return search.redirect
    form = search.form
    filters = form.cleaned_data if form.is_valid() else {}
    is_manager = roles_of(request.user).manages_office(office.pk)
    page_asked = kept_lists.page_param(request)
    content = kept_lists.fragment(
        request,
        name="office-queue",
        # What the page shows of the office, and whether the reader manages it.
        depends_on=(
            (office.pk, office.name, office.kind, office.number, office.district_id),
            is_manager,
            kept_lists.filters_key(filters),
            page_asked,
        ),
        # Any inquiry of the office saved, the summaries rewritten, a district renamed, an
        # operator added or taken off (the offices' records: the filter names the operators).
        lists=[*kept_lists.OFFICE_PAGES, versions.office_lists(office.pk)],
        render=lambda csrf_token: _queue_render(
            request, office, form, filters, search, is_manager, csrf_token
        ),
        keep=kept_lists.keepable(request, form, term=search.term),
    )
    return layout.render(
        request,
        "counters/office/queue.html",
        {"office": office, "content": content},
        depends_on=(office.name,),  # the title
    )


def _queue_render(request, office, form, filters, search, is_manager, csrf_token: str) -> str:
    queryset = office_inquiries(
        office,
        operator_id=filters.get("operator"),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
    )
    counts = office_counts(office)
    known = None
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()  # the form says what to correct; no list pretends to match
    elif not (filters.get("operator") or filters.get("q")):
        status = filters.get("status", "")
        known = counts.get(status, 0) if status else sum(counts.values())
    page = BoundedPaginator(queryset, PAGE_SIZE, known_count=known).get_page(
        request.GET.get("page")
    )
    lines = listing.lines(page.object_list, url_name="inquiries:detail")
    return render_to_string(
        "counters/office/_queue.html",
        {
            "office": office,
            "form": form,
            "page": page,
            "lines": lines,
            "rows": listing.rows("office_queue_rows.html", lines),
            "counts": counts,
            "waiting_on_us": sum(counts.get(s, 0) for s in WAITING_ON_APPLICANT),
            "is_manager": is_manager,
            "query": search.query,
            "search": search,
            "csrf_token": csrf_token,
        },
        request,
    )


@operator_required
@require_http_methods(["GET", "POST"])
def office_file(request: HttpRequest, office_id: int) -> HttpResponse:
    """Start an inquiry for a citizen at the counter; the steps are the same as online."""
    office = office_get_for_operator(request.user, office_id)
    form = OfficeFileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = inquiry_services.draft_start(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            channel=office.channel,
            office=office,
        )
        return redirect(reverse("inquiries:draft_step", args=[draft.pk, "property"]))
    return render(request, "counters/office/file.html", {"office": office, "form": form})


def _require_manager(request: HttpRequest, office) -> None:
    if not roles_of(request.user).manages_office(office.pk):
        raise PermissionDenied


@operator_required
@require_http_methods(["GET", "POST"])
def office_operators(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_get_for_operator(request.user, office_id)
    _require_manager(request, office)
    form = OperatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.operator_create(actor=request.user, office=office, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The operator's account was created."))
            return redirect("counters:office_operators", office.pk)
    return render(
        request,
        "counters/office/operators.html",
        {
            "office": office,
            "form": form,
            "memberships": office_memberships(office).annotate(
                filed=Count("user__inquiries_filed", filter=Q(user__inquiries_filed__office=office))
            ),
        },
    )


@operator_required
@require_POST
def office_operator_active(
    request: HttpRequest, office_id: int, membership_id: int
) -> HttpResponse:
    office = office_get_for_operator(request.user, office_id)
    _require_manager(request, office)
    membership = get_object_or_404(OfficeMembership, pk=membership_id, office=office)
    active = request.POST.get("active") == "1"
    try:
        services.operator_set_active(actor=request.user, membership=membership, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The account was reactivated.") if active else _("The account was deactivated."),
        )
    return redirect("counters:office_operators", office.pk)
