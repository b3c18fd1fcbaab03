"""A city-sized benchmark database, built in SQL (INSERT ... SELECT generate_series), not with models.

    from _seed import database_fresh, people_seed, inquiries_grow
    database_fresh()                # drop and recreate shahrvand_bench, migrate, set Django up
    cast = people_seed()            # staff, 159 offices and their operators, 200,000 citizens
    inquiries_grow(cast, 100_000)   # inquiries 1..100,000; later inquiries_grow(cast, 1_000_000)

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). The districts are the project's own
(its migration creates Urmia's five). Everything else is deterministic: a row's district, kind,
channel, status, dates, applicant and office come from hashes of its number, so two runs build the
same data and growing from 100,000 to 1,000,000 adds rows 100,001..1,000,000 to the same set:

- districts 1, 3, 4, 5 get 35/20/15/30 % of the properties; district 2 (not online) none;
- kinds: transfer 55 %, bank 30 %, agency 15 %; channels: web 40 %, counter office 30 %,
  notary office 20 %, kiosk 10 %;
- filed over the last two years (730 days); older than 30 days: 93 % answered, 4.5 % withdrawn,
  1 % waiting on the applicant, 1.5 % still open and overdue; the last 30 days: a live queue of
  submitted, in review, needs_info and resubmitted inquiries next to answered and withdrawn ones;
- due dates a week after filing (none while waiting on the applicant), answers 1..14 days after;
- four in five properties have one inquiry, one in five two; a fifth of the applicants are
  attorneys (with an owner's national ID); one citizen files every 2,000th inquiry;
- tracking codes are valid (check character) and unique: a bijection of the row number;
  national IDs are valid (check digit) and unique per citizen.

No events, answers or requests for more information are built (the lists and the counts do not read
them); the office scorecards' "sent back" figures are therefore zero.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB = "shahrvand_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
# How dropdb and createdb reach the server.
PG = ["-h", "127.0.0.1", "-U", "postgres"]
CITIZENS = 200_000
CITIZEN_ID_BASE = 1_000_000  # citizen k (1..CITIZENS) is user CITIZEN_ID_BASE + k
COUNTER_OFFICES, NOTARY_OFFICES = 100, 59
REVIEWERS_PER_DISTRICT = 3
HEAVY_CITIZEN_EVERY = 2000
ONLINE_DISTRICTS = (1, 3, 4, 5)  # share of properties: 35, 20, 15, 30 %


def database_fresh(**env: str) -> None:
    """Drop and recreate the bench database, point Django at it (DEBUG off) and migrate."""
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", DB], check=True)
    subprocess.run(["createdb", *PG, DB], check=True)
    django_setup(**env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def django_setup(**env: str) -> None:
    """Django on the bench database, without migrating (for a database built earlier)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrvand.settings.base")
    os.environ.setdefault("DEBUG", "0")
    # As in production: staff pass a second factor (the sessions made below have passed it).
    os.environ.setdefault("STAFF_SECOND_FACTOR", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("SMS_BACKEND", "shahrvand.sms.backends.InMemoryBackend")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["DATABASE_URL"] = DATABASE_URL
    # A cache shared by every process, as in production (the reports keep their figures there).
    os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/13")
    os.environ.update(env)
    import django

    django.setup()


@dataclass
class Cast:
    """Who signs in to which page, and the ids the SQL needs."""

    district_ids: dict[int, int]  # number -> id
    reviewers: dict[int, list[int]]  # district number -> user ids (the first: the bench reviewer)
    kiosk_clerks: dict[int, int]  # district number -> user id
    counter_offices: list[int]
    notary_offices: list[int]
    operator_of: dict[int, int]  # office id -> its operator's user id
    reviewer: str = "bench-reviewer"
    manager: str = "bench-manager"
    kiosk: str = "bench-kiosk"
    ict: str = "bench-ict"
    superuser: str = "bench-admin"
    heavy_citizen_id: int = CITIZEN_ID_BASE + 1
    inquiries: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def busy_office(self) -> int:
        return self.counter_offices[0]

    @property
    def busy_operator(self) -> str:
        return f"bench-operator-{self.busy_office}"


def _user(username: str, **extra):
    from django.contrib.auth import get_user_model

    user = get_user_model()(username=username, first_name="کاربر", last_name=username, **extra)
    user.set_unusable_password()
    return user


def reviewer_names(number: int) -> list[str]:
    """The usernames of a district's reviewers (one in a district not online)."""
    count = REVIEWERS_PER_DISTRICT if number in ONLINE_DISTRICTS else 1
    return [
        "bench-reviewer" if (number, i) == (1, 0) else f"reviewer-{number}-{i}"
        for i in range(count)
    ]


def clerk_name(number: int) -> str:
    return "bench-kiosk" if number == 1 else f"kiosk-{number}"


def people_seed() -> Cast:
    """Staff of every district (district 2 too: its queue stays empty), 159 offices with an
    operator each, the ICT organisation's admin and a superuser, and 200,000 citizens (in SQL)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from accounts.roles import ICT_ADMIN_GROUP
    from counters.models import CounterOffice, OfficeKind, OfficeMembership, OfficeRole
    from districts.models import District, DistrictMembership, DistrictRole

    User = get_user_model()
    began = time.perf_counter()
    districts = {d.number: d for d in District.objects.all()}
    missing = set(ONLINE_DISTRICTS) - set(districts)
    if missing:
        raise SystemExit(f"the districts' migration did not create districts {sorted(missing)}")
    reviewers: dict[int, list[int]] = {}
    kiosk_clerks: dict[int, int] = {}
    for number, district in districts.items():
        reviewers[number] = []
        for name in reviewer_names(number):
            user = _user(name)
            user.save()
            DistrictMembership.objects.create(
                user=user, district=district, role=DistrictRole.REVIEWER
            )
            reviewers[number].append(user.pk)
        manager = _user("bench-manager" if number == 1 else f"manager-{number}")
        manager.save()
        DistrictMembership.objects.create(
            user=manager, district=district, role=DistrictRole.MANAGER, can_sign=True
        )
        clerk = _user(clerk_name(number))
        clerk.save()
        DistrictMembership.objects.create(user=clerk, district=district, role=DistrictRole.KIOSK)
        kiosk_clerks[number] = clerk.pk
    ict = _user("bench-ict")
    ict.save()
    ict.groups.add(Group.objects.get_or_create(name=ICT_ADMIN_GROUP)[0])
    User.objects.create_superuser("bench-admin", password=None, email="")

    numbers = sorted(districts)
    offices = []
    for i in range(COUNTER_OFFICES + NOTARY_OFFICES):
        counter = i < COUNTER_OFFICES
        offices.append(
            CounterOffice(
                kind=OfficeKind.COUNTER if counter else OfficeKind.NOTARY,
                number=11000 + i if counter else 1 + i - COUNTER_OFFICES,
                name=f"دفتر {i}",
                licence=f"L-{i}",
                district=districts[numbers[i % len(numbers)]],
                address="ارومیه",
            )
        )
    offices = CounterOffice.objects.bulk_create(offices)
    operators = User.objects.bulk_create(
        [_user(f"bench-operator-{office.pk}") for office in offices]
    )
    OfficeMembership.objects.bulk_create(
        [
            OfficeMembership(user=user, office=office, role=OfficeRole.OPERATOR)
            for user, office in zip(operators, offices, strict=True)
        ]
    )
    with connection.cursor() as cursor:
        _functions_create(cursor)
        cursor.execute(
            """
            INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name,
                email, is_staff, is_active, date_joined, national_id, mobile,
                must_change_password, session_epoch)
            SELECT %(base)s + k, '!', false, bench_nid(k), 'شهروند', k::text, '', false, true,
                now(), bench_nid(k), '0912' || lpad((k %% 10000000)::text, 7, '0'), false, 0
            FROM generate_series(1, %(citizens)s) k
            """,
            {"base": CITIZEN_ID_BASE, "citizens": CITIZENS},
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), "
            "(SELECT max(id) FROM accounts_user))"
        )
    cast = Cast(
        district_ids={number: d.pk for number, d in districts.items()},
        reviewers=reviewers,
        kiosk_clerks=kiosk_clerks,
        counter_offices=[o.pk for o in offices if o.kind == OfficeKind.COUNTER],
        notary_offices=[o.pk for o in offices if o.kind == OfficeKind.NOTARY],
        operator_of={o.pk: u.pk for o, u in zip(offices, operators, strict=True)},
    )
    cast.timings["people"] = time.perf_counter() - began
    return cast


def _functions_create(cursor) -> None:
    """Valid national IDs and tracking codes from a number (bijections, so never a duplicate)."""
    cursor.execute(
        """
        CREATE OR REPLACE FUNCTION bench_nid(k bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
            SELECT body || (CASE WHEN s % 11 < 2 THEN s % 11 ELSE 11 - s % 11 END)::text
            FROM (
                SELECT body, (SELECT sum(substr(body, i, 1)::int * (11 - i))
                              FROM generate_series(1, 9) i) AS s
                FROM (SELECT ((k * 104729) % 900000000 + 100000000)::text AS body) b
            ) t
        $$;
        CREATE OR REPLACE FUNCTION bench_code(n bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            alphabet text := '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
            v bigint := (n * 1000003) % 852891037441;  -- 31^8: a bijection of 0..31^8-1
            body text := '';
            total int := 0;
        BEGIN
            FOR i IN 1..8 LOOP
                body := body || substr(alphabet, (v % 31)::int + 1, 1);
                v := v / 31;
            END LOOP;
            FOR i IN 1..8 LOOP
                total := total + i * (strpos(alphabet, substr(body, i, 1)) - 1);
            END LOOP;
            RETURN body || substr(alphabet, total % 31 + 1, 1);
        END $$;
        CREATE OR REPLACE FUNCTION bench_h(n bigint, salt int, m bigint) RETURNS bigint
            LANGUAGE sql IMMUTABLE AS $$ SELECT abs(hashint8extended(n, salt)) % m $$;
        """
    )


def cast_read() -> Cast:
    """The Cast of a bench database built earlier (``people_seed`` and ``inquiries_grow``), read
    back from its rows: the same people, offices and ids, and its number of inquiries."""
    from django.contrib.auth import get_user_model

    from counters.models import CounterOffice, OfficeKind, OfficeMembership
    from districts.models import District
    from inquiries.models import Inquiry

    User = get_user_model()
    if not User.objects.filter(username="bench-reviewer").exists():
        raise SystemExit("the bench database has no bench people: build it (run without --reuse)")
    districts = dict(District.objects.values_list("number", "pk"))
    ids = dict(
        User.objects.filter(username__regex=r"^(bench-|reviewer-|kiosk-)").values_list(
            "username", "pk"
        )
    )
    reviewers = {number: [ids[name] for name in reviewer_names(number)] for number in districts}
    offices = list(CounterOffice.objects.order_by("pk").values_list("pk", "kind"))
    operator_of = dict(
        OfficeMembership.objects.filter(user__username__startswith="bench-operator-").values_list(
            "office_id", "user_id"
        )
    )
    return Cast(
        district_ids=districts,
        reviewers=reviewers,
        kiosk_clerks={number: ids[clerk_name(number)] for number in districts},
        counter_offices=[pk for pk, kind in offices if kind == OfficeKind.COUNTER],
        notary_offices=[pk for pk, kind in offices if kind == OfficeKind.NOTARY],
        operator_of=operator_of,
        inquiries=Inquiry.objects.count(),
    )


def inquiries_grow(cast: Cast, total: int) -> None:
    """Add inquiries (and their properties) cast.inquiries+1 .. total, then make the summaries
    exact (``summaries_check --repair``, when the project has it) and ANALYZE."""
    from django.db import connection

    start = cast.inquiries + 1
    if total < start:
        return
    if start % 5 != 1:
        raise ValueError("grow in steps that are multiples of 5")
    began = time.perf_counter()
    d = cast.district_ids
    params = {
        "start": start,
        "end": total,
        "districts": [d[n] for n in ONLINE_DISTRICTS],
        "numbers": list(ONLINE_DISTRICTS),
        "counters": cast.counter_offices,
        "notaries": cast.notary_offices,
        "counter_ops": [cast.operator_of[o] for o in cast.counter_offices],
        "notary_ops": [cast.operator_of[o] for o in cast.notary_offices],
        # reviewers of districts 1, 3, 4, 5, REVIEWERS_PER_DISTRICT each, in that order
        "reviewers": [u for n in ONLINE_DISTRICTS for u in cast.reviewers[n]],
        "per": REVIEWERS_PER_DISTRICT,
        "clerks": [cast.kiosk_clerks[n] for n in ONLINE_DISTRICTS],
        "citizens": CITIZENS,
        "base": CITIZEN_ID_BASE,
        "heavy_every": HEAVY_CITIZEN_EVERY,
    }
    # The district slot (1..4) of property p, by share 35/20/15/30 %.
    slot = (
        "(CASE WHEN bench_h({p}, 1, 100) < 35 THEN 1 WHEN bench_h({p}, 1, 100) < 55 THEN 2 "
        "WHEN bench_h({p}, 1, 100) < 70 THEN 3 ELSE 4 END)"
    )
    extra = _defaults_of_other_columns(_columns("inquiries_inquiry"))
    params |= {f"extra_{column}": value for column, value in extra.items()}
    extra_columns = "".join(f", {column}" for column in extra)
    extra_values = "".join(
        # The decision of the answer in force: 60/25/10/5 % of the answered inquiries.
        ", CASE WHEN status <> 'answered' THEN '' WHEN bench_h(j, 13, 100) < 60 "
        "THEN 'no_objection' WHEN bench_h(j, 13, 100) < 85 THEN 'conditional' "
        "WHEN bench_h(j, 13, 100) < 95 THEN 'violations' ELSE 'cannot_answer' END"
        if column == "decision"
        else f", %(extra_{column})s"
        for column in extra
    )
    with connection.cursor() as cursor:
        _functions_create(cursor)
        cursor.execute("SET synchronous_commit = off")
        # This script's own SQL (the only f-string parts are its constants); values are parameters.
        cursor.execute(
            f"""
            INSERT INTO inquiries_property (id, renovation_code, district_id, plate_main,
                plate_sub, registration_section, address, area_m2, land_use, building_status,
                created_at, updated_at)
            SELECT p, format('%%s-%%s-%%s-%%s-0-0-0', (%(numbers)s::int[])[s],
                    (p / 10000000) %% 1000, (p / 1000) %% 10000, p %% 1000),
                (%(districts)s::bigint[])[s], 1 + bench_h(p, 7, 20000), bench_h(p, 8, 300),
                1 + p %% 9, 'ارومیه، خیابان ' || (p %% 400), 80 + bench_h(p, 10, 400),
                'residential', 'completed', now(), now()
            FROM (SELECT p, {slot.format(p="p")} AS s
                  FROM generate_series(%(start)s, %(end)s) p WHERE p %% 5 <> 0) t
            """,  # nosec B608
            params,
        )
        # This script's own SQL (the only f-string parts are its constants); values are parameters.
        cursor.execute(
            f"""
            WITH base AS (
                SELECT j, j - (j %% 5 = 0)::int AS p,
                    bench_h(j, 2, 100) AS hk, bench_h(j, 3, 100) AS hc, bench_h(j, 4, 1000) AS hs,
                    bench_h(j, 5, 730 * 1440) AS age, bench_h(j, 6, 1000000) AS h6,
                    CASE WHEN j %% %(heavy_every)s = 0 THEN 1
                         ELSE 2 + bench_h(j, 9, %(citizens)s - 1) END AS c,
                    bench_h(j, 11, 100) < 20 AS attorney
                FROM generate_series(%(start)s, %(end)s) j
            ), rows AS (
                SELECT base.*, {slot.format(p="p")} AS s,
                    date_trunc('minute', now()) - make_interval(mins => age::int) AS submitted,
                    CASE WHEN hk < 55 THEN 'transfer' WHEN hk < 85 THEN 'bank' ELSE 'agency' END
                        AS kind,
                    CASE WHEN hc < 40 THEN 'web' WHEN hc < 70 THEN 'counter_office'
                         WHEN hc < 90 THEN 'notary_office' ELSE 'kiosk' END AS channel,
                    CASE WHEN age >= 30 * 1440 THEN
                            CASE WHEN hs < 930 THEN 'answered' WHEN hs < 975 THEN 'withdrawn'
                                 WHEN hs < 985 THEN 'needs_info' WHEN hs < 995 THEN 'in_review'
                                 ELSE 'submitted' END
                         ELSE
                            CASE WHEN hs < 400 AND age >= 1440 THEN 'answered'
                                 WHEN hs < 550 THEN 'submitted' WHEN hs < 750 THEN 'in_review'
                                 WHEN hs < 830 THEN 'needs_info' WHEN hs < 880 THEN 'resubmitted'
                                 WHEN hs < 930 THEN 'withdrawn' ELSE 'submitted' END
                    END AS status
                FROM base
            )
            INSERT INTO inquiries_inquiry (id, tracking_code, kind, status, channel, district_id,
                property_id, property_declared, applicant_national_id, applicant_first_name,
                applicant_last_name, applicant_mobile, applicant_relation, owner_national_id,
                owner_name, notes, office_id, filed_by_id, submission_key, submitted_at,
                updated_at, assigned_to_id, due_date, paused_days_left, answered_at, version
                {extra_columns})
            SELECT j, bench_code(j), kind, status, channel, (%(districts)s::bigint[])[s], p,
                '{{}}'::jsonb, bench_nid(c), 'شهروند', c::text,
                '0912' || lpad((c %% 10000000)::text, 7, '0'),
                CASE WHEN attorney THEN 'attorney' ELSE 'owner' END,
                CASE WHEN attorney THEN bench_nid(1 + bench_h(j, 12, %(citizens)s)) ELSE '' END,
                CASE WHEN attorney THEN 'مالک' ELSE '' END, '',
                CASE channel WHEN 'counter_office' THEN (%(counters)s::bigint[])[1 + h6 %% 100]
                             WHEN 'notary_office' THEN (%(notaries)s::bigint[])[1 + h6 %% 59] END,
                CASE channel WHEN 'web' THEN %(base)s + c
                             WHEN 'counter_office' THEN (%(counter_ops)s::bigint[])[1 + h6 %% 100]
                             WHEN 'notary_office' THEN (%(notary_ops)s::bigint[])[1 + h6 %% 59]
                             ELSE (%(clerks)s::bigint[])[s] END,
                md5('bench-' || j)::uuid, submitted,
                submitted + CASE WHEN status = 'answered'
                                 THEN make_interval(days => 1 + (h6 %% 14)::int)
                                 ELSE interval '0' END,
                CASE WHEN status IN ('in_review', 'needs_info', 'answered')
                     THEN (%(reviewers)s::bigint[])[(s - 1) * %(per)s + 1 + h6 %% %(per)s] END,
                CASE WHEN status = 'needs_info' THEN NULL
                     ELSE (submitted AT TIME ZONE 'Asia/Tehran')::date + 7 END,
                CASE WHEN status = 'needs_info' THEN 3 END,
                CASE WHEN status = 'answered'
                     THEN least(now(), submitted + make_interval(days => 1 + (h6 %% 14)::int)) END,
                1 {extra_values}
            FROM rows
            """,  # nosec B608
            params,
        )
        for table in ("inquiries_property", "inquiries_inquiry"):
            # Two table names of this script.
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # nosec B608
            cursor.execute(sql)
    cast.inquiries = total
    cast.timings[f"insert {start}..{total}"] = time.perf_counter() - began
    _sample_check()
    began = time.perf_counter()
    cast.timings["summaries"] = summaries_repair()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.get_autocommit() else "ANALYZE")
    cast.timings[f"summaries + analyze at {total}"] = time.perf_counter() - began


# The columns the INSERT above names; any other column of the inquiries table (one added since) gets
# its model field's default.
NAMED = {
    "id",
    "tracking_code",
    "kind",
    "status",
    "channel",
    "district_id",
    "property_id",
    "property_declared",
    "applicant_national_id",
    "applicant_first_name",
    "applicant_last_name",
    "applicant_mobile",
    "applicant_relation",
    "owner_national_id",
    "owner_name",
    "notes",
    "office_id",
    "filed_by_id",
    "submission_key",
    "submitted_at",
    "updated_at",
    "assigned_to_id",
    "due_date",
    "paused_days_left",
    "answered_at",
    "version",
}


def _columns(table: str) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
        )
        return {row[0] for row in cursor.fetchall()}


def _defaults_of_other_columns(table_columns: set[str]) -> dict:
    from inquiries.models import Inquiry

    extra = {}
    for model_field in Inquiry._meta.concrete_fields:
        column = model_field.column
        if column in NAMED or column not in table_columns:
            continue
        value = model_field.get_default()  # "" for a text field without a default
        if value is None and not model_field.null:
            raise SystemExit(f"bench/_seed.py: no value for the new column {column}")
        extra[column] = value
    return extra


def _sample_check() -> None:
    """The codes and IDs the SQL built are the ones the application accepts."""
    from inquiries.models import Inquiry
    from inquiries.tracking import tracking_code_is_valid
    from shahrvand.identifiers import national_id_is_valid

    rows = Inquiry.objects.order_by("?").values_list(
        "pk", "tracking_code", "applicant_national_id", "district__number"
    )[:200]
    for pk, code, national_id, district_number in rows:
        assert tracking_code_is_valid(code), code
        assert national_id_is_valid(national_id), pk
        assert district_number != 2, pk


def summaries_repair() -> float | None:
    """``summaries_check --repair`` rewrites the summary tables from the raw rows (the SQL above
    bypasses the services that keep them exact). Returns its seconds, or None without it."""
    from django.core.management import call_command, get_commands

    if "summaries_check" not in get_commands():
        print(
            "NOTE: no summaries_check command yet: summary tables (if any) are NOT rebuilt; "
            "pages that read them will show zeros.",
            flush=True,
        )
        return None
    began = time.perf_counter()
    out = io.StringIO()
    call_command("summaries_check", "--repair", stdout=out)
    lines = out.getvalue().strip().splitlines()
    print(f"summaries_check --repair: {lines[-1] if lines else '(no output)'}", flush=True)
    return time.perf_counter() - began


def session_as_in_production(client, user, *, by_code: bool = False) -> None:
    """Make a test client's forced sign-in look like a real one: a citizen's session opened with an
    SMS code, anyone else's with a password and a second factor passed (a TOTP device of theirs)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SIGNED_IN_BY_CODE

    session = client.session
    if by_code:
        session[SIGNED_IN_BY_CODE] = True
    else:
        device, _new = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
