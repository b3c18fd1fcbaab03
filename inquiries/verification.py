"""Is this answer genuine, and is it still good? What the public verification page says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import Answer, AnswerStatus, VerificationLog, VerificationResult
from .services.answers import answer_current
from .tracking import ALPHABET, typed_code_normalize

CODE_LENGTH = 10


def verification_code_normalize(value: str | None) -> str:
    # ASCII letters and digits only, as for tracking codes (``str.isalnum`` took any script's).
    return typed_code_normalize(value)


# How each result reads: green only for an answer in force, red where nothing genuine stands
# behind the paper (unknown or revoked), amber where it is genuine but no longer the answer.
TONE = {
    VerificationResult.VALID: "success",
    VerificationResult.EXPIRED: "warning",
    VerificationResult.SUPERSEDED: "warning",
    VerificationResult.REVOKED: "danger",
    VerificationResult.NOT_FOUND: "danger",
}


@dataclass(frozen=True)
class Verdict:
    result: str
    answer: Answer | None
    # For a letter no longer in force: the inquiry's answer in force now, if there is one.
    in_force: Answer | None = None

    @property
    def tone(self) -> str:
        return TONE[self.result]

    @property
    def is_genuine(self) -> bool:
        return self.answer is not None

    @property
    def replaced(self) -> bool:
        """Superseded or revoked: the reader must be led to what is in force instead (or told
        plainly that nothing is)."""
        return self.result in (VerificationResult.SUPERSEDED, VerificationResult.REVOKED)

    @property
    def shows_valid_until(self) -> bool:
        # A letter withdrawn or replaced has no validity left to show.
        return self.result in (VerificationResult.VALID, VerificationResult.EXPIRED)


def _in_force(answer: Answer) -> Answer | None:
    """The inquiry's signed answer in force now, whatever chain of corrections and revocations led
    there (a revoked correction breaks the ``supersedes`` chain: the next answer starts afresh)."""
    return answer_current(answer.inquiry)


def answer_verdict(answer: Answer | None, today: dt.date | None = None) -> Verdict:
    """The one verdict: the page says the same whether the letter was found by its code, its link
    or its uploaded PDF."""
    if answer is None or not answer.signed_at:
        return Verdict(VerificationResult.NOT_FOUND, None)
    today = today or timezone.localdate()
    if answer.status == AnswerStatus.REVOKED:
        return Verdict(VerificationResult.REVOKED, answer, _in_force(answer))
    if answer.status == AnswerStatus.SUPERSEDED:
        return Verdict(VerificationResult.SUPERSEDED, answer, _in_force(answer))
    if answer.valid_until and answer.valid_until < today:
        return Verdict(VerificationResult.EXPIRED, answer)
    return Verdict(VerificationResult.VALID, answer)


def _answers():
    return Answer.objects.select_related("inquiry__district", "inquiry__property")


def verify_by_code(code: str, *, ip: str | None, method: str = "code") -> Verdict:
    code = verification_code_normalize(code)
    answer = None
    if len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code):
        answer = _answers().filter(verification_code=code).first()
    verdict = answer_verdict(answer)
    _log(method, code, verdict, ip)
    return verdict


def verify_by_pdf(sha256: str, *, ip: str | None) -> Verdict:
    answer = _answers().filter(pdf_sha256=sha256).first()
    verdict = answer_verdict(answer)
    _log("pdf", sha256[:16], verdict, ip)
    return verdict


def _log(method: str, query: str, verdict: Verdict, ip: str | None) -> None:
    VerificationLog.objects.create(
        method=method, query=query[:80], result=verdict.result, answer=verdict.answer, ip=ip
    )
