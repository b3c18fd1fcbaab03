"""Which documents each inquiry needs (domain notes): the deed always; the power of attorney when an
attorney files; the requesting bank's or agency's letter for those kinds."""

from __future__ import annotations

from inquiries.kinds import InquiryKind

from .models.choices import ApplicantRelation, DocumentKind


def documents_required(kind: str, relation: str | None) -> list[DocumentKind]:
    required = [DocumentKind.DEED]
    if relation == ApplicantRelation.ATTORNEY:
        required.append(DocumentKind.POWER_OF_ATTORNEY)
    if kind == InquiryKind.BANK:
        required.append(DocumentKind.BANK_LETTER)
    elif kind == InquiryKind.AGENCY:
        required.append(DocumentKind.AGENCY_LETTER)
    return required


def documents_missing(kind: str, relation: str | None, present: set[str]) -> list[DocumentKind]:
    return [doc for doc in documents_required(kind, relation) if doc not in present]
