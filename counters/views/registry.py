"""The ICT organisation's office registry: search, filters, one office's page, CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import layout
from accounts.decorators import ict_required
from shahrvand import kept_lists, versions
from shahrvand.http import query_without
from shahrvand.text import localize_digits

from ..forms import ImportForm, RegistryFilterForm
from ..imports import offices_import_csv
from ..models import CounterOffice
from ..selectors import findings_open, office_memberships, offices_registry, scorecards

PAGE_SIZE = 30


@ict_required
@require_GET
def registry(request: HttpRequest) -> HttpResponse:
    page_asked = kept_lists.page_param(request)
    content = kept_lists.fragment(
        request,
        name="office-registry",
        # The address as the page's links repeat it (everything but the page), and the page: a
        # kept copy is found before the filters are read.
        depends_on=(query_without(request, "page").urlencode(), page_asked),
        lists=kept_lists.OFFICE_PAGES,
        render=lambda _token: _registry_render(request),
        # A search by name or licence is kept like any filter: it names no person.
        keep=kept_lists.keepable(request),
    )
    return layout.render(request, "counters/registry/list.html", {"content": content})


def _registry_render(request: HttpRequest):
    form = RegistryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    active = {"1": True, "0": False}.get(filters.get("active") or "")
    district = filters.get("district")
    queryset = offices_registry(
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        district=district.pk if district else None,
        active=active,
    )
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()  # the form says what to correct; no list pretends to match
    html = render_to_string(
        "counters/registry/_list.html",
        {
            "form": form,
            "page": Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query_without(request, "page").urlencode(),
        },
        request,
    )
    return kept_lists.unless_errors(form, html)


@ict_required
@require_GET
def office_detail(request: HttpRequest, office_id: int) -> HttpResponse:
    office = get_object_or_404(CounterOffice.objects.only("pk", "name"), pk=office_id)
    content = kept_lists.fragment(
        request,
        name="office-detail",
        depends_on=(office.pk,),
        # Its scorecard counts its inquiries too.
        lists=[*kept_lists.OFFICE_PAGES, versions.REPORT_FIGURES],
        render=lambda _token: _office_render(request, office.pk),
    )
    return layout.render(
        request,
        "counters/registry/detail.html",
        {"office": office, "content": content},
        depends_on=(office.name,),  # the title
    )


def _office_render(request: HttpRequest, office_id: int) -> str:
    # The registry's row (district, last training and visit, open findings) is the office itself.
    office = offices_registry().get(pk=office_id)
    card = scorecards([office])[0]
    return render_to_string(
        "counters/registry/_detail.html",
        {
            "office": office,
            "card": card,
            "operators": office_memberships(office),
            "findings": findings_open(office=office),
            "visits": office.visits.select_related("inspector").prefetch_related(
                "findings__category"
            )[:10],
            "trainings": office.trainings.select_related("session").order_by("-session__date")[:10],
        },
        request,
    )


@ict_required
@require_http_methods(["GET", "POST"])
def registry_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        # The form has checked the size, so reading the upload is bounded.
        result = offices_import_csv(form.cleaned_data["file"].read())
        if result.ok:
            messages.success(
                request,
                _("Imported: %(created)s new offices, %(updated)s updated.")
                % {
                    "created": localize_digits(result.created),
                    "updated": localize_digits(result.updated),
                },
            )
            return redirect("counters:registry")
    return render(request, "counters/registry/import.html", {"form": form, "result": result})
