"""The monthly report's PDF: rendered by the task from the figures of ``reports.selectors`` for the
month, in Persian with the self-hosted font, stored privately, once."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from districts.models import District, KioskHelpLog
from inquiries.tests.factories import InquiryFactory
from reports import services, tasks
from reports.models import MonthlyReport, MonthlyReportStatus
from reports.selectors import district_report
from shahrvand.text import format_number

pytestmark = pytest.mark.django_db

# Aban 1405 runs from 2026-10-23 to 2026-11-21.
ABAN_FIRST, ABAN_LAST = dt.date(2026, 10, 23), dt.date(2026, 11, 21)
FILED = dt.date(2026, 11, 1)  # a Sunday, 1405/08/10


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _answered(after_days: int, *, due_in: int = 10, decision="no_objection", number=1, **extra):
    return InquiryFactory(
        district_number=number,
        submitted_at=_at(FILED),
        status="answered",
        answered_at=_at(FILED + dt.timedelta(days=after_days), 12),
        due_date=FILED + dt.timedelta(days=due_in),
        decision=decision,
        **extra,
    )


@pytest.fixture
def aban(reviewer_d1):
    """A small month in district 1 (and a little in district 3), with inquiries either side of it
    that the report must leave out."""
    _answered(2)
    _answered(4, decision="conditional", channel="kiosk")
    _answered(6, decision="conditional")
    _answered(9, due_in=8, decision="violations")  # late
    _answered(15, decision="cannot_answer", kind="bank")  # late
    InquiryFactory(submitted_at=_at(FILED), status="withdrawn")
    # Waiting on the district since 1 Aban, due long ago: overdue now.
    for _ in range(3):
        InquiryFactory(
            submitted_at=_at(ABAN_FIRST), status="in_review", due_date=ABAN_FIRST + dt.timedelta(9)
        )
    _answered(3, number=3)
    # The days either side of Aban: not in its report.
    InquiryFactory(submitted_at=_at(ABAN_FIRST - dt.timedelta(days=1)), status="in_review")
    InquiryFactory(submitted_at=_at(ABAN_LAST + dt.timedelta(days=1)), status="in_review")
    one = District.objects.get(number=1)
    for day in (FILED, FILED, ABAN_LAST + dt.timedelta(days=1)):
        log = KioskHelpLog.objects.create(
            district=one, staff=reviewer_d1, topic="other", resolution="", minutes=5
        )
        KioskHelpLog.objects.filter(pk=log.pk).update(created_at=_at(day))


def _text(pdf: bytes) -> str:
    """The PDF's text in reading order: pypdf gives each run of digits inside right-to-left text
    (with its percent sign) in visual (reversed) order; such runs are turned back."""
    raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # The zero-width non-joiner shapes the letters but is no glyph: it does not come back.
    raw = raw.replace("\u200c", "")
    return re.sub(r"٪?[۰-۹](?:[۰-۹٬٫/\-]*[۰-۹])?", lambda m: m.group(0)[::-1], raw)


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _pdf(report: MonthlyReport) -> bytes:
    report.refresh_from_db()
    with report.pdf.open("rb") as file:
        return file.read()


def _rendered(district_number: int | None) -> MonthlyReport:
    district = District.objects.get(number=district_number) if district_number else None
    report = MonthlyReport.objects.create(year=1405, month=8, district=district)
    assert tasks.monthly_report_render.delay(report.pk).get() == "rendered"
    report.refresh_from_db()
    return report


def _line(text: str, label: str) -> str:
    """The figure printed beside a label (on the same line, either side), as the reader sees it."""
    label = label.replace("\u200c", "")
    figure = r"\s*([۰-۹٬٫٪—]+)\s*"
    for line in text.splitlines():
        match = re.fullmatch(re.escape(label) + figure, line) or re.fullmatch(
            figure + re.escape(label), line
        )
        if match:
            return match.group(1)
    raise AssertionError(f"{label!r} has no figure beside it in the PDF:\n{text}")


def test_the_district_report_holds_its_name_month_and_the_months_figures(aban):
    report = _rendered(1)
    assert report.status == MonthlyReportStatus.READY
    content = _pdf(report)
    text = _text(content)
    assert PdfReader(io.BytesIO(content)).metadata.title == "گزارش ماهانه منطقه یک — آبان ۱۴۰۵"
    assert "گزارش ماهانه منطقه یک — آبان ۱۴۰۵" in text  # the title again, under every page
    assert "شهرداری ارومیه" in text
    assert "۱ آبان ۱۴۰۵" in text and "۳۰ آبان ۱۴۰۵" in text

    figures = (
        district_report(
            District.objects.filter(number=1),
            date_from=ABAN_FIRST,
            date_to=ABAN_LAST,
            today=timezone.localdate(),
        )
        .rows[0]
        .figures
    )
    # The hand-made month, as the selectors count it: the report must print exactly these.
    assert (figures.total, figures.answered, figures.open, figures.overdue) == (9, 5, 3, 3)
    assert figures.withdrawn == 1 and figures.median_working_days == 5
    for label, value in [
        ("استعلام‌های ثبت‌شده", figures.total),
        ("پاسخ داده شد", figures.answered),
        ("هنوز باز", figures.open),
        ("گذشته از مهلت", figures.overdue),
        ("لغو شده", figures.withdrawn),
        ("مراجعان راهنمایی‌شده در باجه", 2),
    ]:
        assert _line(text, label) == format_number(value), (label, text)
    assert _line(text, "پاسخ در مهلت") == "۶۰٪"  # 3 of 5 answered in time
    assert _line(text, "میانه روزهای کاری تا پاسخ") == "۵"
    assert _line(text, "روزهای کاری تا پاسخ، صدک نودم") == "۱۱"  # 8 + 0.6 * (13 - 8)
    # By kind, channel and decision.
    assert "نقل و انتقال" in text and "دارای تخلف" in text
    # District 3's inquiry is not in district 1's report, and there is no per-district table.
    assert "منطقه سه" not in text


def test_the_city_report_has_a_row_per_district_online_in_the_month(aban):
    content = _pdf(_rendered(None))
    text = _text(content)
    title = PdfReader(io.BytesIO(content)).metadata.title
    assert title == "گزارش ماهانه همه مناطق شهر ارومیه — آبان ۱۴۰۵"
    for name in ("منطقه یک", "منطقه سه", "منطقه چهار", "منطقه پنج"):
        assert name in text
    assert "منطقه دو" not in text  # not online


def test_the_font_embedded_is_vazirmatn(aban):
    fonts = _fonts(_pdf(_rendered(1)))
    assert fonts and all("Vazirmatn" in name for name in fonts), fonts


def test_the_pdf_is_stored_privately_with_its_hash_and_size(aban):
    report = _rendered(1)
    content = _pdf(report)
    assert content.startswith(b"%PDF")
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)
    assert report.rendered_at is not None
    assert report.pdf.name == "reports/monthly/1405/08/district-1.pdf"
    # In the private storage, outside the media folder the web server serves.
    path = Path(report.pdf.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_STORAGE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_a_ready_report_is_not_rendered_again_unless_forced(aban):
    report = _rendered(1)
    first = (report.sha256, report.rendered_at)
    assert tasks.monthly_report_render.delay(report.pk).get() == "exists"
    report.refresh_from_db()
    assert (report.sha256, report.rendered_at) == first
    InquiryFactory(submitted_at=_at(FILED), status="withdrawn")  # the month changed since
    assert tasks.monthly_report_render.delay(report.pk, True).get() == "rendered"
    report.refresh_from_db()
    assert report.rendered_at > first[1] and report.sha256 != first[0]
    assert _line(_text(_pdf(report)), "لغو شده") == "۲"
    # One file, not one per rendering.
    folder = Path(report.pdf.path).parent
    assert [p.name for p in folder.iterdir() if p.name.startswith("district-1")] == [
        "district-1.pdf"
    ]


def test_a_rendering_error_marks_the_report_failed_with_the_error(aban, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("template exploded")

    monkeypatch.setattr(services, "pdf_render", broken)
    report = MonthlyReport.objects.create(year=1405, month=8, district=None)
    assert tasks.monthly_report_render.delay(report.pk).get() == "failed"
    report.refresh_from_db()
    assert report.status == MonthlyReportStatus.FAILED
    assert "template exploded" in report.error
    assert not report.pdf


def test_the_render_task_goes_to_the_pdf_queue():
    from shahrvand.celery import app

    route = app.amqp.router.route({}, tasks.monthly_report_render.name)
    assert route["queue"].name == "pdf"


def test_the_city_report_draws_a_bar_per_district_the_longest_full_width(aban):
    from django.utils import translation

    report = MonthlyReport.objects.create(year=1405, month=8, district=None)
    with translation.override("fa"):
        context = services.monthly_report_context(report)
    assert context["bars_title"] == "استعلام‌های ثبت‌شده به تفکیک منطقه"
    assert context["bars"] == [
        ("منطقه یک", 9, "100.0"),
        ("منطقه سه", 1, "11.1"),
        ("منطقه چهار", 0, "0.0"),
        ("منطقه پنج", 0, "0.0"),
    ]
    one = MonthlyReport.objects.create(year=1405, month=8, district=District.objects.get(number=1))
    with translation.override("fa"):
        bars = services.monthly_report_context(one)["bars"]
    # A district's bars are its channels: 8 filed online, 1 at the kiosk, none through the
    # institution API.
    assert [(count, length) for _label, count, length in bars] == [
        (8, "100.0"),
        (0, "0.0"),
        (0, "0.0"),
        (1, "12.5"),
        (0, "0.0"),
    ]


def test_the_city_report_draws_districts_even_when_one_alone_was_online(aban):
    from django.utils import translation

    District.objects.exclude(number=1).update(
        transfer_online_since=None, bank_online_since=None, agency_online_since=None
    )
    report = MonthlyReport.objects.create(year=1405, month=8, district=None)
    with translation.override("fa"):
        context = services.monthly_report_context(report)
    assert context["bars"] == [("منطقه یک", 9, "100.0")]
    assert [row["district"].number for row in context["rows"]] == [1]
