"""The dues lines of the answer form: as many as needed (up to the formset's bound), a free row
even when correcting an answer whose rows are all used, and the page's script for adding rows."""

import pytest

from inquiries import services
from inquiries.forms_staff import DueFormSet
from inquiries.models import Answer, Inquiry
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(citizen, reviewer_d1):
    return services.inquiry_review_start(
        actor=reviewer_d1, inquiry=InquiryFactory(applicant=citizen)
    )


def _url(inquiry) -> str:
    return f"/staff/inquiries/{inquiry.tracking_code}/answer/"


def _post(inquiry, lines: list[tuple[str, str]], total: int | None = None) -> dict:
    data = {
        "version": Inquiry.objects.get(pk=inquiry.pk).version,
        "decision": "violations",
        "building_status": "completed",
        "certificate_type": "none",
        "land_use_plan": "residential",
        "road_widening": "not_affected",
        "dues-TOTAL_FORMS": str(len(lines) if total is None else total),
        "dues-INITIAL_FORMS": "0",
    }
    for index, (title, amount) in enumerate(lines):
        data[f"dues-{index}-title"] = title
        data[f"dues-{index}-amount_rials"] = amount
    return data


def test_five_dues_lines_are_saved_in_order(client_for, reviewer_d1, taken):
    lines = [(f"عوارض {n}", f"{n}۰۰۰") for n in range(1, 6)]
    response = client_for(reviewer_d1).post(_url(taken), _post(taken, lines))
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert [(d.title, d.amount_rials) for d in answer.dues.order_by("pk")] == [
        (f"عوارض {n}", n * 1000) for n in range(1, 6)
    ]


def test_a_new_answer_offers_three_rows(client_for, reviewer_d1, taken):
    response = client_for(reviewer_d1).get(_url(taken))
    assert len(response.context["formset"].forms) == 3
    # Three rows on the page, and one more in the <template> the script copies to add a row.
    assert response.content.decode().count("data-due-row") == 3 + 1


def test_correcting_a_three_line_answer_offers_a_free_row(client_for, reviewer_d1, taken):
    client = client_for(reviewer_d1)
    lines = [("عوارض نوسازی", "1000"), ("عوارض پسماند", "2000"), ("عوارض کسب", "3000")]
    assert client.post(_url(taken), _post(taken, lines)).status_code == 302
    response = client.get(_url(taken))
    formset = response.context["formset"]
    assert len(formset.forms) == 4
    assert [f.initial for f in formset.forms[:3]] == [
        {"title": t, "amount_rials": int(a)} for t, a in lines
    ]
    assert not formset.forms[3].initial


def test_the_rows_stay_bounded_by_the_formsets_maximum(client_for, reviewer_d1, taken):
    assert DueFormSet.max_num == DueFormSet.absolute_max == 20
    lines = [(f"عوارض {n}", "1000") for n in range(21)]
    response = client_for(reviewer_d1).post(_url(taken), _post(taken, lines))
    assert response.status_code == 200
    assert "۲۰" in " ".join(response.context["formset"].non_form_errors())
    assert not Answer.objects.exists()
    twenty = client_for(reviewer_d1).post(_url(taken), _post(taken, lines[:20]))
    assert twenty.status_code == 302
    assert Answer.objects.get().dues.count() == 20


def test_the_answer_form_loads_the_dues_script_and_its_row_template(client_for, reviewer_d1, taken):
    html = client_for(reviewer_d1).get(_url(taken)).content.decode()
    assert "js/dues.js" in html and "defer" in html
    assert "<template data-dues-template>" in html
    assert 'name="dues-__prefix__-title"' in html
    assert 'data-dues-max="20"' in html
    assert 'data-dues-limit="99999999000"' in html
    # No inline script: the page's content security policy allows only files.
    body = html[html.index("<main") :]
    assert "<script>" not in body
    assert 'inputmode="numeric"' in html
