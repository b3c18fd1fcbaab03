"""The monthly report PDFs: a list (the ICT organisation sees every report, a district manager
their own district's), the download after the same check, and the ICT organisation's request for
a month's reports."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import ict_required, reports_required
from accounts.roles import Roles, roles_of
from shahrvand.http import attachment_response
from shahrvand.paging import BoundedPaginator
from shahrvand.text import localize_digits

from .forms_monthly import MonthlyReportRequestForm
from .models import MonthlyReport, MonthlyReportStatus, jalali_month
from .services import monthly_reports_request

PAGE_SIZE = 50


def monthly_reports_visible(roles: Roles) -> QuerySet[MonthlyReport]:
    """Every report for the ICT organisation; a district manager's own districts' reports."""
    reports = MonthlyReport.objects.select_related("district")
    if roles.is_ict_admin:
        return reports
    return reports.filter(district__in=roles.districts_with("manager"))


@never_cache
@reports_required
@require_GET
def monthly_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    queryset = monthly_reports_visible(roles).order_by("-year", "-month", "district__number")
    page = BoundedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/monthly_list.html",
        {
            "page": page,
            "form": MonthlyReportRequestForm() if roles.is_ict_admin else None,
        },
    )


@never_cache
@reports_required
@require_GET
def monthly_download(request: HttpRequest, report_id: int) -> HttpResponse:
    report = (
        monthly_reports_visible(roles_of(request.user))
        .filter(pk=report_id, status=MonthlyReportStatus.READY)
        .first()
    )
    if report is None or not report.pdf:
        raise Http404
    place = f"district-{report.district.number}" if report.district_id else "city"
    name = f"monthly-report-{report.year:04d}-{report.month:02d}-{place}.pdf"
    return attachment_response(report.pdf, filename=name, content_type="application/pdf")


@ict_required
@require_POST
def monthly_request(request: HttpRequest) -> HttpResponse:
    form = MonthlyReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the months offered."))
        return redirect("reports:monthly_list")
    year, month = form.cleaned_data["month"]
    reports = monthly_reports_request(year, month)
    messages.success(
        request,
        _("The reports of %(month)s are being prepared: %(count)s reports.")
        % {"month": jalali_month(year, month).label, "count": localize_digits(len(reports))},
    )
    return redirect("reports:monthly_list")
