"""Migration 0008 on real rows: the signer's role stored as words (in either interface language)
becomes a code, and each signed answer's preparation time comes back from its history. Run by
migrating the database back to 0007 and forward again, on SQLite and on PostgreSQL."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inquiries import services
from inquiries.models import Answer, InquiryEvent
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Action

BEFORE = ("inquiries", "0007_release_when_role_ends")
DATA = {
    "decision": "no_objection",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
}


def _migration():
    return importlib.import_module("inquiries.migrations.0008_answer_records_as_signed")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _signed(citizen, reviewer, signer) -> Answer:
    inquiry = services.inquiry_review_start(
        actor=reviewer, inquiry=InquiryFactory(applicant=citizen)
    )
    answer = services.answer_prepare(actor=reviewer, inquiry=inquiry, data=DATA, dues=[])
    return services.answer_sign(actor=signer, answer=answer)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_stored_words_become_codes_and_the_preparation_time_comes_back(
    citizen, reviewer_d1, manager_d1, ict_admin
):
    from districts.services_power import district_membership_change

    district_membership_change(
        actor=ict_admin, membership=reviewer_d1.district_memberships.get(), can_sign=True
    )
    by_manager = [_signed(citizen, reviewer_d1, manager_d1) for _ in range(3)]
    by_reviewer = [_signed(citizen, reviewer_d1, reviewer_d1) for _ in range(2)]
    answers = by_manager + by_reviewer

    # Read before rolling back: today's Inquiry model has columns the older schema lacks.
    name = by_manager[0].inquiry.district.name
    _migrate([BEFORE])
    # Rolled back, the roles read as the letters' Persian words.
    stored = dict(Answer.objects.values_list("pk", "signer_role"))
    assert stored[by_manager[0].pk] == f"مدیر منطقه، {name}"
    assert stored[by_reviewer[0].pk] == f"کارشناس بررسی، {name}"
    # As the old code left them: words in the signer's language, prepared_at = signing time.
    words = [
        f"District manager، {name}",
        f"مدیر منطقه، {name}",
        "Chef de district",  # words no version wrote: decided by the signer's membership
        f"Reviewer، {name}",
        f"کارشناس بررسی، {name}",
    ]
    for answer, text in zip(answers, words, strict=True):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE inquiries_answer SET signer_role = %s, prepared_at = signed_at "
                "WHERE id = %s",
                [text, answer.pk],
            )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    codes = dict(Answer.objects.values_list("pk", "signer_role"))
    assert [codes[a.pk] for a in answers] == ["manager"] * 3 + ["reviewer"] * 2
    for answer in Answer.objects.filter(pk__in=[a.pk for a in answers]):
        prepared = InquiryEvent.objects.get(
            inquiry_id=answer.inquiry_id, action=Action.ANSWER_PREPARED
        )
        assert answer.prepared_at == prepared.created_at < answer.signed_at


@pytest.mark.parametrize(
    ("stored", "code"),
    [
        ("مدیر منطقه، منطقه یک", "manager"),
        ("District manager، منطقه یک", "manager"),
        ("کارشناس بررسی، منطقه یک", "reviewer"),
        ("Reviewer، منطقه یک", "reviewer"),
    ],
)
def test_each_label_ever_stored_maps_to_its_code(stored, code):
    answer = SimpleNamespace(signer_role=stored)
    assert _migration()._code(answer, DistrictMembership=None) == code
