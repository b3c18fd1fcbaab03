"""Shared set-up for the benchmarks: a throw-away database with one signed answer to render."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_with_temp_database(**env) -> Path:
    """Point the settings at a fresh folder (SQLite unless DATABASE_URL is given) and set Django up."""
    var = Path(tempfile.mkdtemp(prefix="shahrvand-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrvand.settings.base")
    os.environ["VAR_DIR"] = str(var)
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SMS_BACKEND", "shahrvand.sms.backends.InMemoryBackend")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return var


def signed_answer(*, dues=(("عوارض نوسازی", 1_250_000), ("عوارض پسماند", 750_000))):
    """One inquiry of district 1, reviewed, answered and signed (the PDF is rendered later)."""
    from unittest import mock

    from accounts.tests.factories import CitizenFactory, UserFactory
    from districts.models import DistrictRole
    from districts.tests.factories import DistrictMembershipFactory, district
    from inquiries import services
    from inquiries.tests.factories import InquiryFactory

    citizen = CitizenFactory()
    reviewer = UserFactory()
    manager = UserFactory()
    DistrictMembershipFactory(user=reviewer, district=district(1), role=DistrictRole.REVIEWER)
    DistrictMembershipFactory(
        user=manager, district=district(1), role=DistrictRole.MANAGER, can_sign=True
    )
    inquiry = services.inquiry_review_start(
        actor=reviewer, inquiry=InquiryFactory(applicant=citizen)
    )
    answer = services.answer_prepare(
        actor=reviewer,
        inquiry=inquiry,
        data={
            "decision": "conditional",
            "building_status": "completed",
            "land_use_plan": "residential",
            "road_widening": "partly",
            "road_widening_note": "۲ متر از ضلع شمالی",
            "conditions": "تسویه عوارض پیش از انتقال",
        },
        dues=list(dues),
    )
    with mock.patch("inquiries.tasks.answer_pdf_enqueue"):
        return services.answer_sign(actor=manager, answer=answer)


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
