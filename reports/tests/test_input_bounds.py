"""Issue 10, item 9 in the reports: a period outside the plausible range of dates is explained, not
counted (and never reaches the database as the year 1 or 9000)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "period",
    [
        {"date_from": "0001/01/01"},
        {"date_to": "9000/01/01"},
        {"date_from": "1299/12/29", "date_to": "1400/01/01"},
        {"date_from": "১৪০০/০১/০১"},
    ],
)
def test_a_period_outside_the_plausible_range_is_explained_and_nothing_is_counted(
    client_for, ict_admin, period
):
    page = client_for(ict_admin).get("/reports/", period)
    assert page.status_code == 200 and page.context["report"] is None
    errors = page.context["form"].errors
    assert errors and set(errors) <= set(period)
    assert client_for(ict_admin).get("/reports/districts.csv", period).status_code == 400
