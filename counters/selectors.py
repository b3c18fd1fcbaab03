"""Reads of the offices app: an office's queue, the registry, open findings, scorecards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404

from accounts.roles import roles_of
from inquiries import summaries
from inquiries.models import Inquiry, OfficeAnswerDays, OfficeCount, OfficeMonth, OfficeReason
from shahrvand import kept_lists, versions

from .models import CounterOffice, FindingState, OfficeMembership, VisitFinding


def offices_of(user) -> QuerySet[CounterOffice]:
    return CounterOffice.objects.filter(pk__in=roles_of(user).office_ids).select_related("district")


def _operator_of(user, office_id: int) -> None:
    """404 unless ``user`` is one of the office's operators or its manager."""
    if office_id not in roles_of(user).office_ids:
        raise Http404


def office_get_for_operator(user, office_id: int) -> CounterOffice:
    _operator_of(user, office_id)
    return CounterOffice.objects.select_related("district").get(pk=office_id)


def office_shown_to_operator(user, office_id: int) -> CounterOffice:
    """The office with its district, for its queue to show (its name, kind, number, district) to
    one of its operators or its manager (checked on every request). Kept in the shared cache while
    no office record and no district changes (``_kept``), so a queue read again does not read the
    office. For showing only: a view that changes the office reads it with
    ``office_get_for_operator``."""
    _operator_of(user, office_id)
    return _kept(
        ("office", office_id),
        kept_lists.OFFICE_PAGES,
        lambda: CounterOffice.objects.select_related("district").get(pk=office_id),
    )


def _kept(what: tuple, lists: list[str], build):
    """``build()`` kept in the shared cache under the versions of ``lists`` (bumped after every
    commit that changes what it reads); built afresh without a shared cache."""
    key = kept_lists.key_of("office-record", *what)
    return kept_lists.kept(key=key, lists=lists, build=build, seconds=settings.KEPT_LIST_SECONDS)


def office_inquiries(office: CounterOffice, *, operator_id=None, status="", q="") -> QuerySet:
    """The office's own inquiries, any operator's, newest first."""
    queryset = Inquiry.objects.filter(office=office)
    if operator_id:
        queryset = queryset.filter(filed_by_id=operator_id)
    if status:
        queryset = queryset.filter(status=status)
    if q:
        from inquiries.selectors import _search

        queryset = _search(queryset, q)
    return queryset.select_related("filed_by", "district", "property").order_by(
        "-submitted_at", "-pk"
    )


def office_counts(office: CounterOffice) -> dict[str, int]:
    """The office's inquiries per status, from the counts kept on every write; kept in the shared
    cache until one of the office's inquiries is saved or the summaries are rewritten."""

    def read() -> dict[str, int]:
        rows = (
            OfficeCount.objects.filter(office=office)
            .order_by()
            .values_list("status")
            .annotate(n=Sum("n"))
        )
        return {status: n for status, n in rows if n}

    return _kept(("counts", office.pk), [versions.office_lists(office.pk), versions.LISTS], read)


def office_memberships(office: CounterOffice) -> QuerySet[OfficeMembership]:
    return office.memberships.select_related("user").order_by("-is_active", "user__username")


def office_operators(office: CounterOffice) -> list[tuple[int, str]]:
    """(user id, name) of each of the office's operators and managers, as ``office_memberships``
    orders them; kept in the shared cache while no office record changes (an operator added,
    deactivated or taken off bumps the offices' version)."""
    return _kept(
        ("operators", office.pk),
        kept_lists.OFFICE_PAGES,
        lambda: [(m.user_id, m.user.display_name) for m in office_memberships(office)],
    )


def offices_registry(*, q: str = "", kind: str = "", district: int | None = None, active=None):
    queryset = CounterOffice.objects.select_related("district")
    if q:
        from shahrvand.text import search_number, search_text, to_persian_digits

        text = search_text(q)
        if text is None:
            return CounterOffice.objects.none()  # longer than anything searched for
        match = Q(licence__icontains=text)
        # Names and addresses keep the digits they were typed with: search both forms.
        for form in {text, to_persian_digits(text)}:
            match |= Q(name__icontains=form) | Q(address__icontains=form)
        number = search_number(text, max_digits=9)  # an office number; never int() of any digits
        if number is not None:
            match |= Q(number=number)
        queryset = queryset.filter(match)
    if kind:
        queryset = queryset.filter(kind=kind)
    if district:
        queryset = queryset.filter(district_id=district)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset.annotate(
        last_training=Max("trainings__session__date"),
        last_visit=Max("visits__date"),
        open_findings=Count(
            "visits__findings",
            filter=~Q(visits__findings__state=FindingState.RESOLVED),
            distinct=True,
        ),
    ).order_by("kind", "number")


def findings_open(*, office: CounterOffice | None = None, district: int | None = None):
    queryset = VisitFinding.objects.exclude(state=FindingState.RESOLVED).select_related(
        "visit__office__district", "category"
    )
    if office is not None:
        queryset = queryset.filter(visit__office=office)
    if district:
        queryset = queryset.filter(visit__office__district_id=district)
    # By district, then office (kind and number: a counter and a notary office may share a number).
    return queryset.order_by(
        "visit__office__district__number", "visit__office__kind", "visit__office__number", "pk"
    )


def training_sessions() -> QuerySet:
    """Training sessions, newest first, with their offices and the people who came in total."""
    from django.db.models import Prefetch, Sum

    from .models import TrainingAttendance, TrainingSession

    attendances = TrainingAttendance.objects.select_related("office").order_by(
        "office__kind", "office__number"
    )
    # Meta.ordering does not apply to an aggregating query, so the order is spelled out.
    return (
        TrainingSession.objects.annotate(people=Sum("attendances__people"))
        .prefetch_related(Prefetch("attendances", queryset=attendances))
        .order_by("-date", "-pk")
    )


@dataclass
class Scorecard:
    office: CounterOffice
    filed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_month: list[tuple[str, int]] = field(default_factory=list)  # ("1405/08", n), oldest first
    sent_back: int = 0
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    median_days_to_answer: float | None = None
    open_findings: int = 0
    last_training: dt.date | None = None
    last_visit: dt.date | None = None

    @property
    def sent_back_share(self) -> float | None:
        """Share (0..1) of the office's inquiries sent back at least once for more information."""
        return self.sent_back / self.filed if self.filed else None


def offices_kept(*, kind: str = "", district=None) -> list[CounterOffice]:
    """``offices_registry`` for a kind and a district (the scorecards' filters), kept in the shared
    cache while no office, its training, visits, findings or operators, nor a district, changes
    (the versions of the office pages): the scorecards are drawn afresh after every counted
    inquiry, and read their offices from here."""
    district_id = getattr(district, "pk", district)
    return _kept(
        ("registry", kind, district_id),
        kept_lists.OFFICE_PAGES,
        lambda: list(offices_registry(kind=kind, district=district_id)),
    )


def scorecards(offices=None, *, details: bool = True, every_office=None) -> list[Scorecard]:
    """Every office's figures from the summaries kept on every write (``inquiries.summaries``): a
    handful of small queries, whatever the number of inquiries. Without ``details``, only what the
    offices are sorted by (filed, sent back, median days, findings, training, visit); a page then
    asks ``scorecard_details`` for the months and reasons of the offices it draws.

    ``every_office``: whether ``offices`` are all of them; by default, whether they are a query
    narrowed by no filter."""
    offices = offices if offices is not None else offices_registry()
    # Every office (a list not narrowed by any filter): the summaries are read whole, cheaper than
    # naming 159 offices; a row of an office not in the list (one added meanwhile) is left out.
    if every_office is None:
        every_office = isinstance(offices, QuerySet) and not offices.query.where
    offices = list(offices)
    cards = {office.pk: Scorecard(office=office) for office in offices}
    ids = list(cards)

    def of_these(model):
        rows = model.objects.order_by()
        return rows if every_office else rows.filter(office_id__in=ids)

    for office_id, kind, n in (
        of_these(OfficeCount).values_list("office_id", "kind").annotate(n=Sum("n"))
    ):
        if n and office_id in cards:
            cards[office_id].by_kind[kind] = n
            cards[office_id].filed += n
    for office_id, sent_back in (
        of_these(OfficeMonth)
        .filter(sent_back__gt=0)
        .values_list("office_id")
        .annotate(n=Sum("sent_back"))
    ):
        if office_id in cards:
            cards[office_id].sent_back = sent_back
    days: dict[int, list[tuple[int, int]]] = {}
    for office_id, working_days, n in of_these(OfficeAnswerDays).values_list(
        "office_id", "working_days", "n"
    ):
        if office_id in cards:
            days.setdefault(office_id, []).append((working_days, n))
    for office_id, histogram in days.items():
        cards[office_id].median_days_to_answer = summaries.percentile(histogram, 0.5)
    for office in offices:
        card = cards[office.pk]
        card.open_findings = getattr(office, "open_findings", 0)
        card.last_training = getattr(office, "last_training", None)
        card.last_visit = getattr(office, "last_visit", None)
    drawn = [cards[office.pk] for office in offices]
    if details:
        scorecard_details(drawn)
    return drawn


def scorecard_details(cards: list[Scorecard], *, since_month: int | None = None) -> None:
    """Fill in the months (from ``since_month``, YYYYMM, when given) and the three commonest
    reasons for sending back, for these offices only."""
    by_id = {card.office.pk: card for card in cards}
    months = OfficeMonth.objects.filter(office_id__in=list(by_id), filed__gt=0)
    if since_month is not None:
        months = months.filter(month__gte=since_month)
    for office_id, month, filed in months.order_by("office_id", "month").values_list(
        "office_id", "month", "filed"
    ):
        by_id[office_id].by_month.append((f"{month // 100:04d}/{month % 100:02d}", filed))
    reasons = (
        OfficeReason.objects.filter(office_id__in=list(by_id), n__gt=0)
        .values_list("office_id", "reason__title", "n")
        .order_by("office_id", "-n", "reason__order", "reason_id")
    )
    for office_id, title, n in reasons:
        if len(by_id[office_id].top_reasons) < 3:
            by_id[office_id].top_reasons.append((title, n))
