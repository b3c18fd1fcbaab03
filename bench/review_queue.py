"""The review queue and the reports with many inquiries: how long the pages take, how many queries.

    .venv/bin/python bench/review_queue.py [--inquiries 200000] [--requests 20]

Needs PostgreSQL on loopback (as .ci/run starts it); uses its own database (shahrvand_bench,
recreated). Builds the rows with bulk inserts, then times whole page requests through Django's test
client: the default queue, a filter, the searches a reviewer types, and the ICT organisation's
per-district report (all time, the last month, and its CSV). Medians on a shared, noisy
machine: compare runs, not single numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "shahrvand_bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inquiries", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    sys.path.insert(0, str(ROOT / "bench"))
    from _setup import django_with_temp_database

    django_with_temp_database(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="testserver,127.0.0.1",
    )
    from django.contrib.auth.models import Group
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.roles import ICT_ADMIN_GROUP
    from accounts.tests.factories import CitizenFactory, UserFactory, valid_national_id
    from districts.models import District, DistrictRole
    from districts.tests.factories import DistrictMembershipFactory
    from inquiries.models import Inquiry, Property
    from inquiries.tracking import tracking_code_new
    from inquiries.workflow import Channel, InquiryStatus
    from shahrvand import jalali

    rng = random.Random(1401)
    districts = list(District.objects.exclude(number=2))
    reviewer = UserFactory(username="bench-reviewer")
    DistrictMembershipFactory(user=reviewer, district=districts[0], role=DistrictRole.REVIEWER)
    filer = CitizenFactory()
    statuses = [s for s, _label in InquiryStatus.choices]
    channels = [c for c, _label in Channel.choices]
    today = timezone.localdate()
    start = time.perf_counter()
    batch = 10_000
    national_ids = [valid_national_id(seed=i) for i in range(2000)]
    for offset in range(0, args.inquiries, batch):
        count = min(batch, args.inquiries - offset)
        props = []
        for i in range(offset, offset + count):
            district = districts[i % len(districts)]
            props.append(
                Property(
                    renovation_code=f"{district.number}-{i // 1000000}-{(i // 1000) % 1000}-{i % 1000}-0-0-0",
                    district=district,
                    plate_main=100 + i % 5000,
                    plate_sub=i % 300,
                    registration_section=1 + i % 9,
                    address="ارومیه",
                    area_m2=100,
                    land_use="residential",
                    building_status="completed",
                )
            )
        props = Property.objects.bulk_create(props)
        rows = []
        for prop in props:
            submitted = timezone.now() - dt.timedelta(days=rng.randint(0, 900))
            rows.append(
                Inquiry(
                    tracking_code=tracking_code_new(),
                    kind=rng.choice(["transfer", "bank", "agency"]),
                    status=rng.choice(statuses),
                    channel=rng.choice(channels),
                    district_id=prop.district_id,
                    property=prop,
                    property_declared={},
                    applicant_national_id=rng.choice(national_ids),
                    applicant_first_name="نام",
                    applicant_last_name="خانوادگی",
                    applicant_mobile="09120000000",
                    applicant_relation="owner",
                    filed_by=filer,
                    submission_key=uuid.uuid4(),
                    submitted_at=submitted,
                    due_date=today + dt.timedelta(days=rng.randint(-30, 30)),
                )
            )
        Inquiry.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {args.inquiries} inquiries in {time.perf_counter() - start:.0f} s")

    sample = Inquiry.objects.filter(district=districts[0]).first()
    client = Client()
    client.force_login(reviewer)
    ict = UserFactory(username="bench-ict")
    ict.groups.add(Group.objects.get_or_create(name=ICT_ADMIN_GROUP)[0])
    ict_client = Client()
    ict_client.force_login(ict)
    month_ago = jalali.to_jalali(today - dt.timedelta(days=30))
    last_month = f"date_from={month_ago.year}/{month_ago.month}/{month_ago.day}"

    def searched(**filters) -> str:
        """A search is POSTed (a national ID must not sit in a URL); the list it leads to is timed."""
        return client.post("/staff/", filters)["Location"]

    pages = {
        "queue (open, by due date)": "/staff/",
        "overdue only": "/staff/?overdue=on",
        "status + kind filter": "/staff/?status=in_review&kind=bank",
        "page 50": "/staff/?page=50",
        "search tracking code": searched(q=sample.tracking_code_display().lower()),
        "search national ID": searched(q=sample.applicant_national_id, status="all"),
        "search renovation code": searched(q=sample.property.renovation_code, status="all"),
        "search plate": searched(q=f"{sample.property.plate_main}/{sample.property.plate_sub}"),
    }
    pages |= {
        "reports, all time": (ict_client, "/reports/"),
        "reports, last month": (ict_client, f"/reports/?{last_month}"),
        "reports CSV, all time": (ict_client, "/reports/districts.csv"),
    }
    for name, target in pages.items():
        client_for_page, url = target if isinstance(target, tuple) else (client, target)
        assert client_for_page.get(url).status_code == 200
        times = []
        with CaptureQueriesContext(connection) as queries:
            client_for_page.get(url)
        query_count = len(queries)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        for _ in range(args.requests):
            began = time.perf_counter()
            client_for_page.get(url)
            times.append((time.perf_counter() - began) * 1000)
        reset_queries()
        print(
            f"{name:<26} median {statistics.median(times):6.1f} ms   "
            f"max {max(times):6.1f} ms   {query_count} queries, slowest "
            f"{float(slowest['time']) * 1000:.0f} ms"
        )
        if os.environ.get("BENCH_SHOW_SQL"):
            print("   ", slowest["sql"][:300])


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrvand.settings.base")
    main()
