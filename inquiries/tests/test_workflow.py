"""The workflow's specification in one file: every status × action × kind of actor, allowed or
refused, and the event each allowed one writes.

The expected matrix below is written out by hand. Each cell is checked three ways: against the
table (``workflow.TRANSITIONS``, ``workflow.STAFF_STEPS`` and the holder and signer rules), against
the real services (the event written, or the refusal with nothing changed), and, for the district's
staff, against the buttons the staff page shows. Changing the table without changing this file
fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import roles_of
from accounts.tests.factories import UserFactory
from districts.models import DistrictRole
from districts.tests.factories import DistrictMembershipFactory, district
from inquiries import services, summaries, workflow
from inquiries.models import Answer, AnswerStatus, Inquiry, InquiryEvent
from inquiries.selectors import inquiry_is_applicant, staff_districts
from inquiries.services.review import holds
from inquiries.tests.factories import InquiryFactory, png_upload
from inquiries.workflow import (
    APPLICANT,
    HOLDER,
    SIGNER,
    STAFF,
    Action,
    InquiryStatus,
    allowed_actions,
    staff_actions,
)

S = InquiryStatus

# --- the kinds of actor ---------------------------------------------------------------------------
CITIZEN = "the citizen who filed it"
STRANGER = "another citizen"
HOLDER_ = "the reviewer holding it"
COLLEAGUE = "a reviewer of the district not holding it"
SIGNING_COLLEAGUE = "a reviewer of the district allowed to sign, not holding it"
MANAGER = "a manager of the district"
OTHER_DISTRICT = "a reviewer of another district"
KIOSK = "a kiosk clerk of the district"
ACTORS = [CITIZEN, STRANGER, HOLDER_, COLLEAGUE, SIGNING_COLLEAGUE, MANAGER, OTHER_DISTRICT, KIOSK]
STAFF_ACTORS = [HOLDER_, COLLEAGUE, SIGNING_COLLEAGUE, MANAGER]
SIGNERS = {SIGNING_COLLEAGUE, MANAGER}
HOLDS = {HOLDER_, MANAGER}  # the holder, or a manager (who may take over)
DISTRICT_STAFF = {HOLDER_, COLLEAGUE, SIGNING_COLLEAGUE, MANAGER}

# --- the table, written out -----------------------------------------------------------------------
# action: (from, to, who, narrowed to)
EXPECTED_TRANSITIONS = {
    Action.WITHDRAW: ({S.SUBMITTED, S.RESUBMITTED, S.NEEDS_INFO}, S.WITHDRAWN, APPLICANT, ""),
    Action.START_REVIEW: ({S.SUBMITTED, S.RESUBMITTED}, S.IN_REVIEW, STAFF, ""),
    Action.REQUEST_INFO: ({S.IN_REVIEW}, S.NEEDS_INFO, STAFF, HOLDER),
    Action.RESUBMIT: ({S.NEEDS_INFO}, S.RESUBMITTED, APPLICANT, ""),
    Action.ANSWER: ({S.IN_REVIEW}, S.ANSWERED, STAFF, SIGNER),
    Action.ANSWER_REVOKED: ({S.ANSWERED}, S.IN_REVIEW, STAFF, SIGNER),
}
# Staff steps that move no status: action: (from, narrowed to)
EXPECTED_STEPS = {
    Action.ASSIGN: ({S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.RESUBMITTED}, HOLDER),
    Action.ANSWER_PREPARED: ({S.IN_REVIEW}, HOLDER),
    Action.ANSWER_CORRECTED: ({S.ANSWERED}, SIGNER),
}

# --- the matrix: what a person can do, status by status ----------------------------------------
# operation: {status: (who may, the event's action, the status after)}; every other status and
# every other actor is refused, with nothing written.
ASSIGN_AT = {
    status: (HOLDS, Action.ASSIGN, status)
    for status in (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.RESUBMITTED)
}
EXPECTED = {
    "withdraw": {
        S.SUBMITTED: ({CITIZEN}, Action.WITHDRAW, S.WITHDRAWN),
        S.NEEDS_INFO: ({CITIZEN}, Action.WITHDRAW, S.WITHDRAWN),
        S.RESUBMITTED: ({CITIZEN}, Action.WITHDRAW, S.WITHDRAWN),
    },
    "resubmit": {
        S.NEEDS_INFO: ({CITIZEN}, Action.RESUBMIT, S.RESUBMITTED),
    },
    "take": {
        S.SUBMITTED: (DISTRICT_STAFF, Action.START_REVIEW, S.IN_REVIEW),
        S.RESUBMITTED: (DISTRICT_STAFF, Action.START_REVIEW, S.IN_REVIEW),
    },
    "request_info": {
        S.IN_REVIEW: (HOLDS, Action.REQUEST_INFO, S.NEEDS_INFO),
    },
    "assign": ASSIGN_AT,
    "prepare": {
        S.IN_REVIEW: (HOLDS, Action.ANSWER_PREPARED, S.IN_REVIEW),
        # a correction of the signed answer
        S.ANSWERED: (SIGNERS, Action.ANSWER_PREPARED, S.ANSWERED),
    },
    "sign": {
        S.IN_REVIEW: (SIGNERS, Action.ANSWER, S.ANSWERED),
        S.ANSWERED: (SIGNERS, Action.ANSWER_CORRECTED, S.ANSWERED),
    },
    "revoke": {
        S.ANSWERED: (SIGNERS, Action.ANSWER_REVOKED, S.IN_REVIEW),
    },
}
# Which actions of the table each operation is, by the status it is taken in.
OPERATION_ACTIONS = {
    "withdraw": {Action.WITHDRAW},
    "resubmit": {Action.RESUBMIT},
    "take": {Action.START_REVIEW},
    "request_info": {Action.REQUEST_INFO},
    "assign": {Action.ASSIGN},
    "prepare": {Action.ANSWER_PREPARED, Action.ANSWER_CORRECTED},
    "sign": {Action.ANSWER, Action.ANSWER_CORRECTED},
    "revoke": {Action.ANSWER_REVOKED},
}
# The staff page's button for each staff operation.
BUTTON = {
    "take": "do-take",
    "request_info": "do-request-info",
    "assign": "do-assign",
    "prepare": "do-prepare",
    "sign": "do-sign",
    "revoke": "do-revoke",
}

ANSWER_DATA = {
    "decision": "conditional",
    "building_status": "completed",
    "certificate_type": "completion",
    "certificate_number": "1401/555",
    "certificate_date": dt.date(2022, 6, 1),
    "land_use_plan": "residential",
    "road_widening": "partly",
    "road_widening_note": "۲ متر از ضلع شمالی",
    "conditions": "تسویه عوارض پیش از انتقال",
}
DUES = [("عوارض نوسازی", 1_250_000)]


def _expected(operation: str, status: str, actor: str):
    """(allowed, event action, status after) for one cell of the matrix."""
    who, action, after = EXPECTED[operation].get(status, (set(), None, status))
    return actor in who, action, after


CELLS = [
    pytest.param(status, operation, actor, id=f"{status}-{operation}-{actor}")
    for status in S
    for operation in EXPECTED
    for actor in ACTORS
]


# --- the people and the inquiry in each status ----------------------------------------------------


def _staff(username: str, number: int, role: str, *, can_sign: bool = False):
    user = UserFactory(username=username)
    DistrictMembershipFactory(user=user, district=district(number), role=role, can_sign=can_sign)
    return user


@pytest.fixture
def people(citizen, other_citizen, reviewer_d1, manager_d1, reviewer_d3, kiosk_clerk):
    return {
        CITIZEN: citizen,
        STRANGER: other_citizen,
        HOLDER_: reviewer_d1,
        COLLEAGUE: _staff("colleague-d1", 1, DistrictRole.REVIEWER),
        SIGNING_COLLEAGUE: _staff("signing-colleague-d1", 1, DistrictRole.REVIEWER, can_sign=True),
        MANAGER: manager_d1,
        OTHER_DISTRICT: reviewer_d3,
        KIOSK: kiosk_clerk,
        "assignee": _staff("assignee-d1", 1, DistrictRole.REVIEWER),
    }


def _draft_by_hand(inquiry: Inquiry, by) -> Answer:
    """A draft where the services would not make one (before review, after a withdrawal), so that
    signing is tried there too."""
    answer = Answer(inquiry=inquiry, prepared_by=by, **ANSWER_DATA)
    answer.save()
    return answer


def _inquiry_in(status: str, people: dict) -> Inquiry:
    """An inquiry brought to ``status`` through the services, held by the holder, with an answer
    being prepared (a correction, once answered)."""
    citizen, holder, manager = people[CITIZEN], people[HOLDER_], people[MANAGER]
    inquiry = InquiryFactory(applicant=citizen)
    if status in (S.IN_REVIEW, S.NEEDS_INFO, S.RESUBMITTED, S.ANSWERED):
        inquiry = services.inquiry_review_start(actor=holder, inquiry=inquiry)
        answer = services.answer_prepare(actor=holder, inquiry=inquiry, data=ANSWER_DATA, dues=DUES)
        if status in (S.NEEDS_INFO, S.RESUBMITTED):
            inquiry = services.inquiry_info_request(actor=holder, inquiry=inquiry, note="سند؟")
        if status == S.RESUBMITTED:
            inquiry = services.inquiry_resubmit(
                actor=citizen, inquiry=inquiry, note="فرستادم", uploads=[("deed", png_upload())]
            )
        if status == S.ANSWERED:
            services.answer_sign(actor=manager, answer=answer)
            inquiry = Inquiry.objects.get(pk=inquiry.pk)
            services.answer_prepare(actor=manager, inquiry=inquiry, data=ANSWER_DATA, dues=DUES)
    if status == S.WITHDRAWN:
        inquiry = services.inquiry_withdraw(actor=citizen, inquiry=inquiry)
    if status in (S.SUBMITTED, S.WITHDRAWN):
        _draft_by_hand(inquiry, holder)
    Inquiry.objects.filter(pk=inquiry.pk).update(assigned_to=holder)
    inquiry = Inquiry.objects.select_related("assigned_to").get(pk=inquiry.pk)
    assert inquiry.status == status
    return inquiry


def _answer_to(inquiry: Inquiry, operation: str) -> Answer:
    wanted = AnswerStatus.SIGNED if operation == "revoke" else AnswerStatus.DRAFT
    answers = inquiry.answers.order_by("-pk")
    return answers.filter(status=wanted).first() or answers.first()


def _do(operation: str, actor, inquiry: Inquiry, people: dict) -> None:
    if operation == "withdraw":
        services.inquiry_withdraw(actor=actor, inquiry=inquiry)
    elif operation == "resubmit":
        services.inquiry_resubmit(
            actor=actor, inquiry=inquiry, note="فرستادم", uploads=[("deed", png_upload())]
        )
    elif operation == "take":
        services.inquiry_review_start(actor=actor, inquiry=inquiry)
    elif operation == "request_info":
        services.inquiry_info_request(actor=actor, inquiry=inquiry, note="نقشه ناخواناست")
    elif operation == "assign":
        services.inquiry_assign(actor=actor, inquiry=inquiry, assignee=people["assignee"])
    elif operation == "prepare":
        services.answer_prepare(actor=actor, inquiry=inquiry, data=ANSWER_DATA, dues=DUES)
    elif operation == "sign":
        services.answer_sign(actor=actor, answer=_answer_to(inquiry, operation))
    elif operation == "revoke":
        services.answer_revoke(
            actor=actor, answer=_answer_to(inquiry, operation), reason="پلاک اشتباه بود"
        )
    else:  # pragma: no cover
        raise AssertionError(operation)


def _table_allows(operation: str, actor, inquiry: Inquiry) -> bool:
    """What the table and the named rules say, without running a service."""
    actions = OPERATION_ACTIONS[operation]
    if any(a in workflow.TRANSITIONS and workflow.TRANSITIONS[a].by == APPLICANT for a in actions):
        return inquiry_is_applicant(actor, inquiry) and bool(
            actions & set(allowed_actions(inquiry.status, APPLICANT))
        )
    if inquiry.district_id not in staff_districts(actor):
        return False
    may = staff_actions(
        inquiry.status,
        holds=holds(actor, inquiry),
        signs=roles_of(actor).may_sign(inquiry.district_id),
    )
    return bool(actions & may)


# --- the tests ------------------------------------------------------------------------------------


def test_the_table_is_the_one_written_in_this_specification():
    assert {
        action: (set(t.sources), t.target, t.by, t.needs)
        for action, t in workflow.TRANSITIONS.items()
    } == EXPECTED_TRANSITIONS
    assert {
        action: (set(step.sources), step.needs) for action, step in workflow.STAFF_STEPS.items()
    } == EXPECTED_STEPS


def test_every_status_is_open_or_final_and_open_is_waiting_on_one_side():
    assert set(workflow.OPEN) == {S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.RESUBMITTED}
    assert {S.ANSWERED, S.WITHDRAWN} == workflow.FINAL
    assert {S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED} == workflow.WAITING_ON_DISTRICT
    assert {S.NEEDS_INFO} == workflow.WAITING_ON_APPLICANT
    assert set(workflow.OPEN) | workflow.FINAL == set(S)


def test_the_queue_index_is_declared_with_the_open_statuses():
    index = next(i for i in Inquiry._meta.indexes if i.name == "inquiry_open_queue_idx")
    assert index.condition.children == [("status__in", list(workflow.OPEN))]


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize(
    "due, overdue", [(-1, True), (0, False), (1, False), (None, False)], ids=str
)
def test_overdue_is_one_rule_for_the_predicate_and_the_query(status, due, overdue, citizen):
    today = dt.date(2026, 12, 2)
    due_date = None if due is None else today + dt.timedelta(days=due)
    inquiry = InquiryFactory(applicant=citizen, status=status, due_date=due_date)
    expected = overdue and status in (S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED)
    assert workflow.is_overdue(inquiry, today) is expected
    assert inquiry.is_overdue(today) is expected
    assert Inquiry.objects.filter(workflow.overdue_q(today)).filter(pk=inquiry.pk).exists() is (
        expected
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status, operation, actor", CELLS)
def test_workflow_cell(status, operation, actor, people):
    """One cell: the table's verdict, then the service's, agree with the matrix above."""
    allowed, event_action, after = _expected(operation, status, actor)
    inquiry = _inquiry_in(status, people)
    person = people[actor]
    assert _table_allows(operation, person, inquiry) is allowed, "the table"

    events_before = InquiryEvent.objects.filter(inquiry=inquiry).count()
    last_before = InquiryEvent.objects.filter(inquiry=inquiry).order_by("-pk").first()
    if allowed:
        _do(operation, person, inquiry, people)
        event = InquiryEvent.objects.filter(inquiry=inquiry).order_by("-pk").first()
        assert event.pk != last_before.pk
        assert (event.action, event.from_status, event.to_status, event.actor_id) == (
            event_action,
            status,
            after,
            person.pk,
        )
        assert Inquiry.objects.get(pk=inquiry.pk).status == after
    else:
        with pytest.raises((PermissionDenied, services.InquiryError)):
            _do(operation, person, inquiry, people)
        assert InquiryEvent.objects.filter(inquiry=inquiry).count() == events_before
        assert Inquiry.objects.get(pk=inquiry.pk).status == status
    assert summaries.check() == [], "the queue counts and the reports' figures follow every move"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", STAFF_ACTORS)
@pytest.mark.parametrize("status", list(S))
def test_the_staff_page_shows_exactly_the_buttons_the_table_allows(
    status, actor, people, client_for
):
    inquiry = _inquiry_in(status, people)
    html = client_for(people[actor]).get(f"/staff/inquiries/{inquiry.tracking_code}/").content
    html = html.decode()
    for operation, testid in BUTTON.items():
        allowed, _action, _after = _expected(operation, status, actor)
        assert (f'data-testid="{testid}"' in html) is allowed, operation


def _expected_transition(action: Action, status: str, actor: str):
    """The matrix read for one moving action of the table: the operation that writes it there."""
    for by_status in EXPECTED.values():
        who, event_action, after = by_status.get(status, (set(), None, status))
        if event_action == action:
            return actor in who, after
    return False, status


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, action, actor",
    [
        pytest.param(status, action, actor, id=f"{status}-{action}-{actor}")
        for status in S
        for action in workflow.TRANSITIONS
        for actor in ACTORS
    ],
)
def test_transition_alone_refuses_what_the_table_does_not_allow(status, action, actor, people):
    """The rule layer by itself (``transition()``), whatever service calls it: the table's sources,
    who may, and the holder and signer rules."""
    from inquiries.services.common import transition

    allowed, after = _expected_transition(action, status, actor)
    inquiry = _inquiry_in(status, people)
    person = people[actor]
    if allowed:
        moved, event = transition(
            actor=person, inquiry=inquiry, action=action, channel=inquiry.channel
        )
        assert (moved.status, event.action, event.from_status, event.to_status) == (
            after,
            action,
            status,
            after,
        )
    else:
        with pytest.raises((PermissionDenied, services.InquiryError)):
            transition(actor=person, inquiry=inquiry, action=action, channel=inquiry.channel)
        assert Inquiry.objects.get(pk=inquiry.pk).status == status


# --- what "overdue" shows: one rule on every page -------------------------------------------------


def _late(citizen, status: str) -> Inquiry:
    return InquiryFactory(
        applicant=citizen,
        status=status,
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("queue_filter", ["all", "answered"])
def test_an_answered_inquiry_past_its_date_is_not_red_or_overdue_in_the_queue(
    queue_filter, citizen, reviewer_d1, client_for
):
    answered = _late(citizen, S.ANSWERED)
    response = client_for(reviewer_d1).get("/staff/", {"status": queue_filter})
    assert [i.pk for i in response.context["page"].object_list] == [answered.pk]
    html = response.content.decode()
    assert 'data-testid="overdue"' not in html
    assert "table-danger" not in html
    assert 'data-testid="due-soon"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("queue_filter", ["all", ""])
def test_an_inquiry_waiting_on_the_district_past_its_date_is_red_and_overdue_in_the_queue(
    queue_filter, citizen, reviewer_d1, client_for
):
    _late(citizen, S.IN_REVIEW)
    html = client_for(reviewer_d1).get("/staff/", {"status": queue_filter}).content.decode()
    assert 'data-testid="overdue"' in html
    assert "table-danger" in html


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.WITHDRAWN, S.ANSWERED])
def test_a_final_inquiry_past_its_date_is_not_overdue_on_the_staff_page(
    status, citizen, reviewer_d1, client_for
):
    inquiry = _late(citizen, status)
    html = client_for(reviewer_d1).get(f"/staff/inquiries/{inquiry.tracking_code}/").content
    assert 'data-testid="overdue"' not in html.decode()


@pytest.mark.django_db
def test_an_inquiry_in_review_past_its_date_is_overdue_on_the_staff_page(
    citizen, reviewer_d1, client_for
):
    inquiry = _late(citizen, S.IN_REVIEW)
    html = client_for(reviewer_d1).get(f"/staff/inquiries/{inquiry.tracking_code}/").content
    assert 'data-testid="overdue"' in html.decode()


@pytest.mark.django_db
def test_reports_and_the_managers_sms_count_overdue_as_the_queue_does(citizen, reviewer_d1):
    from districts.models import District
    from inquiries.selectors import inquiries_overdue, inquiries_queue
    from reports.selectors import district_report

    for status in S:
        _late(citizen, status)
    late_in_queue = set(
        inquiries_queue(reviewer_d1, status="all", overdue=True).values_list("pk", flat=True)
    )
    assert late_in_queue == set(inquiries_overdue().values_list("pk", flat=True))
    assert len(late_in_queue) == len(workflow.WAITING_ON_DISTRICT)
    report = district_report(District.objects.filter(number=1))
    assert report.totals.overdue == len(late_in_queue)
