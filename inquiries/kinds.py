"""What an inquiry is for: transfer, bank or agency. One class, defined with the districts, whose
settings are per kind (``districts/kinds.py``); inquiries and the apps above them import it from
here."""

from districts.kinds import InquiryKind

__all__ = ["InquiryKind"]
