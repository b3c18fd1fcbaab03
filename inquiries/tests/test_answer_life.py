"""The answer's life as a table (draft -> signed -> superseded / revoked), moved by one function
that writes the inquiry's events; and a signed record that stays what it was when signed."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from inquiries import services
from inquiries.models import Answer, AnswerStatus, Inquiry, InquiryEvent
from inquiries.models.answer import ANSWER_TRANSITIONS, AnswerAction, SignerRole
from inquiries.services.answers import AnswerTransitionNotAllowed, answer_transition
from inquiries.tests.factories import InquiryFactory
from inquiries.workflow import Action, InquiryStatus

pytestmark = pytest.mark.django_db

DATA = {
    "decision": "no_objection",
    "building_status": "completed",
    "certificate_type": "none",
    "land_use_plan": "residential",
    "road_widening": "not_affected",
}


@pytest.fixture
def in_review(citizen, reviewer_d1):
    return services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )


def _prepare(inquiry, actor, **changes):
    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    return services.answer_prepare(actor=actor, inquiry=inquiry, data={**DATA, **changes}, dues=[])


def _signed(inquiry, reviewer, manager):
    answer = _prepare(inquiry, reviewer)
    return services.answer_sign(actor=manager, answer=answer)


def _events(inquiry) -> list[str]:
    return list(InquiryEvent.objects.filter(inquiry=inquiry).values_list("action", flat=True))


# --- the table ----------------------------------------------------------------------------------


def test_the_answer_table_allows_exactly_these_moves():
    allowed = {
        (action, source, rule.target)
        for action, rule in ANSWER_TRANSITIONS.items()
        for source in rule.sources
    }
    assert allowed == {
        (AnswerAction.SIGN, AnswerStatus.DRAFT, AnswerStatus.SIGNED),
        (AnswerAction.SUPERSEDE, AnswerStatus.SIGNED, AnswerStatus.SUPERSEDED),
        (AnswerAction.REVOKE, AnswerStatus.SIGNED, AnswerStatus.REVOKED),
    }


def test_only_the_one_function_assigns_an_answers_status():
    source = Path(services.answers.__file__).read_text()
    assert len(re.findall(r"\.status\s*=[^=]", source)) == 1
    assert "answer.status = rule.target" in source


# --- each allowed move, with the event it writes -------------------------------------------------


def test_signing_the_first_answer_answers_the_inquiry(in_review, reviewer_d1, manager_d1):
    answer = _signed(in_review, reviewer_d1, manager_d1)
    answer.refresh_from_db()
    inquiry = Inquiry.objects.get(pk=in_review.pk)
    assert answer.status == AnswerStatus.SIGNED and answer.letter_number
    assert inquiry.status == InquiryStatus.ANSWERED
    event = inquiry.events.get(action=Action.ANSWER)
    assert (event.from_status, event.to_status) == (InquiryStatus.IN_REVIEW, InquiryStatus.ANSWERED)
    assert event.note == answer.letter_number and event.actor == manager_d1


def test_signing_a_correction_supersedes_the_answer_in_force_with_one_event(
    in_review, reviewer_d1, manager_d1
):
    first = _signed(in_review, reviewer_d1, manager_d1)
    correction = _prepare(in_review, manager_d1, decision="cannot_answer", reason="سند ناقص")
    before = _events(in_review)
    services.answer_sign(actor=manager_d1, answer=correction)
    first.refresh_from_db()
    correction.refresh_from_db()
    assert first.status == AnswerStatus.SUPERSEDED
    assert correction.status == AnswerStatus.SIGNED and correction.supersedes == first
    assert _events(in_review)[len(before) :] == [Action.ANSWER_CORRECTED]
    event = InquiryEvent.objects.filter(inquiry=in_review).last()
    assert event.note == correction.letter_number
    assert Inquiry.objects.get(pk=in_review.pk).status == InquiryStatus.ANSWERED


def test_revoking_moves_the_answer_and_sends_the_inquiry_back_to_review(
    in_review, reviewer_d1, manager_d1
):
    answer = _signed(in_review, reviewer_d1, manager_d1)
    draft = _prepare(in_review, manager_d1)  # a correction being prepared is dropped
    services.answer_revoke(actor=manager_d1, answer=answer, reason="پلاک اشتباه بود")
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.REVOKED
    assert answer.revoked_by == manager_d1 and answer.revoke_reason == "پلاک اشتباه بود"
    assert not Answer.objects.filter(pk=draft.pk).exists()
    inquiry = Inquiry.objects.get(pk=in_review.pk)
    assert inquiry.status == InquiryStatus.IN_REVIEW and inquiry.assigned_to == manager_d1
    event = inquiry.events.get(action=Action.ANSWER_REVOKED)
    assert event.note == "پلاک اشتباه بود"


# --- each refused move: nothing changes, no event ------------------------------------------------

REFUSED = [
    (action, status)
    for action, rule in ANSWER_TRANSITIONS.items()
    for status in AnswerStatus
    if status not in rule.sources
]


def _answer_in(status, inquiry, reviewer, manager) -> Answer:
    if status == AnswerStatus.DRAFT:
        return _prepare(inquiry, reviewer)
    answer = _signed(inquiry, reviewer, manager)
    if status == AnswerStatus.SUPERSEDED:
        services.answer_sign(actor=manager, answer=_prepare(inquiry, manager))
    elif status == AnswerStatus.REVOKED:
        services.answer_revoke(actor=manager, answer=answer, reason="اشتباه")
    answer.refresh_from_db()
    assert answer.status == status
    return answer


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_a_move_the_table_does_not_allow_is_refused(
    citizen, in_review, reviewer_d1, manager_d1, action, status
):
    if action == AnswerAction.SUPERSEDE:
        # An answer is superseded only by signing the correction that points at it: a correction
        # of an answered inquiry is made to point at an answer in ``status``.
        other = services.inquiry_review_start(
            actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
        )
        answer = _answer_in(status, other, reviewer_d1, manager_d1)
        _signed(in_review, reviewer_d1, manager_d1)
        moving = _prepare(in_review, manager_d1)
        # (A superseded answer's successor already points at it, one to one: that link is cut.)
        Answer.objects.filter(supersedes=answer).update(supersedes=None)
        Answer.objects.filter(pk=moving.pk).update(supersedes=answer)
        moving = Answer.objects.get(pk=moving.pk)
        move = AnswerAction.SIGN
    else:
        answer = moving = _answer_in(status, in_review, reviewer_d1, manager_d1)
        move = action
    inquiry = Inquiry.objects.get(pk=in_review.pk)
    events, moving_was = _events(inquiry), moving.status
    # Atomic as in the services: the refusal undoes the whole move.
    with pytest.raises(AnswerTransitionNotAllowed) as refusal, transaction.atomic():
        answer_transition(actor=manager_d1, inquiry=inquiry, answer=moving, action=move)
    assert refusal.value.action == action
    assert Answer.objects.get(pk=answer.pk).status == status
    assert Answer.objects.get(pk=moving.pk).status == moving_was
    assert _events(inquiry) == events


def test_signing_twice_is_refused_with_a_message(in_review, reviewer_d1, manager_d1):
    answer = _signed(in_review, reviewer_d1, manager_d1)
    with pytest.raises(AnswerTransitionNotAllowed) as refusal:
        services.answer_sign(actor=manager_d1, answer=answer)
    assert refusal.value.code == "signed"
    with translation.override("fa"):
        assert str(refusal.value.message) == "این پاسخ قبلاً امضا شده است."


def test_revoking_a_superseded_answer_is_refused(in_review, reviewer_d1, manager_d1):
    answer = _answer_in(AnswerStatus.SUPERSEDED, in_review, reviewer_d1, manager_d1)
    with pytest.raises(AnswerTransitionNotAllowed) as refusal:
        services.answer_revoke(actor=manager_d1, answer=answer, reason="دوباره")
    assert refusal.value.code == "not_signed"


def test_superseding_is_not_a_move_of_its_own(in_review, reviewer_d1, manager_d1):
    answer = _signed(in_review, reviewer_d1, manager_d1)
    with pytest.raises(ValueError):
        answer_transition(
            actor=manager_d1,
            inquiry=Inquiry.objects.get(pk=in_review.pk),
            answer=answer,
            action=AnswerAction.SUPERSEDE,
        )
    assert Answer.objects.get(pk=answer.pk).status == AnswerStatus.SIGNED


# --- records as signed ---------------------------------------------------------------------------


def _pdf_text(answer: Answer) -> str:
    with answer.pdf.open("rb") as stored:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(stored.read())).pages)


def test_a_manager_reading_english_signs_a_persian_letter(
    in_review, reviewer_d1, manager_d1, client_for, django_capture_on_commit_callbacks
):
    answer = _prepare(in_review, reviewer_d1)
    client = client_for(manager_d1)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("inquiries:staff_sign", args=[in_review.tracking_code, answer.pk])
    version = Inquiry.objects.get(pk=in_review.pk).version
    with django_capture_on_commit_callbacks(execute=True):  # the (eager) PDF worker runs
        response = client.post(url, {"version": version, "confirm": "on"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.signer_role == SignerRole.MANAGER == "manager"
    text = _pdf_text(answer)
    assert "مدیر منطقه" in text
    assert "District manager" not in text
    # On screen, in the reader's language: English for this manager, Persian for the applicant.
    page = client.get(reverse("inquiries:staff_inquiry", args=[in_review.tracking_code]))
    assert "(District manager)" in page.content.decode()


def test_the_applicant_reads_the_signers_role_in_persian(
    in_review, reviewer_d1, manager_d1, client_for, citizen
):
    _signed(in_review, reviewer_d1, manager_d1)
    html = client_for(citizen).get(reverse("inquiries:detail", args=[in_review.tracking_code]))
    signed = html.content.decode().split('data-testid="answer-signature"', 1)[1].split("</dd>")[0]
    assert "(مدیر منطقه)" in signed


def test_prepared_at_is_the_preparation_time_not_the_signing_time(
    in_review, reviewer_d1, manager_d1, monkeypatch
):
    morning = timezone.now() - dt.timedelta(hours=3)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: morning)
        answer = _prepare(in_review, reviewer_d1)
    assert answer.prepared_at == morning
    services.answer_sign(actor=manager_d1, answer=answer)
    answer.refresh_from_db()
    assert answer.prepared_at == morning
    assert answer.signed_at - answer.prepared_at >= dt.timedelta(hours=2)


def test_preparing_the_draft_again_moves_prepared_at(in_review, reviewer_d1):
    earlier = timezone.now() - dt.timedelta(hours=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: earlier)
        first = _prepare(in_review, reviewer_d1)
    again = _prepare(in_review, reviewer_d1, decision="cannot_answer", reason="سند ناقص")
    assert again.pk == first.pk
    assert again.prepared_at > earlier


def test_revoking_leaves_prepared_at_alone(in_review, reviewer_d1, manager_d1):
    answer = _signed(in_review, reviewer_d1, manager_d1)
    prepared = Answer.objects.get(pk=answer.pk).prepared_at
    services.answer_revoke(actor=manager_d1, answer=answer, reason="اشتباه")
    assert Answer.objects.get(pk=answer.pk).prepared_at == prepared


def test_signing_under_the_english_interface_stores_the_code(in_review, reviewer_d1, manager_d1):
    with translation.override("en"):
        answer = _signed(in_review, reviewer_d1, manager_d1)
    assert Answer.objects.get(pk=answer.pk).signer_role == "manager"
