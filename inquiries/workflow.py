"""The inquiry's life as data: states, and the actions that move an inquiry between them.

Services check this table; views never set ``status`` themselves. Each action says who may take it
("applicant": the citizen or the office that filed; "staff": the district's reviewers and managers).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
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


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[InquiryStatus]
    target: InquiryStatus
    by: str


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
        Action.REQUEST_INFO, frozenset({S.IN_REVIEW}), S.NEEDS_INFO, STAFF
    ),
    # The applicant answered the request; the inquiry goes back to the district's queue.
    Action.RESUBMIT: Transition(
        Action.RESUBMIT, frozenset({S.NEEDS_INFO}), S.RESUBMITTED, APPLICANT
    ),
    # A signed answer ends the inquiry's review.
    Action.ANSWER: Transition(Action.ANSWER, frozenset({S.IN_REVIEW}), S.ANSWERED, STAFF),
    # A signed answer that turned out wrong is revoked; the inquiry goes back to review so that
    # the district answers it again (a correction signed directly supersedes instead).
    Action.ANSWER_REVOKED: Transition(
        Action.ANSWER_REVOKED, frozenset({S.ANSWERED}), S.IN_REVIEW, STAFF
    ),
}

# Statuses in which the applicant has nothing to do but wait.
WAITING_ON_DISTRICT = frozenset({S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED})
FINAL = frozenset({S.ANSWERED, S.WITHDRAWN})


def allowed_actions(status: str, by: str) -> list[Action]:
    return [t.action for t in TRANSITIONS.values() if status in t.sources and t.by == by]


def can(action: Action, status: str) -> bool:
    return status in TRANSITIONS[action].sources
