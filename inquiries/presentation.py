"""How an inquiry's state reads to the person it concerns."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Roles, roles_of
from districts.models import DistrictMembership, DistrictRole

from .workflow import APPLICANT, TRANSITIONS, Action, Channel, InquiryStatus

NEXT_STEP = {
    InquiryStatus.SUBMITTED: _(
        "Received. The district will start reviewing it; you will get an SMS when there is news."
    ),
    InquiryStatus.IN_REVIEW: _("The district is reviewing it. Nothing to do for now."),
    InquiryStatus.NEEDS_INFO: _(
        "The district needs more information. Read the request below and send what is asked."
    ),
    InquiryStatus.RESUBMITTED: _(
        "The information sent was received; the district will continue the review."
    ),
    InquiryStatus.ANSWERED: _("Answered. The answer is shown below."),
    InquiryStatus.WITHDRAWN: _("Withdrawn. Nothing more will happen with it."),
}
# The same news where the inquiry is one line of a list (my inquiries, the kiosk's look-up): what
# "below" points to is on the inquiry's own page.
NEXT_STEP_IN_LIST = {
    **NEXT_STEP,
    InquiryStatus.NEEDS_INFO: _(
        "The district needs more information. Open the inquiry to read the request and send what "
        "is asked."
    ),
    InquiryStatus.ANSWERED: _("Answered. Open the inquiry to see and download the answer."),
}

STATUS_BADGE = {
    InquiryStatus.SUBMITTED: "text-bg-primary",
    InquiryStatus.IN_REVIEW: "text-bg-info",
    InquiryStatus.NEEDS_INFO: "text-bg-warning",
    InquiryStatus.RESUBMITTED: "text-bg-primary",
    InquiryStatus.ANSWERED: "text-bg-success",
    InquiryStatus.WITHDRAWN: "text-bg-secondary",
}


def next_step(status: str, where: str = "page") -> str:
    """What happens next, as said on the inquiry's own page or (``where="list"``) in a list."""
    table = NEXT_STEP_IN_LIST if where == "list" else NEXT_STEP
    return str(table.get(status, ""))


def status_badge(status: str) -> str:
    return STATUS_BADGE.get(status, "text-bg-light")


# --- Where each role goes next: the home page's main buttons and the filing confirmation ----------


@dataclass(frozen=True)
class Place:
    label: str
    url: str
    primary: bool = False


def home_places(roles: Roles) -> list[Place]:
    """The home page's main buttons: each role's own way in (an office files from its office page,
    a kiosk clerk from the kiosk, staff work from the queue), never a page the role is refused."""
    places: list[Place] = []
    if not roles.is_authenticated or roles.is_citizen:
        places.append(Place(_("File an inquiry"), reverse("inquiries:new"), primary=True))
    if roles.is_office_operator:
        if len(roles.office_ids) == 1:
            (office_id,) = roles.office_ids
            url = reverse("counters:office_file", args=[office_id])
        else:
            url = reverse("counters:office")
        places.append(Place(_("File an inquiry for a citizen"), url, primary=True))
        places.append(Place(_("My office's inquiries"), reverse("counters:office")))
    if roles.is_kiosk_staff:
        places.append(
            Place(_("File an inquiry for a citizen"), reverse("inquiries:kiosk_file"), True)
        )
        places.append(Place(_("Help kiosk"), reverse("districts:kiosk")))
    if roles.is_reviewer_or_manager:
        places.append(Place(_("Review queue"), reverse("inquiries:review_queue"), primary=True))
    if roles.is_ict_admin:
        places.append(Place(_("Offices"), reverse("counters:registry"), primary=True))
    if roles.reads_reports:
        places.append(Place(_("Reports"), reverse("reports:dashboard")))
    # One main button only: the first; the others are outlined beside it.
    seen_primary = False
    shown = []
    for place in places:
        shown.append(Place(place.label, place.url, place.primary and not seen_primary))
        seen_primary = seen_primary or place.primary
    shown.append(Place(_("Track an inquiry"), reverse("inquiries:track")))
    shown.append(Place(_("Verify an answer"), reverse("inquiries:verify")))
    return shown


def filed_as(roles: Roles, inquiry) -> str:
    """In which capacity this person stands to the inquiry they filed: "office", "kiosk",
    "citizen", or "other" (staff opening the confirmation page)."""
    if inquiry.office_id and inquiry.office_id in roles.office_ids:
        return "office"
    if inquiry.channel == Channel.KIOSK and roles.is_kiosk_staff:
        return "kiosk"
    if roles.is_citizen:
        return "citizen"
    return "other"


def submitted_places(roles: Roles, inquiry) -> list[Place]:
    """The links under "the inquiry was sent", in the filer's own pages."""
    see = Place(_("See the inquiry"), reverse("inquiries:detail", args=[inquiry.tracking_code]))
    capacity = filed_as(roles, inquiry)
    if capacity == "office":
        return [
            Place(see.label, see.url, primary=True),
            Place(
                _("My office's inquiries"),
                reverse("counters:office_queue", args=[inquiry.office_id]),
            ),
            Place(
                _("File another inquiry for a citizen"),
                reverse("counters:office_file", args=[inquiry.office_id]),
            ),
        ]
    if capacity == "kiosk":
        return [
            Place(see.label, see.url, primary=True),
            Place(_("Back to the kiosk"), reverse("districts:kiosk")),
            Place(_("File another inquiry for a citizen"), reverse("inquiries:kiosk_file")),
        ]
    if capacity == "citizen":
        return [
            Place(see.label, see.url, primary=True),
            Place(_("My inquiries"), reverse("inquiries:mine")),
            Place(_("File another inquiry"), reverse("inquiries:new")),
        ]
    return [Place(see.label, see.url, primary=True)] + [
        Place(place.label, place.url) for place in home_places(roles)
    ]


# --- The history: who acted -----------------------------------------------------------------------

# The applicant's side acts through the inquiry's channel (online, the office, the kiosk); every
# other event is the district's staff (or the system, with no actor).
APPLICANT_SIDE = frozenset(
    {Action.SUBMIT} | {action for action, rule in TRANSITIONS.items() if rule.by == APPLICANT}
)
# The role a staff member is named by, the highest they hold in the inquiry's district.
STAFF_ROLE_ORDER = (DistrictRole.MANAGER, DistrictRole.REVIEWER, DistrictRole.KIOSK)


@dataclass(frozen=True)
class HistoryRow:
    event: object
    title: str
    who: str


def history_rows(inquiry, events, viewer) -> list[HistoryRow]:
    """Each event with who acted: "you" for the applicant reading their own inquiry, the office or
    the kiosk for what they did on the applicant's behalf (with the operator's name for district
    staff), and the role and name of district staff — as a signed letter names its signer. A
    citizen never sees more of a staff member than that."""
    events = list(events)
    roles = roles_of(viewer)
    staff_reader = roles.is_reviewer_or_manager or roles.is_ict_admin
    staff_ids = {e.actor_id for e in events if e.actor_id and e.action not in APPLICANT_SIDE}
    held: dict[int, set[str]] = {}
    memberships = DistrictMembership.objects.filter(
        user_id__in=staff_ids, district_id=inquiry.district_id
    ).values_list("user_id", "role")
    for user_id, role in memberships:
        held.setdefault(user_id, set()).add(role)
    return [
        HistoryRow(event, event.title(), _who(event, inquiry, viewer, staff_reader, held))
        for event in events
    ]


def _who(event, inquiry, viewer, staff_reader: bool, held: dict[int, set[str]]) -> str:
    actor = event.actor
    if event.action in APPLICANT_SIDE:
        if event.channel == Channel.WEB:
            if actor is not None and viewer is not None and actor.pk == viewer.pk:
                return str(_("You"))
            return str(_("The applicant, online"))
        if event.channel == Channel.KIOSK:
            place = _("The help kiosk of %(district)s") % {"district": inquiry.district.name}
        else:
            place = str(inquiry.office) if inquiry.office_id else event.get_channel_display()
        if staff_reader and actor is not None:
            return f"{place} — {actor.display_name}"
        return str(place)
    if actor is None:
        return str(_("The system"))
    role = next((r for r in STAFF_ROLE_ORDER if r in held.get(actor.pk, ())), None)
    if role is None:
        return _("Urmia Municipality — %(name)s") % {"name": actor.display_name}
    return _("%(role)s, %(district)s — %(name)s") % {
        "role": DistrictRole(role).label,
        "district": inquiry.district.name,
        "name": actor.display_name,
    }
