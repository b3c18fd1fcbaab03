"""When the monthly reports are asked for: on the first working day of a Jalali month, for the
month before (Nowruz and a month that starts on a Friday push that day later); once per month and
place; pending ones enqueued again by the sweeper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from districts.models import District
from reports import services, tasks
from reports.models import MonthlyReport, MonthlyReportStatus

pytestmark = pytest.mark.django_db

# 1 Farvardin 1405 (a Saturday) to 4 Farvardin are Nowruz holidays: the first working day is the 5th.
FARVARDIN_1 = dt.date(2026, 3, 21)
FARVARDIN_5 = dt.date(2026, 3, 25)
# 1 Aban 1405 is a Friday, the weekly day off: the first working day is Saturday the 2nd.
ABAN_1 = dt.date(2026, 10, 23)
ABAN_2 = dt.date(2026, 10, 24)


def _months() -> set[tuple[int, int]]:
    return set(MonthlyReport.objects.values_list("year", "month"))


def _places(year: int, month: int) -> set[int | None]:
    return set(
        MonthlyReport.objects.filter(year=year, month=month).values_list(
            "district__number", flat=True
        )
    )


def test_the_first_working_day_of_farvardin_comes_after_nowruz():
    for day in range(4):
        assert services.monthly_reports_due(FARVARDIN_1 + dt.timedelta(days=day)) == []
    assert _months() == set()
    reports = services.monthly_reports_due(FARVARDIN_5)
    # Esfand 1404's reports: the city's and one per district online then (district 2 is not).
    assert _months() == {(1404, 12)}
    assert _places(1404, 12) == {None, 1, 3, 4, 5}
    assert len(reports) == 5
    assert all(report.status == MonthlyReportStatus.PENDING for report in reports)


def test_a_month_that_starts_on_a_friday_has_its_first_working_day_on_saturday():
    assert services.first_working_day(MonthlyReport(year=1405, month=8).period) == ABAN_2
    assert services.monthly_reports_due(ABAN_1) == []
    assert _months() == set()
    services.monthly_reports_due(ABAN_2)
    assert _months() == {(1405, 7)}  # Mehr


def test_later_days_of_the_month_ask_for_nothing_more(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as first:
        services.monthly_reports_due(ABAN_2)
    assert len(first) == 5  # one worker asked per report
    with django_capture_on_commit_callbacks() as later:
        services.monthly_reports_due(ABAN_2 + dt.timedelta(days=1))
        services.monthly_reports_due(ABAN_2)  # the scheduler running twice the same day
    assert later == []
    assert MonthlyReport.objects.count() == 5


def test_a_missed_first_working_day_is_made_up_on_the_next_working_day_not_on_a_day_off():
    friday = dt.date(2026, 10, 30)
    assert services.monthly_reports_due(friday) == []
    services.monthly_reports_due(friday + dt.timedelta(days=1))
    assert _months() == {(1405, 7)}


def test_a_district_online_after_the_month_gets_no_report_for_it():
    District.objects.filter(number=4).update(
        transfer_online_since=dt.date(2026, 10, 23),
        bank_online_since=None,
        agency_online_since=dt.date(2026, 11, 1),
    )
    services.monthly_reports_request(1405, 7)  # Mehr ended on 2026-10-22
    assert _places(1405, 7) == {None, 1, 3, 5}
    services.monthly_reports_request(1405, 8)
    assert _places(1405, 8) == {None, 1, 3, 4, 5}


def test_the_periodic_task_uses_todays_date(monkeypatch):
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: ABAN_1)
    assert tasks.monthly_reports_due.delay().get() == 0
    monkeypatch.setattr(services.timezone, "localdate", lambda *args: ABAN_2)
    assert tasks.monthly_reports_due.delay().get() == 5


def test_a_request_leaves_ready_and_pending_reports_alone_and_asks_again_for_failed_ones(
    django_capture_on_commit_callbacks,
):
    services.monthly_reports_request(1405, 7)
    city = MonthlyReport.objects.get(year=1405, month=7, district=None)
    one = MonthlyReport.objects.get(year=1405, month=7, district__number=1)
    MonthlyReport.objects.filter(pk=city.pk).update(status=MonthlyReportStatus.READY)
    MonthlyReport.objects.filter(pk=one.pk).update(
        status=MonthlyReportStatus.FAILED, error="ValueError: boom"
    )
    with django_capture_on_commit_callbacks() as asked:
        services.monthly_reports_request(1405, 7)
    assert len(asked) == 1  # the failed one only
    one.refresh_from_db()
    assert (one.status, one.error) == (MonthlyReportStatus.PENDING, "")
    assert MonthlyReport.objects.get(pk=city.pk).status == MonthlyReportStatus.READY
    # The daily run does not retry failures (a broken template would fail every day).
    MonthlyReport.objects.filter(pk=one.pk).update(status=MonthlyReportStatus.FAILED)
    with django_capture_on_commit_callbacks() as daily:
        services.monthly_reports_due(ABAN_2)
    assert daily == []
    # Forced, every report is asked for again.
    with django_capture_on_commit_callbacks() as forced:
        services.monthly_reports_request(1405, 7, force=True)
    assert len(forced) == 5


def test_the_sweeper_enqueues_again_the_reports_pending_for_a_while():
    services.monthly_reports_request(1405, 7)  # no commit in a test: no worker was asked
    old = timezone.now() - tasks.SWEEP_AFTER - dt.timedelta(minutes=1)
    stale = MonthlyReport.objects.get(year=1405, month=7, district__number=1)
    MonthlyReport.objects.filter(pk=stale.pk).update(requested_at=old)
    assert tasks.sweep_monthly_reports.delay().get() == 1
    stale.refresh_from_db()
    assert stale.status == MonthlyReportStatus.READY and stale.pdf  # rendered by the (eager) task
    # The others were asked for just now: left to their workers.
    assert MonthlyReport.objects.filter(status=MonthlyReportStatus.PENDING).count() == 4
    # And a report the sweeper re-asked for is not asked again at once.
    assert tasks.sweep_monthly_reports.delay().get() == 0


def test_the_beat_schedule_runs_the_daily_check_and_the_sweeper(settings):
    from shahrvand.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (tasks.monthly_reports_due, tasks.sweep_monthly_reports):
        assert task.name in scheduled
        assert task.name in app.tasks
    due = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.monthly_reports_due.name
    )
    assert due["schedule"].hour == {6}  # in the morning, Tehran time (CELERY_TIMEZONE)
