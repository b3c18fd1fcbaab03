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
    # Reviewers and managers see their districts' inquiries. Kiosk clerks see what they filed
    # themselves, and any inquiry's status through the kiosk look-up only (not its documents).
    districts = roles.districts_with("reviewer", "manager")
    if districts:
        scope |= Q(district_id__in=districts)
    if roles.office_ids:
        # An office's operators all see what any of them filed for the office.
        scope |= Q(office_id__in=roles.office_ids)
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
    """The person the inquiry is for, who filed it, or the office that filed it: they withdraw
    and answer requests for more information."""
    if not user.is_authenticated:
        return False
    if inquiry.filed_by_id == user.pk:
        return True
    if inquiry.office_id and inquiry.office_id in roles_of(user).office_ids:
        return True
    return bool(user.national_id) and user.national_id == inquiry.applicant_national_id


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


def inquiries_overdue(today=None) -> QuerySet[Inquiry]:
    """Waiting on the district past their due date (paused ones have no due date)."""
    from django.utils import timezone

    from .workflow import WAITING_ON_DISTRICT

    today = today or timezone.localdate()
    return Inquiry.objects.filter(status__in=WAITING_ON_DISTRICT, due_date__lt=today)


# --- the district's review queue ------------------------------------------------------------------

QUEUE_OPEN = ("submitted", "in_review", "needs_info", "resubmitted")


def staff_districts(user) -> set[int]:
    return roles_of(user).districts_with("reviewer", "manager")


def _search(queryset: QuerySet[Inquiry], text: str) -> QuerySet[Inquiry]:
    """One box for a tracking code, a national ID, a renovation code or a plate (main/sub/section),
    typed in any digits."""
    from django.core.exceptions import ValidationError

    from shahrvand.identifiers import national_id_is_valid, national_id_normalize
    from shahrvand.text import normalize_text

    from .property_codes import renovation_code_parse

    text = normalize_text(text)
    if not text:
        return queryset
    code = tracking_code_normalize(text)
    if tracking_code_is_valid(code):
        return queryset.filter(tracking_code=code)
    national_id = national_id_normalize(text)
    if national_id_is_valid(national_id):
        return queryset.filter(
            Q(applicant_national_id=national_id) | Q(owner_national_id=national_id)
        )
    try:
        renovation = renovation_code_parse(text)
    except ValidationError:
        pass
    else:
        return queryset.filter(property__renovation_code=str(renovation))
    parts = [p for p in text.replace("-", "/").replace(" ", "/").split("/") if p]
    if parts and all(p.isdigit() for p in parts) and len(parts) <= 3:
        plate = Q(property__plate_main=int(parts[0]))
        if len(parts) >= 2:
            plate &= Q(property__plate_sub=int(parts[1]))
        if len(parts) == 3:
            plate &= Q(property__registration_section=int(parts[2]))
        return queryset.filter(plate)
    return queryset.none()


def inquiries_queue(
    user,
    *,
    district_id: int | None = None,
    kind: str = "",
    status: str = "",
    channel: str = "",
    overdue: bool = False,
    assigned: str = "",
    q: str = "",
) -> QuerySet[Inquiry]:
    """The district's inquiries for its reviewers and managers: filtered, searched, soonest due
    first (paused ones, which have no due date, after them), one query with what the rows show."""
    from django.db.models import F
    from django.utils import timezone

    districts = staff_districts(user)
    if district_id is not None:
        districts &= {district_id}
    queryset = Inquiry.objects.filter(district_id__in=districts)
    if status == "all":
        pass
    elif status:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.filter(status__in=QUEUE_OPEN)
    if kind:
        queryset = queryset.filter(kind=kind)
    if channel:
        queryset = queryset.filter(channel=channel)
    if overdue:
        queryset = queryset.filter(
            status__in=("submitted", "in_review", "resubmitted"),
            due_date__lt=timezone.localdate(),
        )
    if assigned == "me":
        queryset = queryset.filter(assigned_to=user)
    elif assigned == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    queryset = _search(queryset, q)
    return queryset.select_related("property", "assigned_to", "district").order_by(
        F("due_date").asc(nulls_last=True), "submitted_at", "pk"
    )


def queue_counts(user, *, district_id: int | None = None) -> dict[str, int]:
    """Inquiries per status in the user's districts, in one query."""
    from django.db.models import Count

    districts = staff_districts(user)
    if district_id is not None:
        districts &= {district_id}
    rows = (
        Inquiry.objects.filter(district_id__in=districts)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def inquiry_get_for_staff(user, tracking_code: str) -> Inquiry:
    """An inquiry of one of the user's districts (reviewers and managers), else 404."""
    code = tracking_code_normalize(tracking_code)
    try:
        return (
            Inquiry.objects.filter(district_id__in=staff_districts(user))
            .select_related("district", "property", "filed_by", "assigned_to")
            .get(tracking_code=code)
        )
    except Inquiry.DoesNotExist:
        raise Http404 from None


def inquiry_get_for_kiosk(user, tracking_code: str) -> Inquiry | None:
    """Kiosk look-up: any inquiry of the clerk's districts by its tracking code."""
    code = tracking_code_normalize(tracking_code)
    if not tracking_code_is_valid(code):
        return None
    districts = roles_of(user).districts_with("kiosk")
    return (
        Inquiry.objects.filter(district_id__in=districts, tracking_code=code)
        .select_related("district")
        .first()
    )
