"""Logs: national IDs and mobiles are masked whatever logged them, and a refusal is one line."""

from __future__ import annotations

import io
import logging
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings

from shahrvand.logging import IdentifierMaskFilter, mask_identifiers

NID, MOBILE = "0013542419", "09121234567"
NID_FA = "۰۰۱۳۵۴۲۴۱۹"


def _record(msg, *args, exc_info=None, name="test") -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args or None, exc_info)


def _masked(record: logging.LogRecord) -> str:
    assert IdentifierMaskFilter().filter(record) is True
    return logging.Formatter("%(message)s").format(record)


@pytest.mark.parametrize(
    "text",
    [
        f"GET /staff/?q={NID} HTTP/1.1",
        f"search for {NID_FA}",
        "GET /staff/?q=%DB%B0%DB%B0%DB%B1%DB%B3%DB%B5%DB%B4%DB%B2%DB%B4%DB%B1%DB%B9 HTTP/1.1",
        "Forbidden: /x/\\u06f0\\u06f0\\u06f1\\u06f3\\u06f5\\u06f4\\u06f2\\u06f4\\u06f1\\u06f9/",
        "full-width ００１３５４２４１９",
        f"SMS to {MOBILE}",
        "SMS to +989121234567",
        "SMS to 00989121234567",
        "SMS to ۰۹۱۲۱۲۳۴۵۶۷",
    ],
)
def test_ids_and_mobiles_are_masked_in_every_spelling(text):
    masked = mask_identifiers(text)
    assert "*" * 10 in masked
    for kept in ("GET", "search", "SMS", "Forbidden", "full-width"):
        if kept in text:
            assert kept in masked


def test_other_numbers_are_left_alone():
    text = "answer 12345 took 1402 ms; bill 1234567890123, amount 12345678901"
    assert mask_identifiers(text) == text


def test_the_filter_masks_the_message_and_its_args():
    assert NID not in _masked(_record(f"looked up {NID}"))
    out = _masked(_record("user %s mobile %s at %s", NID, MOBILE, "/staff/"))
    assert NID not in out and MOBILE not in out
    assert out == "user ********** mobile *********** at /staff/"


def test_the_filter_masks_an_id_split_across_arguments():
    assert "*" * 10 in _masked(_record("%s%s", NID[:5], NID[5:]))


def test_the_filter_masks_mapping_args_read_on_their_own():
    # gunicorn's access log passes its atoms as one mapping.
    record = _record("%(r)s %(s)s", {"r": "GET /x/ HTTP/1.1", "s": "200", "q": f"q={NID}"})
    IdentifierMaskFilter().filter(record)
    assert record.args["q"] == "q=**********"


def test_the_filter_masks_a_traceback():
    try:
        raise ValueError(f"no citizen {NID}")
    except ValueError:
        record = _record("failed", exc_info=sys.exc_info())
    out = _masked(record)
    assert "Traceback" in out and "ValueError" in out and NID not in out


def test_a_record_that_cannot_be_formatted_does_not_raise():
    record = _record("%s %s", NID)  # one argument short
    assert IdentifierMaskFilter().filter(record) is True
    assert NID not in record.getMessage()


def test_every_configured_handler_masks_and_drops_logged_refusals():
    for name, handler in settings.LOGGING["handlers"].items():
        assert {"mask_identifiers", "drop_logged_refusals"} <= set(handler.get("filters", ())), name


@contextmanager
def _console() -> io.StringIO:
    """What the configured console handler (root's, also runserver's) writes, at INFO."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, IdentifierMaskFilter) for f in h.filters)
    )
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        handler.setStream(old_stream)
        root.setLevel(old_level)


def test_the_runserver_access_log_goes_through_the_masks():
    server = logging.getLogger("django.server")
    assert any(isinstance(f, IdentifierMaskFilter) for h in server.handlers for f in h.filters)
    with _console() as out:
        server.info('"%s" %s %s', f"GET /staff/?q={NID} HTTP/1.1", "200", "5120")
    assert "GET /staff/?q=********** HTTP/1.1" in out.getvalue()


def test_django_loggers_print_through_one_handler_only():
    # Django's default configuration gives "django" a console handler of its own, which made every
    # django.request line (a 403's traceback included) come out twice.
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django.request").handlers == []
    with _console() as out:
        logging.getLogger("django.request").warning("one line")
    assert out.getvalue().count("one line") == 1


# --- Refusals: one structured line each -----------------------------------------------------------


def _lines(out: io.StringIO) -> list[str]:
    """The lines written, apart from the access line every request has (test_requestlog.py)."""
    return [
        line
        for line in out.getvalue().splitlines()
        if line.strip() and " shahrvand.access " not in line
    ]


def test_a_403_is_logged_once_as_one_line_without_traceback(client_for, citizen):
    with _console() as out:
        response = client_for(citizen).get("/staff/")
    assert response.status_code == 403
    lines = _lines(out)
    assert len(lines) == 1, lines
    assert "WARNING shahrvand.security permission_denied method=GET path=/staff/" in lines[0]
    assert f"user_id={citizen.pk} user_role=citizen status=403" in lines[0]
    assert citizen.national_id not in lines[0] and citizen.mobile not in lines[0]
    assert "Traceback" not in out.getvalue()
    assert "403.html" in [template.name for template in response.templates]


def test_a_403_names_staff_by_their_role(client_for, kiosk_clerk):
    with _console() as out:
        assert client_for(kiosk_clerk).get("/staff/").status_code == 403
    assert "user_role=kiosk status=403" in out.getvalue()


def test_a_403_on_a_post_is_one_line_too(client_for, reviewer_d1):
    with _console() as out:
        assert client_for(reviewer_d1).post("/offices/import/").status_code == 403
    lines = _lines(out)
    assert len(lines) == 1 and "method=POST path=/offices/import/" in lines[0]
    assert "user_role=reviewer" in lines[0]


def test_a_404_is_one_line_without_traceback(client_for, citizen):
    with _console() as out:
        response = client_for(citizen).get("/inquiries/AAAAAAAAA/")
    assert response.status_code == 404
    lines = _lines(out)
    assert len(lines) == 1, lines
    assert "not_found method=GET path=/inquiries/AAAAAAAAA/" in lines[0]
    assert "user_role=citizen status=404" in lines[0]


def test_an_id_in_a_refused_path_is_masked(client):
    with _console() as out:
        assert client.get(f"/inquiries/{NID}/x/").status_code == 404
    assert NID not in out.getvalue()
    assert "path=/inquiries/**********/x/" in out.getvalue()
    assert "user_role=anonymous" in out.getvalue()


def test_a_suspicious_request_is_one_line_naming_its_kind_only(client):
    with _console() as out:
        response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    lines = _lines(out)
    assert len(lines) == 1, lines
    assert "bad_request method=GET path=/ user_id=- user_role=anonymous status=400" in lines[0]
    assert "detail=DisallowedHost" in lines[0]
    assert "evil.example" not in out.getvalue() and "Traceback" not in out.getvalue()


def test_a_crafted_path_cannot_forge_a_log_line(client):
    with _console() as out:
        client.get("/nothing%0A2024-01-01 WARNING forged/")
    assert len(_lines(out)) == 1
