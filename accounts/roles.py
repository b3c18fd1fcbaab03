"""What a signed-in person is and may do, derived from their active memberships: the one place the
rest of the code asks about a person (may they review in, manage, sign for a district; file through
a channel; manage an office). Lists of the people who hold a role (the reviewers an inquiry can be
handed to, the managers told about overdue inquiries) are queries in the services that need them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import connections, router
from django.db.models import Case, CharField, F, IntegerField, Value, When

from shahrvand.compiled import STAND_INS, compiled, with_value

from . import access_stamp

ICT_ADMIN_GROUP = "ict_admin"
# The filing channel an office of each kind gives: counters.models.OfficeKind values to
# inquiries.workflow.Channel values. The one home of this map (CounterOffice.channel reads it too);
# as plain strings because the apps that define the two choices build on this one
# (accounts/tests/test_roles.py checks them against both).
CHANNEL_OF_KIND = {"counter": "counter_office", "notary": "notary_office"}
# The citizen's own channel and the help kiosk's (inquiries.workflow.Channel values).
CHANNEL_WEB = "web"
CHANNEL_KIOSK = "kiosk"
# An institution's system filing through the API (``api.Institution``; its account is the actor).
CHANNEL_INSTITUTION = "institution_api"
# The district roles that review: see the district's inquiries and may be handed one
# (districts.models.DistrictRole values; ``reviewers_of`` lists the people who hold them).
REVIEWING_ROLES = ("reviewer", "manager")
# The ICT organisation runs the reference data; these apps' models are theirs to edit in the admin.
# "shahrvand": the SMS outbox's read-only admin page (its counts of owed and sent messages).
ICT_ADMIN_APPS = ("shahrvand", "accounts", "districts", "inquiries", "counters", "reports", "api")


@dataclass(frozen=True)
class Roles:
    # district id -> the roles held there ("reviewer", "manager", "kiosk")
    district_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    is_ict_admin: bool = False
    is_authenticated: bool = False
    has_national_id: bool = False
    # Counter and notary offices the user operates for, and the filing channels they give.
    office_ids: frozenset[int] = frozenset()
    office_channels: frozenset[str] = frozenset()
    managed_office_ids: frozenset[int] = frozenset()
    # office id -> the filing channel it gives (an operator may work for offices of both kinds)
    office_channel_of: dict[int, str] = field(default_factory=dict)
    # Districts whose answers this person may sign: as their manager, or as a reviewer the
    # district allowed to (the membership's "may sign answers").
    signing_district_ids: frozenset[int] = frozenset()
    # The institution (bank, court, land registry, notary system) whose API account this is.
    institution_id: int | None = None

    def may_sign(self, district_id: int) -> bool:
        """Sign, correct or revoke this district's answers. Services refuse and pages offer the
        signing buttons by this one answer."""
        return district_id in self.signing_district_ids

    def may_file(self, channel: str, office_id: int | None = None) -> bool:
        """Start a draft through this channel: online as a citizen signed in with their national
        ID, at a help kiosk as its clerk, at a counter or notary office (``office_id``) as one of
        its operators. The filing service refuses, and the filing pages open, by this answer."""
        if channel == CHANNEL_WEB:
            return self.is_citizen
        if channel == CHANNEL_KIOSK:
            return self.is_kiosk_staff
        if channel == CHANNEL_INSTITUTION:
            return self.institution_id is not None
        return office_id is not None and self.office_channel_of.get(office_id) == channel

    def districts_with(self, *roles: str) -> set[int]:
        return {d for d, held in self.district_roles.items() if held.intersection(roles)}

    def reviews_in(self, district_id: int) -> bool:
        """A reviewer or manager of this district: sees and works on its inquiries."""
        return district_id in self.districts_with(*REVIEWING_ROLES)

    def manages_district(self, district_id: int) -> bool:
        """A manager of this district: takes over any of its inquiries, reads its reports."""
        return district_id in self.districts_with("manager")

    def manages_office(self, office_id: int) -> bool:
        """May manage this counter or notary office's operators: its office manager, or the ICT
        organisation (which appoints office managers)."""
        return self.is_ict_admin or office_id in self.managed_office_ids

    @property
    def is_district_staff(self) -> bool:
        return bool(self.district_roles)

    @property
    def is_reviewer_or_manager(self) -> bool:
        return bool(self.districts_with(*REVIEWING_ROLES))

    @property
    def reads_reports(self) -> bool:
        """The statistics: the ICT organisation (every district), a district manager (their own)."""
        return self.is_ict_admin or bool(self.districts_with("manager"))

    @property
    def is_kiosk_staff(self) -> bool:
        return bool(self.districts_with("kiosk"))

    @property
    def is_office_operator(self) -> bool:
        return bool(self.office_ids)

    @property
    def is_citizen(self) -> bool:
        """Signed in by national ID and not acting for an organisation."""
        return (
            self.is_authenticated
            and self.has_national_id
            and not self.is_district_staff
            and not self.office_ids
        )


def roles_of(user) -> Roles:
    """Computed once per request and kept on the user object. Only active memberships count (of
    active offices), and a switched-off account has no roles at all: access never outlives a role.

    A request's roles are those its person had when the request read them: the memberships are
    taken from what this process read at the person's access stamp, which the database renews with
    every change to them, and read afresh at any other stamp (``accounts.access_stamp``)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Roles()
    if not user.is_active:
        return Roles()
    cached = getattr(user, "_shahrvand_roles", None)
    if cached is not None:
        return cached
    district_roles: dict[int, set[str]] = {}
    signing: set[int] = set()
    offices: list[tuple[int, str, str]] = []
    institution_id = None
    ict_admin = user.is_superuser
    for source, key, role, detail in _memberships_at_stamp(user):
        if source == "district":
            district_roles.setdefault(key, set()).add(role)
            # Managers always sign; a reviewer only where the district allowed it.
            if role == "manager" or (role == "reviewer" and detail == "signs"):
                signing.add(key)
        elif source == "office":
            offices.append((key, detail, role))
        elif source == "group":
            ict_admin = True
        elif source == "institution":
            institution_id = key
    roles = Roles(
        district_roles={d: frozenset(r) for d, r in district_roles.items()},
        is_ict_admin=ict_admin,
        is_authenticated=True,
        has_national_id=bool(user.national_id),
        office_ids=frozenset(office for office, _kind, _role in offices),
        office_channels=frozenset(CHANNEL_OF_KIND[kind] for _office, kind, _role in offices),
        managed_office_ids=frozenset(o for o, _kind, role in offices if role == "manager"),
        office_channel_of={office: CHANNEL_OF_KIND[kind] for office, kind, _role in offices},
        signing_district_ids=frozenset(signing),
        institution_id=institution_id,
    )
    user._shahrvand_roles = roles
    return roles


# Memberships read, by the access stamp the same query saw: a stamp names one state of them.
_AT_STAMP = access_stamp.KeptAtStamp()


def _memberships_at_stamp(user):
    """The memberships ``_memberships`` reads, taken from those read at the person's stamp when
    they were just read for this request (``access_stamp.fresh``); read afresh otherwise, and kept
    under the stamp their own query saw."""
    alias = router.db_for_read(user.__class__)
    kept = _AT_STAMP.get(alias, user, "memberships")
    if kept is not None:
        return kept
    rows = tuple(_memberships(user))
    stamp = next((key for source, key, _role, _detail in rows if source == "stamp"), None)
    if stamp is not None:  # None: the account is gone
        _AT_STAMP.put(alias, user.pk, stamp, "memberships", rows)
    return rows


def _memberships(user):
    """Every active membership of the user, in one query: (source, id, role, detail) rows —
    ("district", district id, role, "signs" or ""), ("office", office id, role, office kind) for
    active offices, ("group", 0, "", "") when the user is in the ICT organisation's group, and
    ("institution", institution id, "", kind) when it is an active institution's API account;
    and ("stamp", the person's access stamp, "", ""), read by the same statement, so at the same
    moment as the rest.

    Every page asks this, so its SQL is built once per process and database
    (``shahrvand.compiled``) and run with the user's id."""
    stand_in = STAND_INS[int]
    alias, sql, params = compiled(
        "accounts.roles.memberships",
        user.__class__,
        lambda user_id: _memberships_query(user, user_id),
        stand_in,
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, with_value(params, stand_in, user.pk))
        return cursor.fetchall()


def _memberships_query(user, user_id: int):
    """The union for ``user_id``; the membership models are reached through the user's own
    relations (the apps that hold them sit above this one)."""
    DistrictMembership = user.district_memberships.model
    OfficeMembership = user.office_memberships.model
    Group = user.groups.model
    text = CharField()
    districts = (
        DistrictMembership.objects.filter(user_id=user_id, is_active=True)
        .annotate(
            source=Value("district", output_field=text),
            detail=Case(
                When(can_sign=True, then=Value("signs")), default=Value(""), output_field=text
            ),
        )
        .values_list("source", "district_id", "role", "detail")
    )
    offices = (
        OfficeMembership.objects.filter(user_id=user_id, is_active=True, office__is_active=True)
        .annotate(source=Value("office", output_field=text), detail=F("office__kind"))
        .values_list("source", "office_id", "role", "detail")
    )
    group = (
        Group.objects.filter(user__id=user_id, name=ICT_ADMIN_GROUP)
        .annotate(
            source=Value("group", output_field=text),
            key=Value(0, output_field=IntegerField()),
            role=Value("", output_field=text),
            detail=Value("", output_field=text),
        )
        .values_list("source", "key", "role", "detail")
    )
    # The account of an institution (``api.Institution.account``), read through the user's reverse
    # relation, so this module imports no app above it.
    institution = (
        user._meta.model._default_manager.filter(pk=user_id, institution__is_active=True)
        .annotate(
            source=Value("institution", output_field=text),
            key=F("institution__id"),
            role=Value("", output_field=text),
            detail=F("institution__kind"),
        )
        .values_list("source", "key", "role", "detail")
    )
    stamp = (
        user._meta.model._default_manager.filter(pk=user_id)
        .annotate(
            source=Value("stamp", output_field=text),
            key=F("access_stamp"),
            role=Value("", output_field=text),
            detail=Value("", output_field=text),
        )
        .values_list("source", "key", "role", "detail")
    )
    return districts.union(offices, group, institution, stamp, all=True)


def roles_forget(user) -> None:
    """Drop the roles kept on this user object, after a service changed one of their memberships,
    so the next question in the same request is answered from the database."""
    user.__dict__.pop("_shahrvand_roles", None)
    access_stamp.forget(user)


def ict_admin_group_sync(app_config, using="default", **kwargs) -> None:
    """After each app migrates: the ICT admin group exists and may manage the portal's own models.
    Runs per app because an app's permissions exist only once its own post_migrate has run."""
    if app_config.label not in ICT_ADMIN_APPS:
        return
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.using(using).get_or_create(name=ICT_ADMIN_GROUP)
    group.permissions.add(
        *Permission.objects.using(using).filter(content_type__app_label=app_config.label)
    )
