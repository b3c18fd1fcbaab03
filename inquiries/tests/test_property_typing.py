"""The property step takes what people really type: a comma as a decimal mark in the area, dashes of
every kind in the renovation code; and it guesses nothing — the building status has no default."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from inquiries.forms import PropertyForm
from inquiries.property_codes import renovation_code_parse
from inquiries.tests.factories import complete_draft

pytestmark = pytest.mark.django_db

PROPERTY = {
    "renovation_code": "1-3-45-12-0-0-0",
    "plate_main": "۱۲",
    "registration_section": "2",
    "address": "ارومیه، خیابان امام",
    "area_m2": "100",
    "land_use": "residential",
    "building_status": "completed",
}


def _form(**changes) -> PropertyForm:
    return PropertyForm({**PROPERTY, **changes})


@pytest.mark.parametrize(
    ("typed", "area"),
    [
        ("۹۵,۵", Decimal("95.5")),
        ("۹۵٫۵", Decimal("95.5")),
        ("95.5", Decimal("95.5")),
        ("۹۵،۵", Decimal("95.5")),
        ("95/5", Decimal("95.5")),
        ("1,500", Decimal("1500")),
        ("12,345.5", Decimal("12345.5")),
    ],
)
def test_the_area_reads_a_comma_as_a_decimal_mark_or_a_thousands_separator(typed, area):
    form = _form(area_m2=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["area_m2"] == area


@pytest.mark.parametrize("typed", ["1,5,3", "95,5555", "9,5.5"])
def test_an_area_whose_comma_cannot_be_read_is_refused_not_guessed(typed):
    with translation.override("fa"):
        form = _form(area_m2=typed)
        assert not form.is_valid() and "area_m2" in form.errors


@pytest.mark.parametrize(
    "typed", ["1–3–45–12–0–0–0", "۱—۳—۴۵—۱۲—۰—۰—۰", "1−3−45−12−0−0−0", "1‑3‑45‑12‑0‑0‑0"]
)
def test_a_renovation_code_with_en_dashes_or_other_dashes_is_accepted(typed):
    assert str(renovation_code_parse(typed)) == "1-3-45-12-0-0-0"
    form = _form(renovation_code=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["renovation_code"] == "1-3-45-12-0-0-0"


def test_the_building_status_has_no_default_and_must_be_chosen(client_for, citizen):
    draft = complete_draft(citizen)
    client = client_for(citizen)
    draft.data.pop("property", None)
    draft.save(update_fields=["data"])
    html = client.get(f"/inquiries/drafts/{draft.pk}/property/").content.decode()
    select = re.search(r'<select name="building_status".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="" selected>', select)
    page = client.post(
        f"/inquiries/drafts/{draft.pk}/property/", {**PROPERTY, "building_status": ""}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "وضعیت ساختمان را انتخاب کنید" in html
    assert 'value="ارومیه، خیابان امام"' in html or "ارومیه، خیابان امام</textarea>" in html
