"""The dashboard's figures on a small hand-made set whose answers are known: working days to the
answer (median, 90th percentile), the share answered within the deadline, the answers by decision,
the open inquiries by age and the kiosks' visitors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from districts.models import District, KioskHelpLog
from inquiries.tests.factories import InquiryFactory
from reports.selectors import district_report, kiosk_visits, open_by_age

pytestmark = pytest.mark.django_db

FILED = dt.date(2026, 11, 1)  # a Sunday (1405/08/10)
TODAY = dt.date(2026, 11, 30)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _answered(after_days: int, *, due_in: int = 10, decision="no_objection", district_number=1):
    """Filed on FILED, answered ``after_days`` calendar days later."""
    return InquiryFactory(
        district_number=district_number,
        submitted_at=_at(FILED),
        status="answered",
        answered_at=_at(FILED + dt.timedelta(days=after_days), 12),
        due_date=FILED + dt.timedelta(days=due_in),
        decision=decision,
    )


@pytest.fixture
def known():
    # Calendar days 2, 4, 6, 9, 15 after a Sunday are 2, 4, 5, 8 and 13 working days (Fridays off).
    _answered(2)
    _answered(4, decision="conditional")
    _answered(6, decision="conditional")
    _answered(9, due_in=8, decision="violations")  # one day late
    _answered(15, due_in=10, decision="cannot_answer")  # late
    InquiryFactory(submitted_at=_at(FILED), status="withdrawn")
    # Open now, filed 0, 3, 8, 25 and 40 days before TODAY; one of another district.
    for days, number in ((0, 1), (3, 1), (8, 1), (25, 1), (40, 1), (8, 3)):
        InquiryFactory(
            district_number=number,
            submitted_at=_at(TODAY - dt.timedelta(days=days)),
            status="in_review",
            due_date=TODAY + dt.timedelta(days=5),
        )


def test_working_days_to_the_answer_deadline_share_and_decisions(known):
    report = district_report(
        District.objects.filter(number=1), date_from=FILED, date_to=FILED, today=TODAY
    )
    figures = report.rows[0].figures
    assert (figures.total, figures.answered, figures.withdrawn) == (6, 5, 1)
    assert figures.median_working_days == 5
    # The 90th percentile of 2, 4, 5, 8, 13 (inclusive method): 8 + 0.6 * (13 - 8)
    assert figures.p90_working_days == pytest.approx(11.0)
    assert figures.answered_in_time == 3
    assert figures.in_time_share == pytest.approx(0.6)
    assert figures.by_decision == {
        "no_objection": 1,
        "conditional": 2,
        "violations": 1,
        "cannot_answer": 1,
    }
    assert report.totals.median_working_days == 5
    assert report.totals.by_decision == figures.by_decision


def test_a_period_without_answers_has_no_median():
    report = district_report(District.objects.filter(number=1), today=TODAY)
    assert report.totals.median_working_days is None
    assert report.totals.in_time_share is None


def test_open_inquiries_by_age(known):
    bands = open_by_age(District.objects.filter(number=1), today=TODAY)
    assert bands == [((0, 5), 2), ((6, 10), 1), ((11, 20), 0), ((21, 30), 1), ((31, None), 1)]
    both = open_by_age(District.objects.filter(number__in=[1, 3]), today=TODAY)
    assert dict(both)[(6, 10)] == 2


def test_kiosk_visitors_per_district_in_the_period(reviewer_d1):
    one, three = District.objects.get(number=1), District.objects.get(number=3)
    for district, day in ((one, FILED), (one, FILED), (three, FILED), (one, TODAY)):
        log = KioskHelpLog.objects.create(
            district=district, staff=reviewer_d1, topic="other", resolution="", minutes=5
        )
        KioskHelpLog.objects.filter(pk=log.pk).update(created_at=_at(day))
    districts = District.objects.filter(number__in=[1, 3, 5]).order_by("number")
    assert kiosk_visits(districts, date_from=FILED, date_to=FILED) == {
        one.pk: 2,
        three.pk: 1,
        District.objects.get(number=5).pk: 0,
    }
    assert kiosk_visits(districts)[one.pk] == 3
