"""Is this answer genuine, and is it still good? What the public verification page says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import Answer, AnswerStatus, VerificationLog, VerificationResult
from .tracking import ALPHABET, typed_code_normalize

CODE_LENGTH = 10


def verification_code_normalize(value: str | None) -> str:
    # ASCII letters and digits only, as for tracking codes (``str.isalnum`` took any script's).
    return typed_code_normalize(value)


@dataclass(frozen=True)
class Verdict:
    result: str
    answer: Answer | None
    newer: Answer | None = None  # the answer in force that replaced this one, if any


def _latest(answer: Answer) -> Answer | None:
    """Follow corrections to the newest signed answer."""
    current = answer
    seen = set()
    while current.pk not in seen:
        seen.add(current.pk)
        nxt = Answer.objects.filter(supersedes=current, signed_at__isnull=False).first()
        if nxt is None:
            break
        current = nxt
    return current if current.pk != answer.pk else None


def answer_verdict(answer: Answer | None, today: dt.date | None = None) -> Verdict:
    if answer is None or not answer.signed_at:
        return Verdict(VerificationResult.NOT_FOUND, None)
    today = today or timezone.localdate()
    if answer.status == AnswerStatus.REVOKED:
        return Verdict(VerificationResult.REVOKED, answer, _latest(answer))
    if answer.status == AnswerStatus.SUPERSEDED:
        return Verdict(VerificationResult.SUPERSEDED, answer, _latest(answer))
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
