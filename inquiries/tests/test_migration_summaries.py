"""Migrations 0011 to 0013 on a database that already holds inquiries: the inquiries sent back are marked,
and every summary is counted from the rows already there."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from counters.tests.factories import OfficeFactory
from inquiries import services, summaries
from inquiries.models import DeficiencyReason, Inquiry, OfficeMonth, OfficeReason, QueueCount
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Channel


def _signed(inquiry, reviewer, signer):
    data = {
        "decision": "conditional",
        "conditions": "تسویه عوارض",
        "building_status": "completed",
        "certificate_type": "none",
        "land_use_plan": "residential",
        "road_widening": "not_affected",
    }
    inquiry = services.inquiry_review_start(actor=reviewer, inquiry=inquiry)
    answer = services.answer_prepare(actor=reviewer, inquiry=inquiry, data=data, dues=[])
    services.answer_sign(actor=signer, answer=answer)
    return inquiry


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_existing_inquiries_are_counted_when_the_summaries_arrive(citizen, reviewer_d1, manager_d1):
    office = OfficeFactory()
    reason = DeficiencyReason.objects.create(title="سند ناخوانا")
    for _ in range(3):
        inquiry = InquiryFactory(applicant=citizen, office=office, channel=Channel.NOTARY_OFFICE)
    answered = _signed(InquiryFactory(applicant=citizen), reviewer_d1, manager_d1)
    inquiry = services.inquiry_review_start(actor=reviewer_d1, inquiry=inquiry)
    services.inquiry_info_request(actor=reviewer_d1, inquiry=inquiry, reasons=[reason])

    _migrate([("inquiries", "0009_answer_signer_role_code_prepared_at")])
    _migrate([("inquiries", "0013_dashboard_summaries")])
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())  # and on to the latest, as the other tests expect

    assert list(Inquiry.objects.filter(sent_back=True)) == [inquiry]
    assert summaries.check() == []
    assert sum(QueueCount.objects.values_list("n", flat=True)) == 4
    assert OfficeMonth.objects.get(office=office).sent_back == 1
    assert OfficeReason.objects.get(office=office, reason=reason).n == 1
    assert Inquiry.objects.get(pk=answered.pk).decision == "conditional"
