"""Every scoped read of inquiries. Who sees an inquiry is decided here and nowhere else:
``inquiries_visible_to`` joins the applicant's side (``_acting_for_applicant``) and the district's
reviewers and managers (``staff_districts``, which the staff pages read through directly); the kiosk
look-up (``inquiry_get_for_kiosk``) shows a clerk the status of any inquiry of their district, not
its documents. Anything outside them is a 404 for that person."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.http import Http404

from accounts.roles import REVIEWING_ROLES, roles_of

from . import workflow
from .models import Attachment, Inquiry, InquiryDraft
from .tracking import tracking_code_is_valid, tracking_code_normalize
from .workflow import Channel

CITIZEN, OFFICE, KIOSK, INSTITUTION = "citizen", "office", "kiosk", "institution"


def _acting_for_applicant(user) -> list[tuple[str, Q, Value | F]]:
    """Who acts on an inquiry as its applicant, and through which channel; the one home of this
    rule. Only a current, active role counts: having filed an inquiry grants nothing by itself.

    - the citizen it is for (their national ID), or who filed it online themselves: online;
    - the office that filed it, through its operators' active memberships of the active office:
      the office's channel;
    - the kiosk clerk who filed it for a walk-in citizen, while they are kiosk staff of its
      district: the kiosk;
    - the institution whose system filed it through the API, through the institution's own
      account while the institution is active: the institution API.
    """
    roles = roles_of(user)
    if not roles.is_authenticated:
        return []
    capacities = []
    if roles.office_ids:
        capacities.append((OFFICE, Q(office_id__in=roles.office_ids), F("channel")))
    kiosk_districts = roles.districts_with("kiosk")
    if kiosk_districts:
        filed_here = Q(channel=Channel.KIOSK, filed_by=user, district_id__in=kiosk_districts)
        capacities.append((KIOSK, filed_here, Value(Channel.KIOSK)))
    if roles.institution_id is not None:
        filed_by_system = Q(channel=Channel.INSTITUTION_API, filed_by=user)
        capacities.append((INSTITUTION, filed_by_system, Value(Channel.INSTITUTION_API)))
    citizen = Q(channel=Channel.WEB, filed_by=user)
    if user.national_id:
        citizen |= Q(applicant_national_id=user.national_id)
    capacities.append((CITIZEN, citizen, Value(Channel.WEB)))
    return capacities


def _any_of(conditions) -> Q:
    scope = Q(pk__in=[])
    for condition in conditions:
        scope |= condition
    return scope


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    roles = roles_of(user)
    if not roles.is_authenticated:
        return Inquiry.objects.none()
    if roles.is_ict_admin:
        return Inquiry.objects.all()
    # The applicant's side (the citizen, or the office or kiosk acting for them) ...
    scope = _any_of(condition for _as, condition, _channel in _acting_for_applicant(user))
    # ... and the reviewers and managers of its district. A kiosk clerk sees any other inquiry's
    # status through the kiosk look-up only (not its documents).
    districts = staff_districts(user)
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


def inquiry_applicant_channel(user, inquiry: Inquiry) -> str | None:
    """The channel through which the user acts for the inquiry's applicant now (online for the
    citizen, the office's or the kiosk's for those who filed it), or None when they may not."""
    capacities = _acting_for_applicant(user)
    if not capacities:
        return None
    acting = Case(
        *(When(condition, then=channel) for _as, condition, channel in capacities),
        default=Value(""),
        output_field=CharField(),
    )
    channel = (
        Inquiry.objects.filter(pk=inquiry.pk)
        .annotate(acting=acting)
        .values_list("acting", flat=True)
        .first()
    )
    return channel or None


def inquiry_is_applicant(user, inquiry: Inquiry) -> bool:
    """The person the inquiry is for, or the office or kiosk that filed it while the role it was
    filed in lasts: they withdraw and answer requests for more information."""
    return inquiry_applicant_channel(user, inquiry) is not None


def inquiries_of_applicant(user) -> QuerySet[Inquiry]:
    """'My inquiries': the citizen's own (filed online, or by an office or kiosk for their national
    ID); newest first. What an operator or a clerk filed for others is not theirs."""
    citizen = [
        condition for acting_as, condition, _ in _acting_for_applicant(user) if acting_as == CITIZEN
    ]
    return (
        Inquiry.objects.filter(_any_of(citizen))
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


def drafts_workable_by(user) -> QuerySet[InquiryDraft]:
    """The drafts a person may fill in and submit: their own, through a channel they still file by
    (``Roles.may_file``, the rule that let them start it: a citizen online, a kiosk clerk on duty, an
    operator of the draft's office while the office and the membership are active). A draft whose
    owner's role ended is nobody's, nor are its uploads."""
    roles = roles_of(user)
    if not roles.is_authenticated:
        return InquiryDraft.objects.none()
    channels = [
        Q(channel=c)
        for c in (Channel.WEB, Channel.KIOSK, Channel.INSTITUTION_API)
        if roles.may_file(c)
    ]
    channels += [
        Q(channel=channel, office_id=office_id)
        for office_id, channel in roles.office_channel_of.items()
        if roles.may_file(channel, office_id)
    ]
    return InquiryDraft.objects.filter(_any_of(channels), owner=user)


def draft_get_for(user, draft_id) -> InquiryDraft:
    """Only the person filling a draft in may open it; a submitted draft stays readable so that a
    repeated submit lands on its inquiry."""
    try:
        return drafts_workable_by(user).get(pk=draft_id)
    except (InquiryDraft.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def drafts_open_of(user) -> QuerySet[InquiryDraft]:
    return drafts_workable_by(user).filter(inquiry__isnull=True).order_by("-updated_at")


def attachment_get_for(user, attachment_id: int) -> Attachment:
    """An attachment of an inquiry the user may see, or of an open draft they may still work on."""
    visible = Q(inquiry__in=inquiries_visible_to(user)) | Q(
        draft__in=drafts_workable_by(user), inquiry__isnull=True
    )
    try:
        return Attachment.objects.filter(visible).get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404 from None


def inquiries_overdue(today=None) -> QuerySet[Inquiry]:
    """Overdue inquiries (``workflow.overdue_q``: waiting on the district past their due date)."""
    from django.utils import timezone

    return Inquiry.objects.filter(workflow.overdue_q(today or timezone.localdate()))


# --- the district's review queue ------------------------------------------------------------------


def staff_districts(user) -> set[int]:
    """The districts whose inquiries the user reviews (as a reviewer or a manager)."""
    return roles_of(user).districts_with(*REVIEWING_ROLES)


def _search(queryset: QuerySet[Inquiry], text: str) -> QuerySet[Inquiry]:
    """One box for a tracking code, a national ID, a renovation code or a plate (main/sub/section),
    typed in any digits."""
    from django.core.exceptions import ValidationError

    from shahrvand.identifiers import national_id_is_valid, national_id_normalize
    from shahrvand.text import is_ascii_number, search_text

    from .property_codes import renovation_code_parse

    text = search_text(text)
    if text is None:
        return queryset.none()  # longer than anything searched for
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
    # ASCII digits only (``int()`` would take any script's), and no longer than a plate number.
    if parts and len(parts) <= 3 and all(is_ascii_number(p) and len(p) <= 9 for p in parts):
        numbers = [int(p) for p in parts]
        plate = Q(property__plate_main=numbers[0])
        if len(numbers) >= 2:
            # main/sub as the form asks, or sub/main as a deed reads ("56 sub-plate of main 1234"):
            # both orders find the plate; the list shows each in full.
            plate = Q(property__plate_main=numbers[0], property__plate_sub=numbers[1]) | Q(
                property__plate_main=numbers[1], property__plate_sub=numbers[0]
            )
        if len(numbers) == 3:
            plate &= Q(property__registration_section=numbers[2])
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
        queryset = queryset.filter(status__in=workflow.OPEN)
    if kind:
        queryset = queryset.filter(kind=kind)
    if channel:
        queryset = queryset.filter(channel=channel)
    if overdue:
        queryset = queryset.filter(workflow.overdue_q(timezone.localdate()))
    if assigned == "me":
        queryset = queryset.filter(assigned_to=user)
    elif assigned == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    queryset = _search(queryset, q)
    # What the queue's rows show (``listing.lines``): the property's renovation code and who holds
    # the inquiry; not its district (the queue is filtered by district and does not repeat it).
    return queryset.select_related("property", "assigned_to").order_by(
        F("due_date").asc(nulls_last=True), "submitted_at", "pk"
    )


@dataclass(frozen=True)
class QueueTally:
    """The kept counts of the user's districts: (status, kind, channel) -> inquiries."""

    rows: dict[tuple[str, str, str], int]

    def by_status(self) -> dict[str, int]:
        """Inquiries per status: the queue's tabs."""
        counts: dict[str, int] = {}
        for (status, _kind, _channel), n in self.rows.items():
            if n:
                counts[status] = counts.get(status, 0) + n
        return counts

    def total(self, *, status: str = "", kind: str = "", channel: str = "") -> int:
        """The exact size of the listing filtered by status ("all", one, or "" for the open
        ones), kind and channel."""
        if status == "all":
            statuses = set(workflow.InquiryStatus.values)
        elif status:
            statuses = {status}
        else:
            statuses = set(workflow.OPEN)
        return sum(
            n
            for (s, k, c), n in self.rows.items()
            if s in statuses and (not kind or k == kind) and (not channel or c == channel)
        )


def queue_tally(user, *, district_id: int | None = None) -> QueueTally:
    """The inquiries of the user's districts per status, kind and channel, from the counts kept on
    every write (``inquiries.summaries``): one query over a few dozen rows, whatever the number of
    inquiries."""
    from django.db.models import Sum

    from .models import QueueCount

    districts = staff_districts(user)
    if district_id is not None:
        districts &= {district_id}
    rows = (
        QueueCount.objects.filter(district_id__in=districts)
        .order_by()
        .values_list("status", "kind", "channel")
        .annotate(n=Sum("n"))
    )
    return QueueTally({(status, kind, channel): n for status, kind, channel, n in rows})


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
