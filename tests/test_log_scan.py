"""A whole journey with every logger at DEBUG: no national ID or mobile number in any log line, in
any URL requested or redirected to, in any link or form address of a page, or in any page title.

The citizen signs in by SMS code with national ID and mobile, files an inquiry; a reviewer searches
the queue by that national ID and takes it; an office operator searches the office's queue; the
kiosk looks the inquiry up and binds a new mobile; the public tracking page is asked; a refusal and
an expired session's htmx poll happen on the way.

Log records are captured raw (before the masking filter, which is only a safety net): the code
itself must not log identifiers.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from inquiries.models import Inquiry
from inquiries.tests.factories import InquiryFactory, png_bytes
from inquiries.workflow import Channel, InquiryStatus
from shahrvand import sms
from shahrvand.models import Session
from shahrvand.text import to_persian_digits

pytestmark = pytest.mark.django_db

NID, MOBILE, NEW_MOBILE = "0013542419", "09121234567", "09351234567"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
ADDRESS = re.compile(r'(?:href|action|src|hx-get|hx-post|HX-Redirect)="([^"]*)"')


def _spellings(value: str) -> set[str]:
    persian = to_persian_digits(value)
    return {value, persian, quote(persian), quote(persian).lower()}


SECRETS = _spellings(NID) | _spellings(MOBILE) | _spellings(NEW_MOBILE)


class _RawRecords(logging.Handler):
    """Every record as logged (message, arguments, traceback), before any filter touches it."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def handle(self, record: logging.LogRecord) -> bool:  # no handler filters: raw
        text = f"{record.name} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        if record.stack_info:
            text += "\n" + record.stack_info
        self.lines.append(text)
        return True

    def emit(self, record):  # pragma: no cover - handle() does the work
        pass


@dataclass
class _Logs:
    raw: list[str]  # every record as logged
    console: io.StringIO  # what the configured handler printed (after its filters)
    caplog: pytest.LogCaptureFixture


@pytest.fixture
def every_log_line(caplog):
    """Every logger at DEBUG; a raw capture on the root and on each logger that does not propagate
    (runserver's django.server among them); the configured console handler printing to a buffer."""
    caplog.set_level(logging.DEBUG)
    raw = _RawRecords()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    own = [logger for logger in loggers if logger is root or not logger.propagate]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in own:
        logger.handlers.insert(0, raw)
    console = next(h for h in root.handlers if isinstance(h, logging.StreamHandler) and h.filters)
    buffer = io.StringIO()
    stream = console.setStream(buffer)
    try:
        yield _Logs(raw.lines, buffer, caplog)
    finally:
        console.setStream(stream)
        for logger in own:
            logger.removeHandler(raw)
        for logger, level in levels.items():
            logger.setLevel(level)


class _Browser:
    """A test client that notes every address it requests or is sent to, and what pages show."""

    def __init__(self, seen: list[str], user=None):
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        self.seen = seen

    def get(self, path, data=None, **extra):
        return self._note(self.client.get(path, data, **extra))

    def post(self, path, data=None, **extra):
        return self._note(self.client.post(path, data or {}, **extra))

    def _note(self, response):
        request = response.request
        self.seen.append(f"request {request['PATH_INFO']}?{request.get('QUERY_STRING', '')}")
        for url, _status in getattr(response, "redirect_chain", []):
            self.seen.append(f"redirect {url}")
        for header in ("Location", "HX-Redirect", "Refresh", "Content-Location"):
            if header in response:
                self.seen.append(f"{header} {response[header]}")
        if "html" in response.get("Content-Type", "") and not response.streaming:
            html = response.content.decode()
            for title in TITLE.findall(html):
                self.seen.append(f"title {title.strip()}")
            for address in ADDRESS.findall(html):
                self.seen.append(f"address {address}")
        return response


def _code_from_sms() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def _file_online(browser: _Browser) -> Inquiry:
    response = browser.post("/inquiries/new/", {"kind": "transfer"})
    step = response["Location"]  # .../drafts/<uuid>/property/
    base = step.rsplit("/", 2)[0]
    browser.post(
        f"{base}/property/",
        {
            "renovation_code": "۱-۳-۴۵-۱۲-۰-۰-۰",
            "plate_main": "۵۶",
            "plate_sub": "1234",
            "registration_section": "2",
            "address": "ارومیه، خیابان امام، کوچه ۱۲",
            "area_m2": "۱۵۰",
            "land_use": "residential",
            "building_status": "completed",
        },
    )
    browser.post(
        f"{base}/applicant/", {"first_name": "نرگس", "last_name": "احمدی", "relation": "owner"}
    )
    browser.post(
        f"{base}/details/",
        {"transaction_type": "sale", "seller_national_id": NID, "seller_name": "نرگس احمدی"},
    )
    upload = SimpleUploadedFile("deed.png", png_bytes(), content_type="image/png")
    browser.post(f"{base}/documents/", {"kind": "deed", "file": upload})
    browser.post(f"{base}/documents/", {"continue": "1"})
    browser.get(f"{base}/review/")
    response = browser.post(f"{base}/submit/", follow=True)
    assert response.status_code == 200
    return Inquiry.objects.get(applicant_national_id=NID, channel=Channel.WEB)


def test_a_whole_journey_leaves_no_id_or_mobile_in_logs_urls_or_titles(
    every_log_line,
    django_capture_on_commit_callbacks,
    reviewer_d1,
    kiosk_clerk,
    pishkhan_operator,
    pishkhan_office,
):
    logs = every_log_line
    seen: list[str] = []
    sms.outbox.clear()

    # A citizen signs in for the first time, typing Persian digits.
    citizen = _Browser(seen)
    citizen.get("/accounts/citizen/", {"next": "/inquiries/"})
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(
            "/accounts/citizen/",
            {"national_id": to_persian_digits(NID), "mobile": to_persian_digits(MOBILE)},
        )
    assert response.status_code == 302
    citizen.get(response["Location"])
    response = citizen.post("/accounts/citizen/code/", {"code": _code_from_sms()}, follow=True)
    assert response.context["user"].national_id == NID
    citizen.get("/")

    # ... files an inquiry, and strays where citizens may not go.
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _file_online(citizen)
    citizen.get(f"/inquiries/{inquiry.tracking_code}/")
    citizen.get("/inquiries/")
    assert citizen.get("/staff/").status_code == 403
    assert citizen.get("/inquiries/AAAAAAAAA/").status_code == 404

    # A reviewer searches the queue by the national ID, pages, and takes the inquiry.
    reviewer = _Browser(seen, reviewer_d1)
    response = reviewer.post("/staff/", {"q": to_persian_digits(NID), "status": "all"}, follow=True)
    assert [i.pk for i in response.context["page"].object_list] == [inquiry.pk]
    reviewer.get(f"/staff/?{response.context['query']}&page=1")
    reviewer.get(f"/staff/inquiries/{inquiry.tracking_code}/")
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            f"/staff/inquiries/{inquiry.tracking_code}/take/",
            {"version": inquiry.version},
            follow=True,
        )
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.IN_REVIEW

    # An office operator searches the office's queue for the same person.
    at_counter = InquiryFactory(
        applicant=inquiry.filed_by,
        office=pishkhan_office,
        filed_by=pishkhan_operator,
        channel=Channel.COUNTER_OFFICE,
    )
    operator = _Browser(seen, pishkhan_operator)
    response = operator.post(f"/office/{pishkhan_office.pk}/", {"q": NID}, follow=True)
    assert [i.pk for i in response.context["page"].object_list] == [at_counter.pk]

    # The kiosk looks the inquiry up, then binds a new mobile after seeing the ID card.
    kiosk = _Browser(seen, kiosk_clerk)
    response = kiosk.post("/kiosk/lookup/", {"tracking_code": inquiry.tracking_code_display()})
    assert response.context["inquiry"] == inquiry
    with django_capture_on_commit_callbacks(execute=True):
        response = kiosk.post(
            "/kiosk/mobile/",
            {"national_id": NID, "mobile": NEW_MOBILE, "id_card_seen": "on"},
            follow=True,
        )
    assert response.status_code == 200

    # The public tracking page, asked by someone who knows the code and the national ID.
    public = _Browser(seen)
    response = public.post(
        "/track/", {"tracking_code": inquiry.tracking_code, "national_id": to_persian_digits(NID)}
    )
    assert response.context["inquiry"] == inquiry

    # The citizen's session runs out while the answer-PDF box polls.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = citizen.get(
        "/inquiries/answers/1/pdf/status/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/inquiries/{inquiry.tracking_code}/",
    )
    assert "HX-Redirect" in response

    # The capture worked: the refusals on the way were logged, as one line each.
    printed = logs.console.getvalue()
    assert printed.count("permission_denied") == 1 and "user_role=citizen" in printed
    assert printed.count("not_found") == 1
    assert len(seen) > 40

    def leaks(entries):
        return [entry for entry in entries if any(secret in entry for secret in SECRETS)]

    # No URL, link or title holds them.
    assert leaks(seen) == []
    # The code logs none, at any level. Django's template engine is the one exception: at DEBUG it
    # prints a page's whole context for every missing variable (LOGGING keeps it at INFO).
    assert leaks(line for line in logs.raw if not line.startswith("django.template DEBUG")) == []
    # And what the configured handler prints — DEBUG template dumps included — has them masked.
    assert "DEBUG django.template" in printed
    assert leaks(printed.splitlines()) == []
    assert leaks(r.getMessage() for r in logs.caplog.records) == []
