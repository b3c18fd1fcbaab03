"""What happens when two requests act at the same moment. Needs a real database server (PostgreSQL in
.ci/run): SQLite in memory cannot be shared between threads."""

import threading

import pytest
from django.db import connection, connections

from inquiries import services
from inquiries.models import Inquiry, InquiryEvent
from inquiries.tests.factories import InquiryFactory, complete_draft

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (run by .ci/run)"
    ),
]


def _at_once(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the outcome is what we test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_double_submit_at_the_same_moment_makes_one_inquiry(citizen):
    draft = complete_draft(citizen)
    first, second = _at_once(
        lambda: services.inquiry_submit(actor=citizen, draft=draft),
        lambda: services.inquiry_submit(actor=citizen, draft=draft),
    )
    assert isinstance(first, Inquiry) and isinstance(second, Inquiry), (first, second)
    assert first.pk == second.pk
    assert Inquiry.objects.count() == 1
    assert InquiryEvent.objects.count() == 1


def test_withdraw_and_review_at_once_have_one_winner(citizen, reviewer_d1):
    inquiry = InquiryFactory(applicant=citizen)
    outcomes = _at_once(
        lambda: services.inquiry_withdraw(actor=citizen, inquiry=inquiry),
        lambda: services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry),
    )
    winners = [o for o in outcomes if isinstance(o, Inquiry)]
    losers = [o for o in outcomes if isinstance(o, services.TransitionNotAllowed)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    inquiry.refresh_from_db()
    assert inquiry.status == winners[0].status
    assert inquiry.events.count() == 2  # submit + the one winning move


def test_events_cannot_be_changed_even_by_sql(citizen):
    from django.db import DatabaseError, transaction

    inquiry = InquiryFactory(applicant=citizen)
    with pytest.raises(DatabaseError), transaction.atomic():
        InquiryEvent.objects.filter(inquiry=inquiry).update(note="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        InquiryEvent.objects.filter(inquiry=inquiry).delete()
    assert inquiry.events.get().note == ""


def test_two_reviewers_taking_one_inquiry_at_once_have_one_winner(citizen, reviewer_d1):
    from accounts.tests.factories import UserFactory
    from districts.models import DistrictRole
    from districts.tests.factories import DistrictMembershipFactory

    colleague = UserFactory(username="colleague-d1")
    DistrictMembershipFactory(user=colleague, role=DistrictRole.REVIEWER)
    inquiry = InquiryFactory(applicant=citizen)
    outcomes = _at_once(
        lambda: services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry),
        lambda: services.inquiry_review_start(actor=colleague, inquiry=inquiry),
    )
    winners = [o for o in outcomes if isinstance(o, Inquiry)]
    assert len(winners) == 1, outcomes
    assert isinstance(next(o for o in outcomes if o not in winners), services.TransitionNotAllowed)
    inquiry.refresh_from_db()
    assert inquiry.assigned_to_id == winners[0].assigned_to_id
    assert inquiry.events.filter(action="start_review").count() == 1


def test_two_managers_signing_one_answer_at_once_sign_it_once(citizen, reviewer_d1, manager_d1):
    from unittest import mock

    from accounts.tests.factories import UserFactory
    from districts.models import DistrictRole
    from districts.tests.factories import DistrictMembershipFactory
    from inquiries.models import Answer

    deputy = UserFactory(username="deputy-d1")
    DistrictMembershipFactory(user=deputy, role=DistrictRole.MANAGER, can_sign=True)
    inquiry = services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )
    answer = services.answer_prepare(
        actor=reviewer_d1, inquiry=inquiry, data={"decision": "no_objection"}, dues=[]
    )
    with mock.patch("inquiries.tasks.answer_pdf_enqueue"):
        outcomes = _at_once(
            lambda: services.answer_sign(actor=manager_d1, answer=answer),
            lambda: services.answer_sign(actor=deputy, answer=answer),
        )
    signed = [o for o in outcomes if isinstance(o, Answer)]
    assert len(signed) == 1, outcomes
    assert isinstance(next(o for o in outcomes if o not in signed), services.InquiryError)
    answer.refresh_from_db()
    assert answer.letter_number == signed[0].letter_number
    assert inquiry.events.filter(action="answer").count() == 1


def test_the_summaries_stay_exact_under_concurrent_writes_to_the_same_rows(citizen, reviewer_d1):
    """Many inquiries of one district, kind and channel, filed the same day, moved at the same
    moment by several threads: every move lands on the same summary rows (the first of them
    created by whichever thread comes first), and the counts equal a full recount afterwards."""
    from inquiries import summaries
    from inquiries.models import QueueCount

    inquiries = [InquiryFactory(applicant=citizen) for _ in range(8)]
    drafts = [complete_draft(citizen) for _ in range(4)]
    # No "in review" row exists yet: the threads race to create it.
    assert not QueueCount.objects.filter(status="in_review").exists()
    submitted = [
        lambda i=i: services.inquiry_review_start(actor=reviewer_d1, inquiry=i) for i in inquiries
    ]
    submitted += [lambda d=d: services.inquiry_submit(actor=citizen, draft=d) for d in drafts]
    outcomes = _at_once(*submitted)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert summaries.check() == []
    counts = dict(QueueCount.objects.filter(n__gt=0).values_list("status", "n"))
    assert counts == {"in_review": 8, "submitted": 4}
