"""Issue 10, items 1, 5, 9 and 12 on the offices side: the registry and office searches find nothing
for hostile numbers, a row id the database cannot hold is a form error, training and visit dates
have a plausible range, and a forged row count is refused without building the rows."""

import pytest
from django.urls import reverse
from django.utils import translation

from counters.models import CounterOffice, FindingCategory, OfficeVisit, TrainingSession
from counters.selectors import office_inquiries, offices_registry
from districts.models import District
from inquiries.tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db

HOSTILE_NUMBERS = ["²⁷¹⁸", "①②", "১০১২০", "১০১", "１０１", "𝟏𝟎𝟏", "9" * 5000, "1" * 30]


def _office(number: int, **fields) -> CounterOffice:
    return CounterOffice.objects.create(
        kind=fields.pop("kind", "counter"),
        number=number,
        name=f"دفتر پیشخوان {number}",
        licence=f"L-{number}",
        district=District.objects.get(number=1),
        address="ارومیه، خیابان امام",
        **fields,
    )


def _formset(prefix: str, rows: list[dict], total: int | None = None) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) if total is None else total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def _training(rows, *, date="1403/01/15", total=None) -> dict:
    return {
        "date": date,
        "trainer": "مهندس کاظمی",
        "topic": "بارگذاری درست مدارک",
        **_formset("offices", rows, total),
    }


def _visit(rows, *, date="1403/01/15", total=None) -> dict:
    return {"date": date, "notes": "", **_formset("findings", rows, total)}


# --- item 1: searches -----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", HOSTILE_NUMBERS)
def test_a_hostile_number_in_the_registry_search_finds_nothing(typed):
    _office(101)
    _office(10120)
    assert list(offices_registry(q=typed)) == []


@pytest.mark.parametrize("typed", ["101", "۱۰۱", "١٠١"])
def test_the_registry_still_finds_an_office_by_its_number(typed):
    wanted = _office(101)
    _office(102)
    assert list(offices_registry(q=typed)) == [wanted]


@pytest.mark.parametrize("typed", ["9" * 5000, "²⁷¹⁸", "①"])
def test_the_registry_page_answers_a_hostile_search(client_for, ict_admin, typed):
    _office(101)
    response = client_for(ict_admin).get(reverse("counters:registry"), {"q": typed}, follow=True)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []


@pytest.mark.parametrize("typed", HOSTILE_NUMBERS)
def test_a_hostile_number_in_the_office_queue_search_finds_nothing(
    pishkhan_office, pishkhan_operator, typed
):
    InquiryFactory(office=pishkhan_office, filed_by=pishkhan_operator)
    assert list(office_inquiries(pishkhan_office, q=typed)) == []


# --- item 5: a row id the database cannot hold ---------------------------------------------------


@pytest.mark.parametrize("posted", ["1" * 30, "¹", "١", "-1", "x"])
def test_an_impossible_district_in_the_registry_filter_is_ignored_not_an_error(
    client_for, ict_admin, posted
):
    _office(101)
    response = client_for(ict_admin).get(reverse("counters:registry"), {"district": posted})
    assert response.status_code == 200
    assert response.context["form"].errors["district"]


@pytest.mark.parametrize("posted", ["1" * 30, "9223372036854775808", "²", "١"])
def test_an_impossible_office_id_on_a_training_row_is_a_row_error(client_for, ict_admin, posted):
    response = client_for(ict_admin).post(
        reverse("counters:training_new"), _training([{"office": posted, "people": "2"}])
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["office"]
    assert "مهندس کاظمی" in response.content.decode()  # what was typed is kept
    assert not TrainingSession.objects.exists()


def test_an_impossible_finding_category_is_a_row_error(client_for, ict_admin):
    office = _office(101)
    response = client_for(ict_admin).post(
        reverse("counters:visit_new", args=[office.pk]),
        _visit([{"category": "1" * 30, "description": "اسناد ناخوانا"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["category"]
    assert not OfficeVisit.objects.exists()


@pytest.mark.parametrize("people", ["²", "১", "9" * 5000])
def test_people_in_other_digits_are_refused_with_a_persian_message(client_for, ict_admin, people):
    office = _office(101)
    with translation.override("fa"):
        response = client_for(ict_admin).post(
            reverse("counters:training_new"), _training([{"office": office.pk, "people": people}])
        )
    errors = " ".join(response.context["formset"].forms[0].errors["people"])
    assert "۰ تا ۹" in errors or "طولانی" in errors
    assert not TrainingSession.objects.exists()


# --- item 9: dates ------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["0001/01/01", "1299/12/29", "1500/01/01", "9000/01/01"])
def test_a_training_dated_outside_the_plausible_range_is_refused(client_for, ict_admin, date):
    office = _office(101)
    response = client_for(ict_admin).post(
        reverse("counters:training_new"),
        _training([{"office": office.pk, "people": "2"}], date=date),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not TrainingSession.objects.exists()


@pytest.mark.parametrize("date", ["0001/01/01", "1500/01/01"])
def test_a_visit_dated_outside_the_plausible_range_is_refused(client_for, ict_admin, date):
    office = _office(101)
    response = client_for(ict_admin).post(
        reverse("counters:visit_new", args=[office.pk]), _visit([], date=date)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not OfficeVisit.objects.exists()


# --- item 12: forged row counts -------------------------------------------------------------------


def test_a_forged_million_training_rows_is_refused_with_a_message(client_for, ict_admin):
    office = _office(101)
    with translation.override("fa"):
        response = client_for(ict_admin).post(
            reverse("counters:training_new"),
            _training([{"office": office.pk, "people": "2"}], total=1_000_000),
        )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert "۲۰۰" in " ".join(formset.non_form_errors())
    assert len(formset.forms) <= formset.absolute_max == 200
    assert not TrainingSession.objects.exists()


def test_a_forged_million_finding_rows_is_refused_with_a_message(client_for, ict_admin):
    office = _office(101)
    category = FindingCategory.objects.filter(is_active=True).first()
    response = client_for(ict_admin).post(
        reverse("counters:visit_new", args=[office.pk]),
        _visit([{"category": category.pk, "description": "اسناد ناخوانا"}], total=1_000_000),
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.non_form_errors()
    assert len(formset.forms) <= formset.absolute_max == 50
    assert not OfficeVisit.objects.exists()
