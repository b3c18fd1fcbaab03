"""Free text keeps the digits it was typed with, so its searches look for both forms: Latin digits
find Persian ones and the other way round."""

import pytest

from counters.selectors import offices_registry
from counters.tests.factories import OfficeFactory
from inquiries.tests.factories import PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["کوچه 12", "کوچه ۱۲", "كوچه ١٢"])
def test_the_office_registry_finds_an_address_in_either_digits(typed):
    persian = OfficeFactory(address="ارومیه، کوچه ۱۲")
    latin = OfficeFactory(address="ارومیه، کوچه 12")
    OfficeFactory(address="ارومیه، کوچه ۱۳")
    assert set(offices_registry(q=typed)) == {persian, latin}


@pytest.mark.parametrize("typed", ["کوچه 12", "کوچه ۱۲"])
def test_the_admin_search_finds_free_text_in_either_digits(typed, ict_admin, client_for):
    persian = PropertyFactory(address="ارومیه، کوچه ۱۲", renovation_code="1-1-1-1-0-0-0")
    latin = PropertyFactory(address="ارومیه، کوچه 12", renovation_code="1-1-1-2-0-0-0")
    PropertyFactory(address="ارومیه، کوچه ۱۳", renovation_code="1-1-1-3-0-0-0")
    response = client_for(ict_admin).get("/admin/inquiries/property/", {"q": typed})
    assert response.status_code == 200
    found = set(response.context["cl"].queryset)
    assert found == {persian, latin}
