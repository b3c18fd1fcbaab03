"""Every scoped read of inquiries. ``inquiries_visible_to`` is the one place that decides who sees
what; anything outside it is a 404 for that person."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import roles_of

from .models import Attachment, Inquiry, InquiryDraft
from .tracking import tracking_code_is_valid, tracking_code_normalize


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    roles = roles_of(user)
    if not roles.is_authenticated:
        return Inquiry.objects.none()
    if roles.is_ict_admin:
        return Inquiry.objects.all()
    scope = Q(filed_by=user)
    if user.national_id:
        # A citizen sees what they filed and what an office or kiosk filed for their national ID.
        scope |= Q(applicant_national_id=user.national_id)
    districts = roles.districts_with("reviewer", "manager", "kiosk")
    if districts:
        scope |= Q(district_id__in=districts)
    return Inquiry.objects.filter(scope)


def inquiry_get_for(user, tracking_code: str) -> Inquiry:
    code = tracking_code_normalize(tracking_code)
    try:
        return (
            inquiries_visible_to(user)
            .select_related("district", "property", "filed_by")
            .get(tracking_code=code)
        )
    except Inquiry.DoesNotExist:
        raise Http404 from None


def inquiry_is_applicant(user, inquiry: Inquiry) -> bool:
    """The person the inquiry is for (or who filed it): they withdraw and answer requests."""
    if not user.is_authenticated:
        return False
    return inquiry.filed_by_id == user.pk or (
        bool(user.national_id) and user.national_id == inquiry.applicant_national_id
    )


def inquiries_of_applicant(user) -> QuerySet[Inquiry]:
    """'My inquiries': filed by me, or for my national ID; newest first."""
    scope = Q(filed_by=user)
    if user.national_id:
        scope |= Q(applicant_national_id=user.national_id)
    return (
        Inquiry.objects.filter(scope)
        .select_related("district", "property")
        .order_by("-submitted_at", "-pk")
    )


def inquiry_for_public_tracking(tracking_code: str, national_id: str) -> Inquiry | None:
    """Both must match; a wrong combination and an unknown code look the same to the caller."""
    code = tracking_code_normalize(tracking_code)
    if not tracking_code_is_valid(code):
        return None
    return (
        Inquiry.objects.filter(tracking_code=code, applicant_national_id=national_id)
        .select_related("district")
        .first()
    )


def draft_get_for(user, draft_id) -> InquiryDraft:
    """Only the person filling a draft in may open it; a submitted draft stays readable so that a
    repeated submit lands on its inquiry."""
    try:
        return InquiryDraft.objects.get(pk=draft_id, owner=user)
    except (InquiryDraft.DoesNotExist, ValueError):
        raise Http404 from None


def drafts_open_of(user) -> QuerySet[InquiryDraft]:
    return InquiryDraft.objects.filter(owner=user, inquiry__isnull=True).order_by("-updated_at")


def attachment_get_for(user, attachment_id: int) -> Attachment:
    """An attachment of an inquiry the user may see, or of the user's own open draft."""
    visible = Q(inquiry__in=inquiries_visible_to(user)) | Q(draft__owner=user, inquiry__isnull=True)
    try:
        return Attachment.objects.filter(visible).get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404 from None
