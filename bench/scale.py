"""City scale: do the lists and the reports cost the same with 100,000 and with 1,000,000 inquiries?

    .venv/bin/python bench/scale.py [--sizes 100000,1000000] [--requests 40] [--reference-requests 10]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). Builds its own database
(shahrvand_bench, dropped and recreated; see bench/_seed.py) at the first size; with two sizes it
copies it aside at that size (shahrvand_bench_small, its keys in the shared cache its own), grows
the bench database to the second size, and measures both in the same rounds, so that the growth
from one size to the other is not the host's drift between two measurements
(``--one-after-another``: measure, grow, measure again, as runs 3 to 24 did; ``--reuse``: measure
the two databases an earlier run left, without building them again). DEBUG is off; pages
are requested in-process through Django's test client, signed in as the person each page is for (a
district reviewer, an office operator, a citizen, a kiosk clerk, the ICT organisation, a superuser
for the admin), as in production: staff with a second factor passed (STAFF_SECOND_FACTOR on), the
citizen by SMS code.

Requests go round-robin over the pages (after two warm-up rounds), never one page many times in a
row; with two sizes, each page at one size and then at the other (the other way round every other
round) before the next page. For every request the time of its SQL is summed with
``connection.execute_wrapper``.
A searched list is POSTed once (the term goes into the session) and the list it redirects to is
what is timed; the kiosk look-up is timed as its POST.

Each page has a reference measured in the same rounds on the same data:
- the lists: the Django admin's Inquiry changelist doing the same listing (its list_filter and
  search parameters; where the admin has no such filter the row says so, and the nearest admin URL
  is used);
- the reports: the naive recount, the grouped query over the inquiries table that the reports used
  to run (written here as plain ORM aggregation), for the same period. The figures the report
  shows (its CSV, or its workbook) are also compared with that recount, and the row says "exact"
  or lists what differs.

Prints, per size, a table: page | p50 ms | p95 ms | SQL ms (median) | queries | reference p95 |
ratio | target met?; then the lists once more with the copies kept in the shared cache turned off
(``KEPT_LIST_SECONDS=0``: what the first reader after a change pays, ``shahrvand/kept_lists.py``);
then 100k against 1M per page; then the plans of the slowest queries of pages over their SQL
target. Targets: lists at SQL <= 5 ms per request and p95 >= 10x faster than the
admin; reports p95 <= 10 ms, exact and >= 50x faster than the recount; every page's p95 at the
largest size within 1.5x of its p95 at the smallest.

On a shared machine, compare the figures of one run with each other, not with another run's.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _seed import (
    DB,
    PG,
    Cast,
    cast_read,
    database_fresh,
    django_setup,
    inquiries_grow,
    people_seed,
    session_as_in_production,
)
from _setup import percentile

OPEN = "submitted,in_review,needs_info,resubmitted"
QUEUE_SQL_MS, QUEUE_RATIO = 5.0, 10.0
REPORT_P95_MS, REPORT_RATIO = 10.0, 50.0
GROWTH_LIMIT = 1.5
SMALL_DB = f"{DB}_small"  # the smaller size, kept beside the bench database to be measured with it


@dataclass
class Sample:
    ms: float
    sql_ms: float
    queries: int


@dataclass
class Page:
    name: str
    group: str  # "list" or "report"
    who: str
    url: str
    post: dict | None = None  # the kiosk look-up is a POST that renders
    reference: str | Callable[[], object] | None = None  # admin URL, or the naive recount
    note: str = ""
    exact: str = ""  # for reports: "exact" or what differs
    error: str = ""  # the page (or its reference) did not answer 200: left out from then on
    samples: list[Sample] = field(default_factory=list)
    # Lists only: rendered without the kept copy (KEPT_LIST_SECONDS=0), after the timed rounds.
    fresh_samples: list[Sample] = field(default_factory=list)
    reference_samples: list[Sample] = field(default_factory=list)
    slowest: tuple[float, str, tuple] = (0.0, "", ())


class SqlTimer:
    """``connection.execute_wrapper``: the time and number of this request's queries."""

    def __init__(self):
        self.ms = 0.0
        self.count = 0
        self.slowest: tuple[float, str, tuple] = (0.0, "", ())

    def reset(self) -> None:
        self.ms, self.count, self.slowest = 0.0, 0, (0.0, "", ())

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = (time.perf_counter() - began) * 1000
            self.ms += took
            self.count += 1
            if took > self.slowest[0]:
                self.slowest = (took, sql, tuple(params or ()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument(
        "--inquiries", type=int, help="one size only (the same as --sizes N)", default=None
    )
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--reference-requests",
        type=int,
        default=10,
        help="timed requests of each reference (the admin and the recount are slow by design)",
    )
    parser.add_argument(
        "--one-after-another",
        action="store_true",
        help="with two sizes: measure the first, grow, measure the second (as runs 3 to 24 did), "
        "rather than both in the same rounds",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the databases an earlier run left at these sizes, without building them",
    )
    parser.add_argument("--no-plans", action="store_true", help="skip EXPLAIN of slow queries")
    parser.add_argument("--label", default="", help="printed first: the code measured, the host")
    args = parser.parse_args()
    print(f"{args.label or code_version()}; {os.cpu_count()} cores", flush=True)
    sizes = (
        [args.inquiries]
        if args.inquiries
        else [int(s.replace("_", "")) for s in args.sizes.split(",")]
    )
    if any(s % 5 for s in sizes) or sizes != sorted(sizes):
        parser.error("sizes: ascending multiples of 5")

    began = time.perf_counter()
    results: dict[int, list[Page]] = {}
    if args.reuse:
        if len(sizes) == 2 and args.one_after_another:
            parser.error("--reuse measures both sizes in the same rounds")
        cast, sites = sites_reused(sizes)
        measure(cast, sites, args)
        for site in sites:
            results[site.size] = site.pages
            table_print(site.size, site.pages)
        results_print(results, sizes, args, began)
        return
    database_fresh()
    cast = people_seed()
    print(f"people: {cast.timings['people']:.0f} s", flush=True)

    def timings(size: int) -> None:
        for name, seconds in cast.timings.items():
            if str(size) in name:
                print(f"{name}: {seconds:.0f} s", flush=True)

    if len(sizes) == 2 and not args.one_after_another:
        inquiries_grow(cast, sizes[0])
        timings(sizes[0])
        sites = sites_side_by_side(cast, *sizes)
        timings(sizes[1])
        measure(cast, sites, args)
        for site in sites:
            results[site.size] = site.pages
            table_print(site.size, site.pages)
    else:
        for size in sizes:
            inquiries_grow(cast, size)
            timings(size)
            site = site_current(size)
            measure(cast, [site], args)
            results[size] = site.pages
            table_print(size, site.pages)
    results_print(results, sizes, args, began)


def results_print(results: dict[int, list[Page]], sizes: list[int], args, began: float) -> None:
    if len(sizes) > 1:
        growth_print(results[sizes[0]], results[sizes[-1]], sizes[0], sizes[-1])
    if not args.no_plans:
        plans_print(results[sizes[-1]])
    print(f"\nwhole run: {(time.perf_counter() - began) / 60:.1f} min")


# --- the pages --------------------------------------------------------------------------------


def code_version() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "code: not a git checkout"
    return f"code: {rev}" + (" with uncommitted changes" if dirty else "")


def load_average() -> str:
    return "load average " + " ".join(f"{n:.1f}" for n in os.getloadavg())


def clients(cast: Cast) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    names = {
        "reviewer": cast.reviewer,
        "operator": cast.busy_operator,
        "kiosk": cast.kiosk,
        "ict": cast.ict,
        "admin": cast.superuser,
        "manager": cast.manager,
    }
    signed_in = {}
    for who, username in names.items():
        client = Client(raise_request_exception=False)
        user = User.objects.get(username=username)
        client.force_login(user)
        session_as_in_production(client, user)
        signed_in[who] = client
    citizen = Client(raise_request_exception=False)
    citizen.force_login(User.objects.get(pk=cast.heavy_citizen_id))
    session_as_in_production(citizen, None, by_code=True)
    signed_in["citizen"] = citizen
    return signed_in


def searched(client, url: str, data: dict) -> str:
    """Post a list's search form; the list it redirects to (with its ``?s=`` token)."""
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code)
    return response["Location"]


def last_page_offered(client, url: str) -> int:
    """The pager says "Page 1 of N" (in the reader's digits): N is the last page it offers."""
    html = client.get(url).content.decode().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    pager = re.search(r'page-item disabled"><span class="page-link">([^<]*)<', html)
    numbers = [int(n) for n in re.findall(r"[0-9]+", pager.group(1))] if pager else []
    return max(numbers or [1])


def pages_build(cast: Cast, signed_in: dict) -> list[Page]:
    from django.utils import timezone

    from inquiries.models import Inquiry
    from reports import forms as report_forms
    from shahrvand import jalali

    reviewer_id = signed_in["reviewer"].session["_auth_user_id"]
    d1 = cast.district_ids[1]
    today = timezone.localdate()
    admin = "/admin/inquiries/inquiry/"
    in_d1 = f"{admin}?district__id__exact={d1}"
    # Rows to search for: an inquiry of district 1, one of the busy office, the heavy citizen.
    sample = (
        Inquiry.objects.filter(district_id=d1, applicant_relation="owner")
        .select_related("property")
        .order_by("pk")[500]
    )
    office_sample = Inquiry.objects.filter(office_id=cast.busy_office).order_by("pk").first()
    from django.contrib.auth import get_user_model

    citizen_nid = get_user_model().objects.get(pk=cast.heavy_citizen_id).national_id
    code = sample.tracking_code_display()
    plate = f"{sample.property.plate_main}/{sample.property.plate_sub}"
    staff_search = lambda **data: searched(signed_in["reviewer"], "/staff/", data)  # noqa: E731
    last = last_page_offered(signed_in["reviewer"], "/staff/?status=all")
    office_url = f"/office/{cast.busy_office}/"

    hand_made = "admin: no such list_filter; a hand-made lookup in its URL"
    pages = [
        Page(
            "staff queue (open, default)",
            "list",
            "reviewer",
            "/staff/",
            None,
            f"{in_d1}&status__in={OPEN}",
        ),
        Page(
            "staff: open + kind",
            "list",
            "reviewer",
            "/staff/?kind=bank",
            None,
            f"{in_d1}&status__in={OPEN}&kind__exact=bank",
        ),
        Page(
            "staff: status in_review",
            "list",
            "reviewer",
            "/staff/?status=in_review",
            None,
            f"{in_d1}&status__exact=in_review",
        ),
        Page("staff: status all", "list", "reviewer", "/staff/?status=all", None, in_d1),
        Page(
            "staff: channel kiosk",
            "list",
            "reviewer",
            "/staff/?channel=kiosk",
            None,
            f"{in_d1}&status__in={OPEN}&channel__exact=kiosk",
        ),
        Page(
            "staff: overdue",
            "list",
            "reviewer",
            "/staff/?overdue=on",
            None,
            f"{in_d1}&status__in=submitted,in_review,resubmitted&due_date__lt={today}",
            note=hand_made,
        ),
        Page(
            "staff: assigned to me",
            "list",
            "reviewer",
            "/staff/?assigned=me",
            None,
            f"{in_d1}&status__in={OPEN}&assigned_to__id__exact={reviewer_id}",
            note=hand_made,
        ),
        Page(
            "staff: search national ID",
            "list",
            "reviewer",
            staff_search(q=sample.applicant_national_id, status="all"),
            None,
            f"{admin}?q={sample.applicant_national_id}",
            note="admin does not search national IDs: same text, its own search fields",
        ),
        Page(
            "staff: search tracking code",
            "list",
            "reviewer",
            staff_search(q=code.lower()),
            None,
            f"{admin}?q={sample.tracking_code}",
        ),
        Page(
            "staff: search plate",
            "list",
            "reviewer",
            staff_search(q=plate, status="all"),
            None,
            f"{admin}?q={plate}",
            note="admin does not search plates: same text, its own search fields",
        ),
        Page(
            "staff: all, page 40",
            "list",
            "reviewer",
            "/staff/?status=all&page=40",
            None,
            f"{in_d1}&p=40",
        ),
        Page(
            f"staff: all, last page offered ({last})",
            "list",
            "reviewer",
            f"/staff/?status=all&page={last}",
            None,
            f"{in_d1}&p={last}",
        ),
        Page(
            "office queue",
            "list",
            "operator",
            office_url,
            None,
            f"{admin}?office__id__exact={cast.busy_office}",
            note=hand_made,
        ),
        Page(
            "office queue: search",
            "list",
            "operator",
            searched(
                signed_in["operator"], office_url, {"q": office_sample.tracking_code_display()}
            ),
            None,
            f"{admin}?office__id__exact={cast.busy_office}&q={office_sample.tracking_code}",
            note=hand_made,
        ),
        Page(
            "my inquiries (citizen)",
            "list",
            "citizen",
            "/inquiries/",
            None,
            f"{admin}?applicant_national_id__exact={citizen_nid}",
            note=hand_made,
        ),
        Page(
            "kiosk look-up (POST)",
            "list",
            "kiosk",
            "/kiosk/lookup/",
            {"tracking_code": code},
            f"{admin}?q={sample.tracking_code}",
        ),
        Page(
            "office registry (ICT)",
            "list",
            "ict",
            "/offices/",
            None,
            "/admin/counters/counteroffice/",
            note="reference: the admin's office changelist",
        ),
        Page(
            "office page + scorecard",
            "list",
            "ict",
            f"/offices/{cast.busy_office}/",
            None,
            f"{admin}?office__id__exact={cast.busy_office}",
            note="reference: the admin listing the office's inquiries (" + hand_made + ")",
        ),
        Page(
            "scorecards (all offices)",
            "list",
            "ict",
            "/offices/scorecards/",
            None,
            f"{admin}?office__isnull=False",
            note=hand_made,
        ),
    ]

    # Reports: the ICT organisation's (all districts) and a district manager's (one district).
    this_month = jalali.jalali_months_up_to(today, 2)
    month = this_month[0]  # last month, complete
    year = jalali.to_jalali(today).year - 1
    import jdatetime

    year_from = jdatetime.date(year, 1, 1).togregorian()
    year_to = jdatetime.date(year + 1, 1, 1).togregorian() - dt.timedelta(days=1)
    month_to = month.next_first_day - dt.timedelta(days=1)

    def jq(day_from: dt.date | None, day_to: dt.date | None) -> str:
        parts = []
        for key, day in (("date_from", day_from), ("date_to", day_to)):
            if day:
                j = jalali.to_jalali(day)
                parts.append(f"{key}={j.year}/{j.month:02d}/{j.day:02d}")
        return "&".join(parts)

    periods = {
        "all time": (None, None),
        f"year {year}": (year_from, year_to),
        f"month {month.key}": (month.first_day, month_to),
    }
    for label, (day_from, day_to) in periods.items():
        query = jq(day_from, day_to)
        pages.append(
            Page(
                f"reports, {label}",
                "report",
                "ict",
                f"/reports/?{query}".rstrip("?"),
                None,
                naive(None, day_from, day_to, monthly=True),
            )
        )
    pages.append(
        Page(
            "reports, district manager (1 district)",
            "report",
            "manager",
            "/reports/",
            None,
            naive([d1], None, None, monthly=True),
        )
    )
    # The dashboard's own filters (ReportForm), where it has them: a district by its number.
    form_class = getattr(report_forms, "ReportForm", report_forms.PeriodForm)
    extra = [name for name in ("district", "kind", "channel") if name in form_class.base_fields]
    for name in extra:
        shown, recounted = {"district": (1, d1), "kind": ("bank",) * 2, "channel": ("kiosk",) * 2}[
            name
        ]
        for url in (f"/reports/?{name}={shown}", f"/reports/districts.csv?{name}={shown}"):
            pages.append(
                Page(
                    f"reports{' CSV' if 'csv' in url else ''}, {name} filter",
                    "report",
                    "ict",
                    url,
                    None,
                    naive(None, None, None, monthly="csv" not in url, **{name: recounted}),
                )
            )
    if not extra:
        print(
            "NOTE: /reports/ has no district, kind or channel filter (a period only); every "
            "report shows the figures per district, per kind and per channel as columns.",
            flush=True,
        )
    for label, (day_from, day_to) in (
        ("all time", (None, None)),
        (f"month {month.key}", (month.first_day, month_to)),
    ):
        query = jq(day_from, day_to)
        # The workbook holds the months of the period too (its second sheet), as the dashboard.
        for name, path, monthly in (("CSV", "csv", False), ("Excel", "xlsx", True)):
            pages.append(
                Page(
                    f"reports {name}, {label}",
                    "report",
                    "ict",
                    f"/reports/districts.{path}?{query}".rstrip("?"),
                    None,
                    naive(None, day_from, day_to, monthly=monthly),
                )
            )
    return pages


# --- the naive recount: what the reports used to run -------------------------------------------


def naive(district_ids, date_from, date_to, *, monthly: bool, kind="", channel="", district=None):
    """Per district, the grouped count over the inquiries of the period (and, for the dashboard,
    the grouped count per month of the last twelve), as the reports computed it before the
    summaries. Returns a callable giving {district number: [CSV cells...]} for the comparison."""

    def run() -> dict:
        from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
        from django.utils import timezone

        from districts.models import District
        from inquiries import workflow
        from inquiries.kinds import InquiryKind
        from inquiries.models import Inquiry
        from inquiries.workflow import Channel, InquiryStatus
        from shahrvand import jalali

        def start(day):
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

        today = timezone.localdate()
        districts = District.objects.order_by("number")
        if district_ids:
            districts = districts.filter(pk__in=district_ids)
        if district:
            districts = districts.filter(pk=district)
        inquiries = Inquiry.objects.filter(district__in=districts)
        if kind:
            inquiries = inquiries.filter(kind=kind)
        if channel:
            inquiries = inquiries.filter(channel=channel)
        if date_from:
            inquiries = inquiries.filter(submitted_at__gte=start(date_from))
        if date_to:
            inquiries = inquiries.filter(submitted_at__lt=start(date_to + dt.timedelta(days=1)))
        counts = {f"kind_{v}": Count("pk", filter=Q(kind=v)) for v in InquiryKind.values}
        counts |= {f"channel_{v}": Count("pk", filter=Q(channel=v)) for v in Channel.values}
        rows = {
            row["district_id"]: row
            for row in inquiries.order_by()
            .values("district_id")
            .annotate(
                total=Count("pk"),
                answered=Count("pk", filter=Q(answered_at__isnull=False)),
                open=Count("pk", filter=Q(status__in=workflow.OPEN)),
                overdue=Count("pk", filter=workflow.overdue_q(today)),
                withdrawn=Count("pk", filter=Q(status=InquiryStatus.WITHDRAWN)),
                time=Avg(
                    ExpressionWrapper(
                        F("answered_at") - F("submitted_at"), output_field=DurationField()
                    )
                ),
                **counts,
            )
        }
        if monthly:
            months = jalali.jalali_months_up_to(today, 12)
            per_month = {
                f"m{i}": Count(
                    "pk",
                    filter=Q(
                        submitted_at__gte=start(m.first_day),
                        submitted_at__lt=start(m.next_first_day),
                    ),
                )
                for i, m in enumerate(months)
            }
            recent = Inquiry.objects.filter(
                district__in=districts,
                submitted_at__gte=start(months[0].first_day),
                submitted_at__lt=start(months[-1].next_first_day),
            )
            if kind:
                recent = recent.filter(kind=kind)
            if channel:
                recent = recent.filter(channel=channel)
            list(recent.order_by().values("district_id").annotate(**per_month))
        cells = {}
        for d in districts:
            row = rows.get(d.pk)
            if row is None:  # total, kinds, channels, answered, open, overdue, withdrawn; time
                zeros = 1 + len(InquiryKind.values) + len(Channel.values) + 4
                cells[str(d.number)] = [0] * zeros + [""]
                continue
            average = row["time"].total_seconds() / 86400 if row["time"] is not None else None
            cells[str(d.number)] = [
                row["total"],
                *(row[f"kind_{v}"] for v in InquiryKind.values),
                *(row[f"channel_{v}"] for v in Channel.values),
                row["answered"],
                row["open"],
                row["overdue"],
                row["withdrawn"],
                "" if average is None else f"{average:.1f}",
            ]
        return cells

    return run


def csv_cells(content: bytes) -> dict:
    """The report's CSV as {district number: [cells after the name]} (the total row left out)."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    next(reader)
    cells = {}
    for row in reader:
        if row[0]:
            cells[row[0]] = [int(c) if re.fullmatch(r"[0-9]+", c) else c for c in row[2:]]
    return cells


def xlsx_cells(content: bytes) -> dict:
    """The workbook's first sheet as ``csv_cells`` gives the CSV: per district number, the counts
    (total, kinds, channels, answered, open, overdue, withdrawn) and the average days (one decimal)."""
    import openpyxl

    from inquiries.kinds import InquiryKind
    from inquiries.workflow import Channel

    counts = 1 + len(InquiryKind.values) + len(Channel.values) + 4
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    cells = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] is None:  # the total row
            continue
        # After the counts: the share in time, the median and 90th percentile, then the average.
        average = row[2 + counts + 3]
        cells[str(row[0])] = [*row[2 : 2 + counts], "" if average is None else f"{average:.1f}"]
    return cells


def exactness(page: Page, signed_in: dict) -> str:
    """The report's figures (through its CSV, or its workbook, for the same period) against the
    naive recount."""
    url = page.url.replace("/reports/?", "/reports/districts.csv?")
    if url == "/reports/":
        url = "/reports/districts.csv"
    response = signed_in[page.who].get(url)
    if response.status_code != 200:
        return f"{url} answered {response.status_code}"
    shown = (xlsx_cells if ".xlsx" in url else csv_cells)(response.content)
    recounted = page.reference()
    differences = [
        f"district {number}: shown {shown.get(number)} recount {cells}"
        for number, cells in recounted.items()
        if shown.get(number) != cells
    ]
    return "exact" if not differences else "DIFFERS: " + "; ".join(differences)


# --- measuring ------------------------------------------------------------------------------------


@dataclass
class Site:
    """One database (and its own keys in the shared cache) measured in the rounds."""

    size: int
    connection: object
    cache: object
    signed_in: dict = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)


def site_use(site: Site) -> None:
    """Make ``site``'s database and cache the ones every request and reference uses."""
    from django.core.cache import caches
    from django.db import connections

    connections["default"] = site.connection
    caches["default"] = site.cache


def site_current(size: int) -> Site:
    from django.core.cache import caches
    from django.db import connections

    return Site(size, connections["default"], caches["default"])


def sites_side_by_side(cast: Cast, small: int, large: int) -> list[Site]:
    """The database at ``small`` copied aside (``SMALL_DB``, with keys of its own in the shared
    cache), then the bench database grown to ``large``: both are then measured in the same rounds,
    so that a host that slows down or speeds up meanwhile moves both alike."""
    from django.db import connection

    connection.close()  # a database is copied only with no one connected to it
    began = time.perf_counter()
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", SMALL_DB], check=True)
    subprocess.run(["createdb", *PG, "-T", DB, SMALL_DB], check=True)
    print(f"copy of {small:,} as {SMALL_DB}: {time.perf_counter() - began:.0f} s", flush=True)
    small_site = site_small(small)
    large_site = site_current(large)
    inquiries_grow(cast, large)
    return [small_site, large_site]


def site_small(size: int) -> Site:
    """``SMALL_DB`` as a site, with keys of its own in the shared cache."""
    import copy

    from django.core.cache import caches
    from django.db import connections

    settings_dict = copy.deepcopy(connections.settings["default"])
    settings_dict["NAME"] = SMALL_DB
    small_connection = type(connections["default"])(settings_dict, "default")
    small_cache = caches.create_connection("default")
    # Keys of this run only: versions that start again at 1 never meet an earlier run's copies.
    small_cache.key_prefix = f"bench-small-{os.getpid()}-{time.time_ns()}"
    return Site(size, small_connection, small_cache)


def sites_reused(sizes: list[int]) -> tuple[Cast, list[Site]]:
    """The databases an earlier run left (``--reuse``): the bench database at the largest size
    and, with two sizes, ``SMALL_DB`` at the smaller; each migrated (the code may have moved on)
    and its number of inquiries checked."""
    django_setup()
    from django.core.management import call_command

    from inquiries.models import Inquiry

    sites = [site_current(sizes[-1])]
    if len(sizes) == 2:
        sites.insert(0, site_small(sizes[0]))
    for site in sites:
        site_use(site)
        call_command("migrate", verbosity=0)
        found = Inquiry.objects.count()
        if found != site.size:
            name = SMALL_DB if site is not sites[-1] else DB
            raise SystemExit(f"--reuse: {name} holds {found:,} inquiries, not {site.size:,}")
    site_use(sites[-1])
    return cast_read(), sites


def request(page: Page, signed_in: dict, timer: SqlTimer) -> Sample | None:
    from django.db import connection

    client = signed_in[page.who]
    timer.reset()
    began = time.perf_counter()
    with connection.execute_wrapper(timer):
        if page.post is not None:
            response = client.post(page.url, page.post)
        else:
            response = client.get(page.url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    ms = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        page.error = f"page answered {response.status_code}: {page.url}"
        print(f"ERROR {page.name}: {page.error}", flush=True)
        return None
    if timer.slowest[0] > page.slowest[0]:
        page.slowest = timer.slowest
    return Sample(ms, timer.ms, timer.count)


def reference(page: Page, signed_in: dict, timer: SqlTimer) -> Sample | None:
    from django.db import connection

    timer.reset()
    began = time.perf_counter()
    with connection.execute_wrapper(timer):
        if isinstance(page.reference, str):
            response = signed_in["admin"].get(page.reference)
            if response.status_code != 200:
                page.error = f"reference answered {response.status_code}: {page.reference}"
                print(f"ERROR {page.name}: {page.error}", flush=True)
                return None
        else:
            page.reference()
    return Sample((time.perf_counter() - began) * 1000, timer.ms, timer.count)


def measure(cast: Cast, sites: list[Site], args) -> None:
    """Every page of every site, round after round: a page at each size in turn (the sizes in
    the other order every other round), then the next page."""
    for site in sites:
        site_use(site)
        site.signed_in = clients(cast)
        site.pages = pages_build(cast, site.signed_in)
        for page in site.pages:
            if page.group == "report":
                page.exact = exactness(page, site.signed_in)
    names = [[re.sub(r" \([0-9]+\)$", "", page.name) for page in site.pages] for site in sites]
    if any(these != names[0] for these in names):
        raise SystemExit(f"the sizes have different pages: {names}")
    timer = SqlTimer()

    def each(round_number: int, group: str | None = None):
        """(site, page) of a round, the sizes alternating; only pages of ``group`` if given."""
        order = sites if round_number % 2 == 0 else sites[::-1]
        for index in range(len(sites[0].pages)):
            for site in order:
                page = site.pages[index]
                if not page.error and (group is None or page.group == group):
                    site_use(site)
                    yield site, page

    for round_number in range(2):  # warm-up: caches, the first compile of every template
        for site, page in each(round_number):
            request(page, site.signed_in, timer)
    every = max(1, args.requests // max(1, args.reference_requests))
    sizes = " and ".join(f"{site.size:,}" for site in sites)
    began = time.perf_counter()
    print(f"measuring {sizes}: {load_average()}", flush=True)
    for round_number in range(args.requests):
        due = round_number % every == 0
        for site, page in each(round_number):
            if sample := request(page, site.signed_in, timer):
                page.samples.append(sample)
            wanted = due and page.reference is not None and not page.error
            if wanted and (sample := reference(page, site.signed_in, timer)):
                page.reference_samples.append(sample)
    print(f"measured {sizes} in {time.perf_counter() - began:.0f} s; {load_average()}", flush=True)
    # The same lists rendered afresh (the copy kept in the shared cache turned off): what the first
    # reader after a change pays.
    from django.test import override_settings

    with override_settings(KEPT_LIST_SECONDS=0):
        for round_number in range(args.reference_requests):
            for site, page in each(round_number, "list"):
                if sample := request(page, site.signed_in, timer):
                    page.fresh_samples.append(sample)
    site_use(sites[-1])


# --- printing -------------------------------------------------------------------------------------


def p(samples: list[Sample], q: float) -> float:
    return percentile([s.ms for s in samples], q)


def verdict(page: Page) -> tuple[str, float | None]:
    p95 = p(page.samples, 95)
    sql = statistics.median(s.sql_ms for s in page.samples)
    ratio = p(page.reference_samples, 95) / p95 if page.reference_samples else None
    problems = []
    if page.group == "list":
        if sql > QUEUE_SQL_MS:
            problems.append(f"SQL>{QUEUE_SQL_MS:g}ms")
        if ratio is None or ratio < QUEUE_RATIO:
            problems.append(f"ratio<{QUEUE_RATIO:g}")
    else:
        if p95 > REPORT_P95_MS:
            problems.append(f"p95>{REPORT_P95_MS:g}ms")
        if ratio is None or ratio < REPORT_RATIO:
            problems.append(f"ratio<{REPORT_RATIO:g}")
        if page.exact != "exact":
            problems.append("not exact")
    return ("yes" if not problems else "NO: " + ", ".join(problems)), ratio


def table_print(size: int, pages: list[Page]) -> None:
    most = max(len(page.samples) for page in pages)
    print(f"\n=== {size:,} inquiries ({most} requests per page, interleaved) ===")
    head = (
        f"{'page':<40} {'p50 ms':>7} {'p95 ms':>7} {'SQL ms':>7} {'queries':>7} "
        f"{'ref p95':>8} {'ratio':>7}  target met?"
    )
    print(head)
    print("-" * len(head))
    notes = []
    for page in pages:
        if page.error or not page.samples:
            print(f"{page.name:<40} ERROR: {page.error}")
            continue
        status, ratio = verdict(page)
        queries = statistics.median(s.queries for s in page.samples)
        ref = f"{p(page.reference_samples, 95):8.1f}" if page.reference_samples else f"{'n/a':>8}"
        print(
            f"{page.name:<40} {p(page.samples, 50):7.1f} {p(page.samples, 95):7.1f} "
            f"{statistics.median(s.sql_ms for s in page.samples):7.2f} {queries:7.0f} "
            f"{ref} {(f'{ratio:6.1f}x' if ratio else '    n/a')}  {status}"
        )
        if page.note:
            notes.append(f"  {page.name}: {page.note}")
        if redrawn := redrawn_note(page):
            notes.append(f"  {page.name}: {redrawn}")
        if page.group == "report":
            notes.append(f"  {page.name}: figures vs naive recount: {page.exact}")
    print(
        "reference: lists = the admin's Inquiry changelist (superuser), reports = the naive "
        "recount over the inquiries table; ratio = reference p95 / page p95"
    )
    print("\n".join(notes))
    fresh = [page for page in pages if page.fresh_samples and page.reference_samples]
    if fresh:
        most = max(len(page.fresh_samples) for page in fresh)
        print(
            f"\nthe lists rendered afresh (KEPT_LIST_SECONDS=0: the first reader after a change), "
            f"{most} requests each after the timed rounds:"
        )
        head = f"{'page':<40} {'p50 ms':>7} {'p95 ms':>7} {'SQL ms':>7} {'queries':>7} {'ratio':>7}"
        print(head)
        print("-" * len(head))
        for page in fresh:
            samples = page.fresh_samples
            ratio = p(page.reference_samples, 95) / p(samples, 95)
            print(
                f"{page.name:<40} {p(samples, 50):7.1f} {p(samples, 95):7.1f} "
                f"{statistics.median(s.sql_ms for s in samples):7.2f} "
                f"{statistics.median(s.queries for s in samples):7.0f} {ratio:6.1f}x"
            )


def redrawn_note(page: Page) -> str:
    """How many timed requests read more queries than the page's fewest, and the p95 of the
    others. No inquiry is written in the rounds, so those requests drew a kept copy again after it
    expired (``KEPT_LIST_SECONDS``, ``REPORTS_CACHE_SECONDS``) or saved the session (a staff
    session notes the time of its last request once a minute). Empty when none did."""
    fewest = min(s.queries for s in page.samples)
    kept = [s for s in page.samples if s.queries == fewest]
    redrawn = len(page.samples) - len(kept)
    if not redrawn:
        return ""
    return (
        f"{redrawn} of {len(page.samples)} timed requests read more than {fewest} "
        f"{'query' if fewest == 1 else 'queries'} (a kept copy expired, or the session saved); "
        f"the other {len(kept)}: p95 {p(kept, 95):.1f} ms"
    )


def growth_print(small: list[Page], large: list[Page], n_small: int, n_large: int) -> None:
    print(f"\n=== {n_small:,} vs {n_large:,}: p95 and SQL per request ===")
    head = (
        f"{'page':<40} {'p95 small':>9} {'p95 large':>9} {'growth':>7} "
        f"{'SQL small':>9} {'SQL large':>9}  within {GROWTH_LIMIT}x?"
    )
    print(head)
    print("-" * len(head))
    by_name = {re.sub(r" \([0-9]+\)$", "", page.name): page for page in small}
    for page in large:
        before = by_name.get(re.sub(r" \([0-9]+\)$", "", page.name))
        if before is None or not before.samples or not page.samples:
            continue
        growth = p(page.samples, 95) / p(before.samples, 95)
        print(
            f"{page.name:<40} {p(before.samples, 95):9.1f} {p(page.samples, 95):9.1f} "
            f"{growth:6.2f}x {statistics.median(s.sql_ms for s in before.samples):9.2f} "
            f"{statistics.median(s.sql_ms for s in page.samples):9.2f}  "
            f"{'yes' if growth <= GROWTH_LIMIT else 'NO'}"
        )


def plans_print(pages: list[Page]) -> None:
    """The plan of the slowest query of each page over its SQL target, at the largest size."""
    from django.db import connection

    slow = [
        page
        for page in pages
        if page.samples
        and statistics.median(s.sql_ms for s in page.samples)
        > (QUEUE_SQL_MS if page.group == "list" else REPORT_P95_MS / 2)
    ]
    if not slow:
        return
    print("\n=== slowest query of each page over its SQL target (largest size) ===")
    for page in slow:
        took, sql, params = page.slowest
        print(f"\n--- {page.name}: {page.url}  (slowest query {took:.1f} ms)\n{sql[:1200]}")
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print("\n".join("    " + line for line in plan[:25]))


if __name__ == "__main__":
    main()
