"""A person is never named on screen, in a page title or in the admin by national ID or mobile."""

from __future__ import annotations

import re

import pytest

from accounts.models import SignInCode
from accounts.tests.factories import CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db


def _navbar_name(html: str) -> str:
    return re.search(r'data-testid="signed-in-as">([^<]*)<', html).group(1)


@pytest.fixture
def nameless_citizen(db):
    # Signed in by SMS code for the first time: no name on file, username = national ID.
    return CitizenFactory(first_name="", last_name="")


def test_a_nameless_citizen_is_shown_as_citizen_in_the_navbar(client_for, nameless_citizen):
    html = client_for(nameless_citizen).get("/inquiries/").content.decode()
    assert _navbar_name(html) == "شهروند"
    assert nameless_citizen.national_id not in html
    assert nameless_citizen.mobile not in html


def test_a_citizen_with_a_name_is_shown_by_name(client_for, citizen):
    html = client_for(citizen).get("/").content.decode()
    assert _navbar_name(html) == "نرگس احمدی"


def test_staff_without_a_name_are_shown_by_username(client_for):
    user = UserFactory(username="reviewer-x", first_name="", last_name="")
    assert user.display_name == str(user) == "reviewer-x"


def test_str_of_a_nameless_citizen_has_no_national_id(nameless_citizen):
    text = str(nameless_citizen)
    assert nameless_citizen.national_id not in text
    assert text == f"Citizen #{nameless_citizen.pk}" or text == f"شهروند #{nameless_citizen.pk}"


def test_a_username_of_digits_is_never_shown(client_for):
    user = UserFactory(username="09121234567", first_name="", last_name="")
    assert "09121234567" not in user.display_name and "09121234567" not in str(user)


def test_a_sign_in_attempt_is_not_named_by_national_id(nameless_citizen):
    from django.utils import timezone

    attempt = SignInCode.objects.create(
        national_id=nameless_citizen.national_id,
        mobile=nameless_citizen.mobile,
        code_hash="x",
        expires_at=timezone.now(),
    )
    assert nameless_citizen.national_id not in str(attempt)
