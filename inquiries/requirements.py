"""What each inquiry needs (domain notes). Documents: the deed always; the power of attorney when an
attorney files; the requesting bank's or agency's letter for those kinds. The requesting
institution's letter (number and date): a bank's and an agency's always; a transfer's when a notary
office files it."""

from __future__ import annotations

from inquiries.kinds import InquiryKind
from inquiries.workflow import Channel

from .models.choices import ApplicantRelation, DocumentKind

# Who files for a notary office: its operators on the web, its own system through the API (only a
# notary's system files transfers there).
_NOTARY_CHANNELS = {Channel.NOTARY_OFFICE, Channel.INSTITUTION_API}


def transfer_letter_required(channel: str) -> bool:
    """A notary office asks for a transfer inquiry by its own letter, as a bank or an agency does;
    a citizen, a counter office or a kiosk files one before any notary has written (the letter is
    then optional: given if a notary office's letter asks for it)."""
    return channel in _NOTARY_CHANNELS


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
