from .attachment import Attachment
from .bank import Bank
from .draft import InquiryDraft
from .event import AppendOnlyError, InquiryEvent
from .inquiry import AgencyDetails, BankDetails, Inquiry, TransferDetails
from .property import Property

__all__ = [
    "AgencyDetails",
    "AppendOnlyError",
    "Attachment",
    "Bank",
    "BankDetails",
    "Inquiry",
    "InquiryDraft",
    "InquiryEvent",
    "Property",
    "TransferDetails",
]
