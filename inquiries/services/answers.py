"""Answers: a reviewer prepares, a manager (or a reviewer the district allows) signs. A signed
answer never changes; a correction supersedes it, a revocation sends the inquiry back to review.

Who may sign is ``Roles.may_sign``; how an answer's status may move is
``models.answer.ANSWER_TRANSITIONS``, applied by ``answer_transition`` alone."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import roles_of
from shahrvand import jalali
from shahrvand.billing import MAX_AMOUNT_RIALS, bill_make
from shahrvand.text import format_number, has_visible_text, reader_reads_persian

from .. import notifications, summaries
from ..models import Answer, AnswerDecision, AnswerDue, AnswerStatus, CertificateType, Inquiry
from ..models.answer import (
    ANSWER_TRANSITIONS,
    AnswerAction,
    LetterCounter,
    SignerRole,
)
from ..tracking import ALPHABET
from ..workflow import TRANSITIONS, Action
from .common import InquiryError, TransitionNotAllowed, inquiry_lock, inquiry_record, transition
from .review import require_holder

ANSWER_FIELDS = (
    "decision",
    "reason",
    "building_status",
    "certificate_type",
    "certificate_number",
    "certificate_date",
    "land_use_plan",
    "road_widening",
    "road_widening_note",
    "conditions",
)

# Where an answer may be prepared and signed: where the table lets the inquiry be answered (the
# first answer), and once it is answered (a correction of the answer in force).
ANSWERABLE = TRANSITIONS[Action.ANSWER].sources | {TRANSITIONS[Action.ANSWER].target}


def answer_current(inquiry: Inquiry) -> Answer | None:
    """The signed answer in force (neither superseded nor revoked), if any."""
    return inquiry.answers.filter(status=AnswerStatus.SIGNED).order_by("-signed_at").first()


def answer_draft(inquiry: Inquiry) -> Answer | None:
    return inquiry.answers.filter(status=AnswerStatus.DRAFT).first()


def _check(data: dict, dues: list[tuple[str, int]]) -> None:
    errors = {}
    decision = data.get("decision")
    if decision == AnswerDecision.CANNOT_ANSWER and not has_visible_text(data.get("reason")):
        errors["reason"] = _("Say why the inquiry cannot be answered.")
    if decision == AnswerDecision.CONDITIONAL and not has_visible_text(data.get("conditions")):
        errors["conditions"] = _("Write the conditions.")
    if decision == AnswerDecision.NO_OBJECTION and has_visible_text(data.get("conditions")):
        # The letter would say "no objection" and then print conditions: one or the other.
        errors["conditions"] = _(
            "A “no objection” answer has no conditions. Choose “no objection, with conditions”, "
            "or clear the conditions."
        )
    if decision == AnswerDecision.VIOLATIONS and not dues:
        errors["dues"] = _("List the dues to settle for the violations.")
    if data.get("certificate_type") not in (None, "", CertificateType.NONE) and not (
        data.get("certificate_number") and data.get("certificate_date")
    ):
        errors["certificate_number"] = _("Give the certificate's number and date.")
    amounts = [amount for _title, amount in dues]
    total = sum(amounts)
    if total % 1000:
        # The payment ID carries the amount in thousands of rials.
        errors["dues"] = _("The dues must add up to whole thousands of rials.")
    if any(type(amount) is not int or amount <= 0 for amount in amounts):
        errors["dues"] = _("Each line of the dues needs an amount in rials.")
    elif total > MAX_AMOUNT_RIALS:
        # Signing makes the payment ID, which cannot carry more; refused here, not at signing.
        errors["dues"] = _dues_over_limit()
    if errors:
        raise AnswerInvalid(errors)


def _dues_over_limit() -> str:
    return _(
        "The dues add up to more than %(limit)s rials, the most a payment ID can carry. "
        "Check the amounts, or settle part of the dues separately."
    ) % {"limit": format_number(MAX_AMOUNT_RIALS, persian=reader_reads_persian())}


class AnswerInvalid(InquiryError):
    def __init__(self, errors: dict):
        super().__init__(_("Some parts of the answer need attention."), code="invalid")
        self.errors = errors


@transaction.atomic
def answer_prepare(
    *,
    actor,
    inquiry: Inquiry,
    data: dict,
    dues: list[tuple[str, int]],
    expected_version: int | None = None,
) -> Answer:
    """Create or update the answer being prepared (one at a time per inquiry). On an answered
    inquiry this prepares a correction of the answer in force."""
    locked = inquiry_lock(inquiry, expected_version=expected_version)
    if locked.status not in ANSWERABLE:
        raise TransitionNotAllowed(locked)
    if locked.is_answered():
        # A correction replaces a signed letter: only someone who may sign prepares one.
        if not roles_of(actor).may_sign(locked.district_id):
            raise PermissionDenied
    else:
        require_holder(actor, locked)
    _check(data, dues)
    answer = answer_draft(locked) or Answer(inquiry=locked)
    for name in ANSWER_FIELDS:
        setattr(answer, name, data.get(name) or Answer._meta.get_field(name).get_default())
    answer.prepared_by = actor
    # "Prepared by ... at ...": this preparation, whenever the draft is signed later.
    answer.prepared_at = timezone.now()
    answer.supersedes = answer_current(locked) if locked.is_answered() else None
    answer.full_clean()
    answer.save()
    answer.dues.all().delete()
    AnswerDue.objects.bulk_create(
        AnswerDue(answer=answer, title=title, amount_rials=amount, order=i)
        for i, (title, amount) in enumerate(dues)
    )
    answer.dues_total_rials = sum(amount for _title, amount in dues)
    answer.save(update_fields=["dues_total_rials"])
    inquiry_record(
        actor=actor,
        inquiry=locked,
        action=Action.ANSWER_PREPARED,
        note=answer.get_decision_display(),
    )
    return answer


def _letter_number(inquiry: Inquiry, when) -> str:
    year = jalali.to_jalali(timezone.localtime(when).date()).year
    counter, _created = LetterCounter.objects.select_for_update().get_or_create(
        district_id=inquiry.district_id, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{inquiry.district.number}/{year}/{counter.last:05d}"


def _verification_code() -> str:
    for _attempt in range(5):
        code = "".join(secrets.choice(ALPHABET) for _ in range(10))
        if not Answer.objects.filter(verification_code=code).exists():
            return code
    raise RuntimeError("could not find a free verification code")


def _signer_role(actor, inquiry: Inquiry) -> SignerRole:
    """A code, never words in the signer's interface language: the letter prints it in Persian."""
    if roles_of(actor).manages_district(inquiry.district_id):
        return SignerRole.MANAGER
    return SignerRole.REVIEWER


class AnswerTransitionNotAllowed(InquiryError):
    def __init__(self, answer: Answer, action: AnswerAction):
        message, code = {
            AnswerAction.SIGN: (_("This answer is already signed."), "signed"),
            AnswerAction.REVOKE: (_("Only an answer in force can be revoked."), "not_signed"),
        }.get(action, (_("Only an answer in force can be replaced by a correction."), "not_signed"))
        super().__init__(message, code=code)
        self.answer = answer
        self.action = action


def _answer_move(answer: Answer, action: AnswerAction, update: dict | None = None) -> None:
    rule = ANSWER_TRANSITIONS[action]
    if answer.status not in rule.sources:
        raise AnswerTransitionNotAllowed(answer, action)
    answer.status = rule.target
    for name, value in (update or {}).items():
        setattr(answer, name, value)
    answer.save(update_fields=sorted({"status", *(update or {})}))


def answer_transition(
    *,
    actor,
    inquiry: Inquiry,
    answer: Answer,
    action: AnswerAction,
    note: str = "",
    update: dict | None = None,
) -> Answer:
    """The only code that changes an answer's status. Checks ``ANSWER_TRANSITIONS``, saves the
    answer (with ``update`` in the same save) and writes the inquiry's event for the move:

    - sign the first answer: the inquiry is answered (``Action.ANSWER``);
    - sign a correction: the answer it replaces is superseded, and one event
      (``Action.ANSWER_CORRECTED``) records both;
    - revoke: a correction being prepared is dropped and the inquiry goes back to review
      (``Action.ANSWER_REVOKED``), held by whoever revoked.

    The caller holds the inquiry's lock (``inquiry_lock``) and the answer's, and has checked who
    acts (``Roles.may_sign``)."""
    if action == AnswerAction.SIGN:
        correcting = inquiry.is_answered()
        _answer_move(answer, AnswerAction.SIGN, update)
        if not correcting:
            transition(
                actor=actor,
                inquiry=inquiry,
                action=Action.ANSWER,
                channel=inquiry.channel,
                note=note,
                update={"decision": answer.decision},
            )
            return answer
        if answer.supersedes_id is not None:
            previous = Answer.objects.select_for_update().get(pk=answer.supersedes_id)
            _answer_move(previous, AnswerAction.SUPERSEDE)
        before = summaries.Snapshot.of(inquiry)
        inquiry.decision = answer.decision
        inquiry_record(
            actor=actor,
            inquiry=inquiry,
            action=Action.ANSWER_CORRECTED,
            note=note,
            fields=["decision"],
            before=before,
        )
        notifications.inquiry_event(inquiry, Action.ANSWER_CORRECTED)
        return answer
    if action == AnswerAction.REVOKE:
        _answer_move(answer, AnswerAction.REVOKE, update)
        # A correction being prepared would supersede the revoked answer: it is dropped.
        inquiry.answers.filter(status=AnswerStatus.DRAFT).delete()
        transition(
            actor=actor,
            inquiry=inquiry,
            action=Action.ANSWER_REVOKED,
            channel=inquiry.channel,
            note=note,
            update={"assigned_to": actor, "decision": ""},
        )
        return answer
    # An answer is superseded only by signing its correction (above), never on its own.
    raise ValueError(f"{action} is not a move of its own")


@transaction.atomic
def answer_sign(*, actor, answer: Answer, expected_version: int | None = None) -> Answer:
    """Sign the prepared answer: letter number, verification code, validity, bill and payment IDs.
    From here on it never changes. Its PDF is owed (rendered by a worker after the commit)."""
    locked = inquiry_lock(answer.inquiry, expected_version=expected_version)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if not roles_of(actor).may_sign(locked.district_id):
        raise PermissionDenied
    if answer.status not in ANSWER_TRANSITIONS[AnswerAction.SIGN].sources:
        # Refused before a letter number is spent on it.
        raise AnswerTransitionNotAllowed(answer, AnswerAction.SIGN)
    if locked.status not in ANSWERABLE:
        raise TransitionNotAllowed(locked)
    if answer.dues_total_rials > MAX_AMOUNT_RIALS:
        # A draft prepared before the bound existed: it is corrected, never billed wrong or crashed.
        raise AnswerInvalid({"dues": _dues_over_limit()})
    now = timezone.now()
    jnow = jalali.to_jalali(timezone.localtime(now).date())
    signed = {
        "signed_by": actor,
        "signed_at": now,
        "signer_role": _signer_role(actor, locked),
        "valid_until": jalali.add_months(timezone.localdate(now), settings.ANSWER_VALID_MONTHS),
        "letter_number": _letter_number(locked, now),
        "verification_code": _verification_code(),
    }
    if answer.dues_total_rials:
        bill = bill_make(
            file_number=answer.pk,
            company_code=settings.BILL_COMPANY_CODE,
            amount_rials=answer.dues_total_rials,
            year=jnow.year,
            period=jnow.month,
        )
        signed.update(bill_id=bill.bill_id, payment_id=bill.payment_id)
    answer_transition(
        actor=actor,
        inquiry=locked,
        answer=answer,
        action=AnswerAction.SIGN,
        note=signed["letter_number"],
        update=signed,
    )
    _pdf_owed(answer)
    return answer


def _pdf_owed(answer: Answer) -> None:
    from ..tasks import answer_pdf_enqueue

    answer_pdf_enqueue(answer.pk)


@transaction.atomic
def answer_revoke(
    *, actor, answer: Answer, reason: str, expected_version: int | None = None
) -> Answer:
    """Withdraw a signed answer with a reason; the inquiry goes back to review for a new one.
    Like every staff action, a revoke sent from a page someone changed meanwhile (its
    ``expected_version`` is not the inquiry's) is refused with StaleInquiry, not applied."""
    reason = (reason or "").strip()
    if not has_visible_text(reason):
        raise InquiryError(_("Say why the answer is revoked."), code="no_reason")
    locked = inquiry_lock(answer.inquiry, expected_version=expected_version)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if not roles_of(actor).may_sign(locked.district_id):
        raise PermissionDenied
    return answer_transition(
        actor=actor,
        inquiry=locked,
        answer=answer,
        action=AnswerAction.REVOKE,
        note=reason,
        update={"revoked_at": timezone.now(), "revoked_by": actor, "revoke_reason": reason},
    )


def staff_roles(actor, district_id: int) -> dict:
    """What the staff pages may offer in this district, read from ``Roles``: the same predicates
    the services refuse by."""
    roles = roles_of(actor)
    return {
        "reviewer": roles.reviews_in(district_id),
        "manager": roles.manages_district(district_id),
        "signer": roles.may_sign(district_id),
    }
