"""The summaries (queue counts, the reports' figures) stay equal to a full recount through every
write of the services, and the check command finds and repairs any drift."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from counters.tests.factories import OfficeFactory, OperatorFactory
from inquiries import services, summaries
from inquiries.models import DayFigures, Inquiry, MonthFigures, OfficeCount, QueueCount
from inquiries.workflow import Channel, InquiryStatus

from .factories import InquiryFactory, png_upload

pytestmark = pytest.mark.django_db


def test_a_new_inquiry_counts_once_in_each_summary(citizen):
    office = OfficeFactory()
    inquiry = InquiryFactory(applicant=citizen, office=office, channel=Channel.COUNTER_OFFICE)
    key = {"district_id": inquiry.district_id, "kind": inquiry.kind}
    assert QueueCount.objects.get(**key, channel=Channel.COUNTER_OFFICE, status="submitted").n == 1
    assert OfficeCount.objects.get(office=office, kind=inquiry.kind, status="submitted").n == 1
    day = DayFigures.objects.get(**key, day=timezone.localdate(inquiry.submitted_at))
    assert (day.filed, day.open, day.answered, day.withdrawn) == (1, 1, 0, 0)
    month = MonthFigures.objects.get(**key)
    assert month.month == summaries.month_key(timezone.localdate(inquiry.submitted_at))
    assert (month.filed, month.open) == (1, 1)
    assert summaries.check() == []


def test_a_move_takes_the_inquiry_out_of_its_old_row_and_into_the_new(citizen, reviewer_d1):
    inquiry = InquiryFactory(applicant=citizen)
    services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    counts = dict(QueueCount.objects.values_list("status", "n"))
    assert counts == {"submitted": 0, "in_review": 1}
    assert summaries.check() == []


def test_the_answer_time_is_summed_and_taken_back_when_the_answer_is_revoked(citizen):
    submitted = timezone.now() - dt.timedelta(days=3)
    inquiry = InquiryFactory(applicant=citizen, submitted_at=submitted)
    before = summaries.Snapshot.of(inquiry)
    inquiry.status, inquiry.answered_at = InquiryStatus.ANSWERED, submitted + dt.timedelta(days=2)
    summaries.record(before, summaries.Snapshot.of(inquiry))
    day = DayFigures.objects.get()
    assert (day.open, day.answered, day.answer_seconds) == (0, 1, 2 * 86400)
    summaries.record(summaries.Snapshot.of(inquiry), before)
    day.refresh_from_db()
    assert (day.open, day.answered, day.answer_seconds) == (1, 0, 0)


def test_the_month_is_the_jalali_month_of_the_local_filing_day():
    # 1401/07/01 is 23 September 2022; 1403/12/30 (a leap Esfand) is 20 March 2025.
    assert summaries.month_key(dt.date(2022, 9, 23)) == 140107
    assert summaries.month_key(dt.date(2022, 9, 22)) == 140106
    assert summaries.month_key(dt.date(2025, 3, 20)) == 140312
    assert summaries.month_key(dt.date(2025, 3, 21)) == 140401


def test_the_command_reports_drift_and_repairs_it(citizen, capsys):
    InquiryFactory(applicant=citizen)
    InquiryFactory(applicant=citizen, status=InquiryStatus.IN_REVIEW)
    # A change made behind the services' back (a hand edit in the database, say):
    Inquiry.objects.filter(status=InquiryStatus.IN_REVIEW).update(status=InquiryStatus.WITHDRAWN)
    with pytest.raises(CommandError, match="differ"):
        call_command("summaries_check")
    assert "QueueCount" in capsys.readouterr().out
    call_command("summaries_check", "--repair")
    assert summaries.check() == []
    assert dict(QueueCount.objects.filter(n__gt=0).values_list("status", "n")) == {
        "submitted": 1,
        "withdrawn": 1,
    }
    call_command("summaries_check")
    assert "match" in capsys.readouterr().out


def test_an_office_inquiry_sent_back_counts_once_with_each_reason(citizen, reviewer_d1):
    from inquiries.models import DeficiencyReason, OfficeMonth, OfficeReason

    operator = OperatorFactory().user
    office = operator.office_memberships.get().office
    reasons = [DeficiencyReason.objects.create(title=t) for t in ("سند", "پلاک")]
    inquiry = InquiryFactory(
        applicant=citizen, office=office, channel=Channel.COUNTER_OFFICE, filed_by=operator
    )
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    inquiry = services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, reasons=reasons)
    inquiry = services.inquiry_resubmit(
        actor=operator, inquiry=inquiry, note="فرستادم", uploads=[("deed", png_upload())]
    )
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, reasons=reasons[:1])
    assert OfficeMonth.objects.get(office=office).sent_back == 1  # sent back twice: one inquiry
    assert dict(OfficeReason.objects.values_list("reason__title", "n")) == {"سند": 2, "پلاک": 1}
    assert summaries.check() == []


@pytest.mark.parametrize(
    "histogram, share, expected",
    [
        ([], 0.5, None),
        ([(3, 1)], 0.5, 3.0),
        ([(1, 1), (2, 1)], 0.5, 1.5),
        ([(2, 1), (3, 1), (7, 1)], 0.5, 3.0),
        ([(0, 5), (10, 5)], 0.9, 10.0),
        ([(1, 10), (2, 0), (4, 10)], 0.5, 2.5),
    ],
)
def test_percentiles_from_a_histogram_agree_with_the_statistics_module(histogram, share, expected):
    import statistics

    assert summaries.percentile(histogram, share) == expected
    values = [v for v, n in histogram for _ in range(n)]
    if len(values) > 1:
        cut = statistics.quantiles(values, n=10 if share == 0.9 else 2, method="inclusive")
        assert summaries.percentile(histogram, share) == pytest.approx(
            cut[-1] if share == 0.9 else cut[0]
        )


def test_the_decision_in_force_and_the_answer_time_follow_sign_correct_and_revoke(
    citizen, reviewer_d1, manager_d1
):
    from inquiries.models import AnswerDays, AnswerDecision
    from inquiries.tests.test_workflow import ANSWER_DATA, DUES

    assert set(summaries.DECISIONS) == set(AnswerDecision.values)
    due = timezone.localdate() + dt.timedelta(days=5)
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen, due_date=due)
    )
    answer = services.answer_prepare(
        actor=reviewer_d1, inquiry=inquiry, data=ANSWER_DATA, dues=DUES
    )
    services.answer_sign(actor=manager_d1, answer=answer)
    month = MonthFigures.objects.get()
    assert (month.answered, month.answered_in_time, month.conditional) == (1, 1, 1)
    assert list(AnswerDays.objects.filter(n__gt=0).values_list("working_days", "n")) == [(0, 1)]

    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    plain = {**ANSWER_DATA, "decision": "no_objection", "conditions": ""}
    correction = services.answer_prepare(actor=manager_d1, inquiry=inquiry, data=plain, dues=[])
    services.answer_sign(actor=manager_d1, answer=correction)
    month.refresh_from_db()
    assert (month.answered, month.conditional, month.no_objection) == (1, 0, 1)
    assert Inquiry.objects.get(pk=inquiry.pk).decision == "no_objection"

    services.answer_revoke(actor=manager_d1, answer=correction, reason="پلاک اشتباه بود")
    month.refresh_from_db()
    assert (month.answered, month.open, month.no_objection, month.answered_in_time) == (0, 1, 0, 0)
    assert not AnswerDays.objects.filter(n__gt=0).exists()
    assert Inquiry.objects.get(pk=inquiry.pk).decision == ""
    assert summaries.check() == []
