"""Nothing a person types while filing is dropped: a district that is not online, the "back" button
and the step pills keep what was saved and what was typed; letter dates typed on a number pad."""

import datetime as dt

import pytest
from django.utils import translation

from inquiries.models import Inquiry, InquiryDraft
from inquiries.tests.factories import complete_draft
from shahrvand import jalali

pytestmark = pytest.mark.django_db


def _url(draft, step):
    return f"/inquiries/drafts/{draft.pk}/{step}/"


def _property_as_shown(draft) -> dict:
    """The saved property step as the form posts it back."""
    saved = draft.data["property"]
    return {key: "" if value is None else str(value) for key, value in saved.items()}


APPLICANT = {"first_name": "نرگس", "last_name": "احمدی", "relation": "owner"}


# --- a district that does not file online ---------------------------------------------------------


def test_a_district_two_code_on_a_saved_draft_keeps_the_saved_property_step(client_for, citizen):
    draft = complete_draft(citizen)
    saved = dict(draft.data["property"])
    typed = {
        **_property_as_shown(draft),
        "renovation_code": "2-1-1-1-0-0-0",
        "address": "ارومیه، خیابان سرداران، کوچه ۷",
    }
    page = client_for(citizen).post(_url(draft, "property"), typed)
    assert page.status_code == 200
    assert 'data-testid="not-online"' in page.content.decode()
    draft.refresh_from_db()
    assert draft.data["property"] == saved
    assert draft.data["typed"]["property"]["renovation_code"] == "2-1-1-1-0-0-0"
    assert draft.data["typed"]["property"]["address"] == "ارومیه، خیابان سرداران، کوچه ۷"


def test_the_property_step_opened_again_shows_what_was_typed_with_a_notice(client_for, citizen):
    draft = complete_draft(citizen)
    client = client_for(citizen)
    typed = {**_property_as_shown(draft), "renovation_code": "2-1-1-1-0-0-0", "area_m2": "۹۸"}
    client.post(_url(draft, "property"), typed)
    with translation.override("fa"):
        html = client.get(_url(draft, "property")).content.decode()
    assert 'value="2-1-1-1-0-0-0"' in html
    assert 'value="۹۸"' in html
    assert 'value="56"' in html  # the plate that was saved before is still there
    assert "ارومیه، خیابان امام، کوچه ۱۲" in html
    assert 'value="residential" selected' in html
    assert 'data-testid="unsaved"' in html


def test_the_review_sends_the_person_back_to_a_step_with_unsaved_changes(client_for, citizen):
    draft = complete_draft(citizen)
    client = client_for(citizen)
    client.post(
        _url(draft, "property"), {**_property_as_shown(draft), "renovation_code": "2-1-1-1-0-0-0"}
    )
    response = client.get(_url(draft, "review"))
    assert response.status_code == 302
    assert response["Location"] == _url(draft, "property")


def test_a_corrected_code_is_saved_and_the_typed_copy_is_let_go(client_for, citizen):
    draft = complete_draft(citizen)
    client = client_for(citizen)
    shown = _property_as_shown(draft)
    client.post(_url(draft, "property"), {**shown, "renovation_code": "2-1-1-1-0-0-0"})
    response = client.post(
        _url(draft, "property"), {**shown, "renovation_code": "1-3-45-13-0-0-0", "area_m2": "98"}
    )
    assert response["Location"] == _url(draft, "applicant")
    draft.refresh_from_db()
    assert draft.data["property"]["renovation_code"] == "1-3-45-13-0-0-0"
    assert draft.data["property"]["area_m2"] == "98"
    assert "property" not in draft.data["typed"]
    assert client.get(_url(draft, "review")).status_code == 200


def test_a_draft_with_a_district_two_code_typed_is_not_sent_from_an_old_review_tab(
    client_for, citizen
):
    draft = complete_draft(citizen)
    client = client_for(citizen)
    client.post(
        _url(draft, "property"), {**_property_as_shown(draft), "renovation_code": "2-1-1-1-0-0-0"}
    )
    # The saved values are district 1's and complete, but the person's latest typing differs:
    # the send goes back to the step instead of sending what they already changed.
    response = client.post(f"/inquiries/drafts/{draft.pk}/submit/")
    assert response["Location"] == _url(draft, "property")
    assert not Inquiry.objects.exists()


# --- the "back" button and the step pills ----------------------------------------------------------


def test_back_saves_a_step_that_is_complete_and_goes_back(client_for, citizen):
    draft = complete_draft(citizen)
    response = client_for(citizen).post(
        _url(draft, "applicant"), {**APPLICANT, "first_name": "مریم", "go": "property"}
    )
    assert response["Location"] == _url(draft, "property")
    draft.refresh_from_db()
    assert draft.data["applicant"]["first_name"] == "مریم"


def test_back_with_a_mistake_keeps_what_was_typed_and_the_saved_step(client_for, citizen):
    draft = complete_draft(citizen)
    saved = dict(draft.data["applicant"])
    client = client_for(citizen)
    response = client.post(
        _url(draft, "applicant"),
        {"first_name": "مریم", "last_name": "", "relation": "owner", "go": "property"},
    )
    assert response["Location"] == _url(draft, "property")
    draft.refresh_from_db()
    assert draft.data["applicant"] == saved
    assert draft.data["typed"]["applicant"]["first_name"] == "مریم"
    with translation.override("fa"):
        html = client.get(_url(draft, "applicant")).content.decode()
    assert 'value="مریم"' in html
    assert "is-invalid" in html  # the problem shows at once
    assert 'data-testid="unsaved"' in html


def test_a_step_pill_to_a_later_step_saves_the_current_one_first(client_for, citizen):
    draft = complete_draft(citizen)
    shown = _property_as_shown(draft)
    response = client_for(citizen).post(
        _url(draft, "property"), {**shown, "address": "ارومیه، کوچه نهم", "go": "documents"}
    )
    assert response["Location"] == _url(draft, "documents")
    draft.refresh_from_db()
    assert draft.data["property"]["address"] == "ارومیه، کوچه نهم"


def test_leaving_a_new_step_half_typed_keeps_it_for_later(client_for, citizen):
    client = client_for(citizen)
    client.post("/inquiries/new/", {"kind": "bank"})
    draft = InquiryDraft.objects.get(owner=citizen)
    response = client.post(
        _url(draft, "property"), {"renovation_code": "1-3-45-12-0-0-0", "plate_main": "۵۶"}
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert "property" not in draft.data
    assert draft.data["typed"]["property"]["plate_main"] == "۵۶"  # kept as typed
    html = client.get(_url(draft, "property")).content.decode()
    assert 'value="۵۶"' in html


def test_a_go_value_that_is_no_step_means_the_next_step(client_for, citizen):
    draft = complete_draft(citizen)
    response = client_for(citizen).post(
        _url(draft, "applicant"), {**APPLICANT, "go": "//evil.example/"}
    )
    assert response["Location"] == _url(draft, "details")


def test_what_is_kept_as_typed_loses_control_characters_and_is_bounded(client_for, citizen):
    draft = complete_draft(citizen)
    client_for(citizen).post(
        _url(draft, "applicant"),
        {"first_name": "مر\x00یم\u200c", "last_name": "x" * 50_000, "relation": "owner"},
    )
    draft.refresh_from_db()
    typed = draft.data["typed"]["applicant"]
    assert typed["first_name"] == "مریم\u200c"
    assert len(typed["last_name"]) == 4000
    assert set(typed) <= {"first_name", "last_name", "relation", "owner_national_id", "owner_name"}


def test_the_step_page_offers_back_and_the_pills_as_buttons_of_its_form(client_for, citizen):
    draft = complete_draft(citizen)
    html = client_for(citizen).get(_url(draft, "details")).content.decode()
    start = html.index("<form", html.index("data-keep-typed") - 200)
    form = html[start : html.index("</form>", start)]
    assert 'name="go" value="applicant"' in form  # "back"
    assert 'name="go" value="property"' in form  # a pill
    assert "data-keep-typed" in form
    assert "js/keep-typed.js" in html
    # The form's default button (Enter in a field) is "save and continue", not a pill or "back".
    first_button = form[form.index("<button") : form.index(">", form.index("<button"))]
    assert "name=" not in first_button


# --- a letter date typed on a phone's number pad ------------------------------------------------


@pytest.mark.parametrize("separator", ["", " "])
def test_a_bank_letter_date_typed_on_a_number_pad_is_saved(client_for, citizen, separator):
    draft = complete_draft(citizen, kind="bank")
    day = jalali.today() - dt.timedelta(days=3)
    j = jalali.to_jalali(day)
    typed = separator.join([f"{j.year:04d}", f"{j.month:02d}", f"{j.day:02d}"])
    typed = typed.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    details = {**draft.data["details"], "letter_date": typed}
    response = client_for(citizen).post(_url(draft, "details"), details)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["details"]["letter_date"] == day.isoformat()
