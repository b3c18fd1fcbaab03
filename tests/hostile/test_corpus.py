"""The hostile corpus itself: large enough, the same on every run, covering every class the issue
names, every form used by a test; and the checks that read the responses catch what they must."""

from __future__ import annotations

import re
from pathlib import Path

from django.http import HttpResponse, HttpResponseRedirect

from . import corpus, inventory
from .files import UPLOAD_TARGETS, hostile_csvs, hostile_documents
from .harness import Form, Report, check, error_texts, is_persian

HERE = Path(__file__).parent


def generated_inputs() -> dict[str, int]:
    counts = inventory.count_field_inputs()
    counts["uploads"] = len(hostile_documents()) * len(UPLOAD_TARGETS) + len(hostile_csvs()) + 1
    counts["id-paths"] = len(inventory.ID_PATHS) * len(inventory.ID_VALUES)
    return counts


def test_the_generated_corpus_has_at_least_a_thousand_inputs():
    counts = generated_inputs()
    total = sum(counts.values())
    print(f"{total} generated hostile inputs over {len(counts)} forms and uploads")
    assert total >= 1000, counts


def test_the_corpus_is_the_same_on_every_run():
    first = [corpus.cases_for(f"key:{n}", "text") for n in range(5)]
    again = [corpus.cases_for(f"key:{n}", "text") for n in range(5)]
    assert first == again
    assert corpus.random_cases("a") != corpus.random_cases("b")


def test_the_corpus_holds_every_class_the_issue_names():
    values = {
        case.value
        for key, fields in inventory.FORMS.items()
        for name in fields
        for case in inventory.field_cases(key, name)
    }
    texts = [value for value in values if isinstance(value, str)]
    wanted = {
        "superscript": "¹²³",
        "circled": "①",
        "superscript e": "²⁷¹⁸²⁸¹⁸²⁸",
        "5,000 digits": corpus.FIVE_THOUSAND_DIGITS,
        "30-digit id": corpus.THIRTY_DIGITS,
        "negative": "-5",
        "dues of 100,000,000,000": "100000000000",
        "100 KB": corpus.HUNDRED_KB,
        "script": corpus.SCRIPT_TAG,
        "img onerror": corpus.IMG_ONERROR,
        "0001/01/01": "0001/01/01",
        "9999/12/31": "9999/12/31",
        "1401/13/40": "1401/13/40",
        "empty": "",
    }
    assert [label for label, value in wanted.items() if value not in values] == []
    for script in ("bengali", "devanagari", "fullwidth", "math-bold"):
        assert any(ch in text for text in texts for ch in corpus.SCRIPTS[script][1:]), script
    for char in "\x00\x01\u202e\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff":
        assert any(char in text for text in texts), repr(char)
    assert any(isinstance(value, bytes) for value in values), "invalid UTF-8 in a multipart field"
    assert any(len(text) >= 100_000 for text in map(str.encode, texts)), "100 KB"
    labels = {f.label for f in hostile_documents()} | {f.label for f in hostile_csvs()}
    for label in (
        "tiny-15-byte-pdf",
        "pdf-zip-polyglot",
        "pdf-html-polyglot",
        "pdf-javascript-open-action",
        "png-bytes-named-pdf",
        "zero-bytes",
        "cr-only-line-endings",
        "stray-cr-in-field",
        "field-over-128kb",
        "nul-in-field",
        "latin-1-uebung",
    ):
        assert label in labels


def test_every_form_of_the_inventory_is_attacked_by_a_test():
    sources = "\n".join(path.read_text() for path in HERE.glob("test_*.py"))
    used = set(re.findall(r'key="([a-z0-9-]+)"', sources))
    assert sorted(set(inventory.FORMS) - used) == []


# --- The checks ------------------------------------------------------------------------------------


def _form(**kw) -> Form:
    defaults = {
        "key": "citizen-signin",
        "persona": "test",
        "client": None,
        "url": "/x/",
        "data": {"national_id": "0013542419", "mobile": "09141234567"},
        "keep": ("mobile",),
    }
    return Form(**{**defaults, **kw})


def _run(response, name="national_id", **kw) -> list[str]:
    report = Report()
    check(report, _form(**kw), name, corpus.Case("t", "x"), response, refusal_needed=True)
    return [failure.problem for failure in report.failures]


def _page(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(f"<html><body>{body}</body></html>", status=status)


ERROR = '<div class="invalid-feedback"><strong>کد ملی درست نیست.</strong></div>'


def test_a_refusal_in_persian_that_keeps_the_other_field_passes():
    assert _run(_page(f'{ERROR}<input value="09141234567">')) == []
    assert _run(HttpResponseRedirect("/next/")) == []


def test_the_checks_catch_a_server_error_an_unescaped_script_and_a_silent_refusal():
    assert "(no exception recorded)" in _run(HttpResponse(status=500))[0]
    assert "unescaped" in _run(_page(f"{ERROR}<script>alert(1)</script> 09141234567"))[0]
    assert _run(_page('<input value="09141234567">')) == [
        "refused without an error message on the page"
    ]


def test_the_checks_catch_english_messages_and_lost_input():
    english = '<ul class="errorlist"><li>Enter a valid value.</li></ul>'
    assert "not in Persian" in _run(_page(f'{english}<input value="09141234567">'))[0]
    assert "was lost" in _run(_page(ERROR))[0]
    assert "without Persian" in _run(_page("<h1>Bad Request (400)</h1>", status=400))[0]


def test_error_messages_are_found_in_every_way_the_templates_write_them():
    html = (
        '<div class="invalid-feedback"><p><strong>یک</strong></p></div>'
        '<div class="alert alert-danger">دو <b>سه</b></div>'
        '<div class="col-12 text-danger small">چهار</div>'
        '<span class="text-danger">not an error</span>'
        '<summary class="fw-medium text-danger">not an error</summary>'
    )
    assert error_texts(html) == ["یک", "دو سه", "چهار"]
    assert is_persian("شماره") and not is_persian("Enter 12 ۱۲")
