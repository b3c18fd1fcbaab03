"""Every write to inquiries. Keyword-only arguments, the actor explicit, one transaction each, the
audit event written beside the change, messages sent only after the commit."""

from .answers import (
    AnswerInvalid,
    answer_current,
    answer_draft,
    answer_prepare,
    answer_revoke,
    answer_sign,
    answer_transition,
)
from .applicant import inquiry_resubmit, inquiry_withdraw
from .common import (
    DistrictNotOnline,
    DraftIncomplete,
    InquiryError,
    StaleInquiry,
    TransitionNotAllowed,
)
from .filing import (
    district_for_renovation_code,
    district_online_check,
    draft_attachment_add,
    draft_attachment_remove,
    draft_district_check,
    draft_start,
    draft_step_save,
    drafts_purge_stale,
    inquiry_submit,
    property_upsert,
)
from .review import (
    inquiries_release_held_by,
    inquiry_assign,
    inquiry_info_request,
    inquiry_review_start,
    reviewers_of,
)

__all__ = [
    "AnswerInvalid",
    "DistrictNotOnline",
    "DraftIncomplete",
    "InquiryError",
    "StaleInquiry",
    "TransitionNotAllowed",
    "answer_current",
    "answer_draft",
    "answer_prepare",
    "answer_revoke",
    "answer_sign",
    "answer_transition",
    "district_for_renovation_code",
    "district_online_check",
    "draft_attachment_add",
    "draft_attachment_remove",
    "draft_district_check",
    "draft_start",
    "draft_step_save",
    "drafts_purge_stale",
    "inquiries_release_held_by",
    "inquiry_assign",
    "inquiry_info_request",
    "inquiry_resubmit",
    "inquiry_review_start",
    "inquiry_submit",
    "inquiry_withdraw",
    "property_upsert",
    "reviewers_of",
]
