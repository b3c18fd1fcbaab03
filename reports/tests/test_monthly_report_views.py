"""The monthly reports' pages: who sees which reports, the download after the same check (never a
public address), the ICT organisation's request for a month, and the command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from districts.models import District
from reports.models import MonthlyReport, MonthlyReportStatus
from shahrvand.jalali import jalali_months_up_to

pytestmark = pytest.mark.django_db

LIST = reverse("reports:monthly_list")
REQUEST = reverse("reports:monthly_request")


def _download(report: MonthlyReport) -> str:
    return reverse("reports:monthly_download", args=[report.pk])


def _report(number: int | None, *, month: int = 7, ready: bool = True) -> MonthlyReport:
    district = District.objects.get(number=number) if number else None
    report = MonthlyReport.objects.create(year=1405, month=month, district=district)
    if ready:
        content = b"%PDF-1.7 monthly report " + str(number).encode()
        report.pdf.save("report.pdf", ContentFile(content), save=False)
        report.status = MonthlyReportStatus.READY
        report.size = len(content)
        report.rendered_at = timezone.now()
        report.save()
    return report


@pytest.fixture
def reports():
    return {
        "d1": _report(1),
        "d3": _report(3),
        "city": _report(None),
        "d1_pending": _report(1, month=8, ready=False),
    }


def _rows(response) -> set[int]:
    return {report.pk for report in response.context["page"].object_list}


def test_the_ict_admin_sees_every_report(client_for, ict_admin, reports):
    response = client_for(ict_admin).get(LIST)
    assert response.status_code == 200
    assert _rows(response) == {report.pk for report in reports.values()}
    html = response.content.decode()
    assert "مهر ۱۴۰۵" in html and "همه مناطق" in html
    assert html.count('data-testid="monthly-download"') == 3  # the ready ones
    assert "در حال تهیه" in html  # the pending one
    assert 'data-testid="monthly-request"' in html


def test_a_district_manager_sees_their_own_districts_reports_only(client_for, manager_d1, reports):
    response = client_for(manager_d1).get(LIST)
    assert response.status_code == 200
    assert _rows(response) == {reports["d1"].pk, reports["d1_pending"].pk}
    assert 'data-testid="monthly-request"' not in response.content.decode()


def test_the_list_says_when_there_is_no_report_yet(client_for, manager_d1):
    response = client_for(manager_d1).get(LIST)
    assert 'data-testid="monthly-empty"' in response.content.decode()
    assert "هنوز گزارش ماهانه‌ای تهیه نشده است" in response.content.decode()


@pytest.mark.parametrize("persona", ["citizen", "reviewer_d1", "kiosk_clerk"])
def test_people_without_reports_are_refused(client_for, persona, request, reports):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert client.get(_download(reports["d1"])).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, reports):
    for url in (LIST, _download(reports["d1"])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_download_is_the_pdf_as_an_attachment_never_cached(client_for, manager_d1, reports):
    response = client_for(manager_d1).get(_download(reports["d1"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 monthly report 1"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "monthly-report-1405-07-district-1.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_a_manager_gets_404_for_another_districts_report_and_the_citys(
    client_for, manager_d1, reports
):
    client = client_for(manager_d1)
    assert client.get(_download(reports["d3"])).status_code == 404
    assert client.get(_download(reports["city"])).status_code == 404


def test_a_report_still_being_prepared_cannot_be_downloaded(client_for, ict_admin, reports):
    assert client_for(ict_admin).get(_download(reports["d1_pending"])).status_code == 404
    assert client_for(ict_admin).get(_download(reports["city"])).status_code == 200


def test_the_ict_admin_asks_for_a_finished_months_reports(
    client_for, ict_admin, django_capture_on_commit_callbacks
):
    month = jalali_months_up_to(timezone.localdate() - dt.timedelta(days=40), 1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ict_admin).post(
            REQUEST, {"month": f"{month.year:04d}-{month.month:02d}"}, follow=True
        )
    assert response.redirect_chain[-1][0] == LIST
    made = MonthlyReport.objects.filter(year=month.year, month=month.month)
    assert made.count() == 5  # the city and districts 1, 3, 4, 5
    assert all(report.status == MonthlyReportStatus.READY for report in made)  # eager workers
    assert "در حال تهیه است" in response.content.decode()


def test_the_current_month_and_made_up_months_are_refused(client_for, ict_admin):
    now = jalali_months_up_to(timezone.localdate(), 1)[0]
    client = client_for(ict_admin)
    for value in (f"{now.year:04d}-{now.month:02d}", "1405-13", "x"):
        response = client.post(REQUEST, {"month": value})
        assert response.status_code == 302
    assert not MonthlyReport.objects.exists()


def test_only_the_ict_admin_may_ask_for_reports(client_for, manager_d1):
    response = client_for(manager_d1).post(REQUEST, {"month": "1405-07"})
    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()


def test_the_command_prepares_a_months_reports_here_and_now():
    out = io.StringIO()
    call_command("monthly_reports", "۱۴۰۵/۰۷", "--here", stdout=out)
    made = MonthlyReport.objects.filter(year=1405, month=7)
    assert made.count() == 5
    assert all(report.status == MonthlyReportStatus.READY and report.pdf for report in made)
    assert "1405-07 district 1: ready" in out.getvalue()
    # Run again: nothing is rendered twice.
    before = {report.pk: report.rendered_at for report in made}
    call_command("monthly_reports", "1405-07", "--here", stdout=io.StringIO())
    assert {report.pk: report.rendered_at for report in made.all()} == before


def test_the_command_refuses_what_is_no_month():
    for text in ("1405", "1405-13", "aban"):
        with pytest.raises(CommandError):
            call_command("monthly_reports", text)


def test_the_admin_lists_the_reports_but_changes_none(client_for, ict_admin, reports):
    client = client_for(ict_admin)
    assert client.get(reverse("admin:reports_monthlyreport_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_monthlyreport_add")).status_code == 403
    change = reverse("admin:reports_monthlyreport_change", args=[reports["d1"].pk])
    assert client.post(change, {"status": "failed"}).status_code == 403
    delete = reverse("admin:reports_monthlyreport_delete", args=[reports["d1"].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert MonthlyReport.objects.get(pk=reports["d1"].pk).status == MonthlyReportStatus.READY


def test_the_dashboard_links_to_the_monthly_reports(client_for, manager_d1):
    html = client_for(manager_d1).get(reverse("reports:dashboard")).content.decode()
    assert f'href="{LIST}"' in html
