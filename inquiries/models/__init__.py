from shahrvand.append_only import AppendOnlyError

from .answer import (
    Answer,
    AnswerDecision,
    AnswerDue,
    AnswerStatus,
    CertificateType,
    DeficiencyReason,
    InfoRequest,
    LetterCounter,
    RoadWidening,
)
from .attachment import Attachment
from .bank import Bank
from .draft import InquiryDraft
from .event import InquiryEvent
from .inquiry import AgencyDetails, BankDetails, Inquiry, TransferDetails
from .property import Property
from .summary import (
    AnswerDays,
    DayAnswerDays,
    DayFigures,
    MonthFigures,
    OfficeAnswerDays,
    OfficeCount,
    OfficeMonth,
    OfficeReason,
    QueueCount,
)
from .verification import VerificationLog, VerificationResult

__all__ = [
    "AgencyDetails",
    "Answer",
    "AnswerDays",
    "AnswerDecision",
    "AnswerDue",
    "AnswerStatus",
    "AppendOnlyError",
    "Attachment",
    "Bank",
    "BankDetails",
    "CertificateType",
    "DayAnswerDays",
    "DayFigures",
    "DeficiencyReason",
    "InfoRequest",
    "Inquiry",
    "InquiryDraft",
    "InquiryEvent",
    "LetterCounter",
    "MonthFigures",
    "OfficeAnswerDays",
    "OfficeCount",
    "OfficeMonth",
    "OfficeReason",
    "Property",
    "QueueCount",
    "RoadWidening",
    "TransferDetails",
    "VerificationLog",
    "VerificationResult",
]
