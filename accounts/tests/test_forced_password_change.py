"""The forced 'change your password' page is for people who sign in with a password someone else
chose (staff, operators). A citizen signs in by a code sent by SMS and has no password journey: a
password the ICT admin set on their account does not stand between them and their inquiries."""

import re

import pytest
from django.test import Client

from accounts.services_power import user_set_password_by_admin
from shahrvand import sms

pytestmark = pytest.mark.django_db

GIVEN = "given-by-ict-1405"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()


def _sign_in_by_code(client: Client, citizen, capture) -> None:
    with capture(execute=True):
        sent = client.post(
            "/accounts/citizen/", {"national_id": citizen.national_id, "mobile": citizen.mobile}
        )
    assert sent["Location"] == "/accounts/citizen/code/"
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    done = client.post("/accounts/citizen/code/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/inquiries/"


def test_a_citizen_whose_password_the_ict_admin_set_signs_in_by_code_straight_to_their_inquiries(
    client, citizen, ict_admin, django_capture_on_commit_callbacks
):
    user_set_password_by_admin(actor=ict_admin, user=citizen, raw_password=GIVEN)
    citizen.refresh_from_db()
    assert citizen.must_change_password  # the account still says so: the sign-in decides

    _sign_in_by_code(client, citizen, django_capture_on_commit_callbacks)
    page = client.get("/inquiries/")
    assert page.status_code == 200
    assert client.get("/inquiries/new/").status_code == 200


def test_a_reviewer_whose_password_the_ict_admin_set_still_changes_it_first(
    client, reviewer_d1, ict_admin
):
    user_set_password_by_admin(actor=ict_admin, user=reviewer_d1, raw_password=GIVEN)
    signed_in = client.post(
        "/accounts/login/", {"username": reviewer_d1.username, "password": GIVEN}
    )
    assert signed_in.status_code == 302
    page = client.get("/staff/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/password/")


def test_a_citizen_who_signs_in_with_the_password_someone_else_chose_must_change_it(
    client, citizen, ict_admin, django_capture_on_commit_callbacks
):
    """The rule follows the sign-in, not the kind of account: whoever uses a password another
    person knows replaces it first, even after a sign-in by code in the same browser."""
    user_set_password_by_admin(actor=ict_admin, user=citizen, raw_password=GIVEN)
    _sign_in_by_code(client, citizen, django_capture_on_commit_callbacks)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": citizen.username, "password": GIVEN})
    page = client.get("/inquiries/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/password/")
