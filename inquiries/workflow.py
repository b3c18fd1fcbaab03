"""The inquiry's life as data: states, the actions that move an inquiry between them, and what the
states mean (open, waiting on the district, final, overdue).

This is the one place these rules are written: ``transition()`` checks the table (who may, from
which status, the holder and signer rules), the staff page offers ``staff_actions``, and the queue,
its partial index, reports, the managers' overdue SMS and templates (through the inquiry's
``is_overdue``, ``is_waiting_on_applicant``, ...) use the names below; no query or template spells
a list of statuses or an overdue rule of its own. ``inquiries/tests/test_workflow.py`` walks the table.

Each action says who may take it ("applicant": the citizen or the office that filed; "staff": the
district's reviewers and managers), and, among staff, whether only the holder (``HOLDER``) or only
someone who signs answers (``SIGNER``) may.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class InquiryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("Being reviewed")
    NEEDS_INFO = "needs_info", _("More information needed")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    WEB = "web", _("Citizen, online")
    COUNTER_OFFICE = "counter_office", _("Government counter office")
    NOTARY_OFFICE = "notary_office", _("Notary office")
    KIOSK = "kiosk", _("District help kiosk")
    # A bank's, court's, land registry's or notary office's own system, through the API (``api/``).
    INSTITUTION_API = "institution_api", _("Institution API")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    # Who withdrew (the citizen, or the office or kiosk that filed it) is the event's channel;
    # the history says it in words (InquiryEvent.title).
    WITHDRAW = "withdraw", _("Inquiry withdrawn")
    START_REVIEW = "start_review", _("Review started")
    REQUEST_INFO = "request_info", _("More information requested")
    RESUBMIT = "resubmit", _("Resubmitted with more information")
    ANSWER = "answer", _("Answered")
    # Events that do not change the inquiry's status, kept in the same history:
    ASSIGN = "assign", _("Assigned")
    # The holder's district role ended (membership removed, switched off, role changed, account
    # switched off): the inquiry goes back to the district's common queue.
    RELEASE = "release", _("Released: the holder no longer reviews in this district")
    ANSWER_PREPARED = "answer_prepared", _("Answer prepared")
    ANSWER_CORRECTED = "answer_corrected", _("Answer corrected (the earlier one is superseded)")
    ANSWER_REVOKED = "answer_revoked", _("Answer revoked")


APPLICANT = "applicant"
STAFF = "staff"
# Narrower staff: the reviewer holding the inquiry or a manager of its district
# (``inquiries.services.review.holds``), and whoever may sign the district's answers.
HOLDER = "holder"
SIGNER = "signer"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[InquiryStatus]
    target: InquiryStatus
    by: str
    needs: str = ""  # "" (anyone ``by`` names), HOLDER or SIGNER


S = InquiryStatus
TRANSITIONS: dict[Action, Transition] = {
    # A citizen may change their mind as long as nobody has started working on the inquiry, or
    # when it waits on them; once a reviewer holds it, withdrawing would waste the review.
    Action.WITHDRAW: Transition(
        Action.WITHDRAW,
        frozenset({S.SUBMITTED, S.RESUBMITTED, S.NEEDS_INFO}),
        S.WITHDRAWN,
        APPLICANT,
    ),
    # A reviewer takes a new or resubmitted inquiry; from here the district's clock runs for it.
    Action.START_REVIEW: Transition(
        Action.START_REVIEW, frozenset({S.SUBMITTED, S.RESUBMITTED}), S.IN_REVIEW, STAFF
    ),
    # Documents missing or wrong: the inquiry waits on the applicant (the deadline pauses).
    Action.REQUEST_INFO: Transition(
        Action.REQUEST_INFO, frozenset({S.IN_REVIEW}), S.NEEDS_INFO, STAFF, needs=HOLDER
    ),
    # The applicant answered the request; the inquiry goes back to the district's queue.
    Action.RESUBMIT: Transition(
        Action.RESUBMIT, frozenset({S.NEEDS_INFO}), S.RESUBMITTED, APPLICANT
    ),
    # A signed answer ends the inquiry's review.
    Action.ANSWER: Transition(
        Action.ANSWER, frozenset({S.IN_REVIEW}), S.ANSWERED, STAFF, needs=SIGNER
    ),
    # A signed answer that turned out wrong is revoked; the inquiry goes back to review so that
    # the district answers it again (a correction signed directly supersedes instead).
    Action.ANSWER_REVOKED: Transition(
        Action.ANSWER_REVOKED, frozenset({S.ANSWERED}), S.IN_REVIEW, STAFF, needs=SIGNER
    ),
}

# --- what the statuses mean -----------------------------------------------------------------------

# The applicant has nothing to do but wait; the district's clock runs.
WAITING_ON_DISTRICT = frozenset({S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED})
# The district waits on the applicant; the clock is paused (no due date).
WAITING_ON_APPLICANT = frozenset({S.NEEDS_INFO})
# Nothing more happens unless an answer is revoked.
FINAL = frozenset({S.ANSWERED, S.WITHDRAWN})
# Not final: the review queue's default list. A tuple, in this order, because the queue's partial
# index (``inquiry_open_queue_idx``) is declared with it and its migration lists it so.
OPEN = (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.RESUBMITTED)
assert frozenset(OPEN) == WAITING_ON_DISTRICT | WAITING_ON_APPLICANT == frozenset(S) - FINAL


def is_overdue(inquiry, today: dt.date) -> bool:
    """Overdue: waiting on the district past its due date. A paused inquiry has no due date; an
    answered or withdrawn one keeps its date but is never overdue."""
    return (
        inquiry.status in WAITING_ON_DISTRICT
        and inquiry.due_date is not None
        and inquiry.due_date < today
    )


def overdue_q(today: dt.date) -> Q:
    """``is_overdue`` as a queryset filter (queue, reports, the managers' daily SMS)."""
    return Q(status__in=WAITING_ON_DISTRICT, due_date__lt=today)


# --- staff steps that move no status --------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    action: Action
    sources: frozenset[InquiryStatus]
    needs: str


STAFF_STEPS: dict[Action, Step] = {
    # Hand the inquiry to a colleague while it is not final (the holder or a manager may).
    Action.ASSIGN: Step(Action.ASSIGN, frozenset(OPEN), HOLDER),
    # Prepare (or continue) the answer while reviewing; only the holder, so that two people never
    # prepare two answers for one inquiry.
    Action.ANSWER_PREPARED: Step(Action.ANSWER_PREPARED, frozenset({S.IN_REVIEW}), HOLDER),
    # Prepare and sign a correction of the signed answer: only those who sign answers.
    Action.ANSWER_CORRECTED: Step(Action.ANSWER_CORRECTED, frozenset({S.ANSWERED}), SIGNER),
}


def allowed_actions(status: str, by: str) -> list[Action]:
    return [t.action for t in TRANSITIONS.values() if status in t.sources and t.by == by]


def staff_actions(status: str, *, holds: bool, signs: bool) -> frozenset[Action]:
    """What a member of the district's staff may do to an inquiry in ``status``: the table's staff
    transitions and the steps above, each narrowed to the holder or the signers where it says so.
    The staff page shows exactly these buttons; the services refuse everything else."""
    has = {"": True, HOLDER: holds, SIGNER: signs}
    moving = [t for t in TRANSITIONS.values() if t.by == STAFF]
    return frozenset(
        rule.action
        for rule in [*moving, *STAFF_STEPS.values()]
        if status in rule.sources and has[rule.needs]
    )
