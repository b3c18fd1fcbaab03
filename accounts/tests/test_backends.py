"""``accounts.backends.UserBackend``: the signed-in person read with SQL built once, the same
person Django's backend would read; sessions opened by Django's backend before still read; a wrong
password checked once, not once per backend."""

from unittest import mock

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import backends
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def test_a_password_sign_in_is_recorded_under_the_backend_and_read_on_the_next_request(client):
    user = UserFactory(username="reviewer1", first_name="نسرین", last_name="کاظمی")
    client.post(LOGIN, {"username": "reviewer1", "password": "secret-pass-1401"})
    assert client.session[BACKEND_SESSION_KEY] == backends.PATH
    assert client.session[SESSION_KEY] == str(user.pk)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "کاظمی" in html
    user_reads = [q for q in queries if '"accounts_user"."password"' in q["sql"]]
    assert len(user_reads) == 1


def test_a_session_opened_by_djangos_backend_before_still_reads(reviewer_d1):
    client = Client()
    client.force_login(reviewer_d1, backend=backends.LEGACY)
    assert client.session[BACKEND_SESSION_KEY] == backends.LEGACY
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("username", ["reviewer1", "nobody-by-this-name"])
def test_a_wrong_password_is_checked_once_and_refused(client, username):
    UserFactory(username="reviewer1")
    User = get_user_model()
    with (
        mock.patch.object(User, "check_password", autospec=True, return_value=False) as checked,
        mock.patch.object(User, "set_password", autospec=True) as hashed,
    ):
        response = client.post(LOGIN, {"username": username, "password": "nope"})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    # The user's own hash checked, or (for a name nobody has) one made up to take as long: once.
    assert checked.call_count + hashed.call_count == 1


def test_the_person_read_is_the_one_djangos_backend_reads():
    user = UserFactory(national_id="0012345679", mobile="09121234567")
    fast, django_own = backends.UserBackend().get_user(user.pk), ModelBackend().get_user(user.pk)
    assert fast is not None
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(fast, field.attname) == getattr(django_own, field.attname), field.name
    assert fast.get_session_auth_hash() == django_own.get_session_auth_hash()


@pytest.mark.parametrize("user_id", [-1, 2_147_483_647, 2**40, "abc", None])
def test_no_one_for_an_id_nobody_has(user_id):
    assert backends.UserBackend().get_user(user_id) is None


def test_an_inactive_account_is_no_one():
    user = UserFactory(is_active=False)
    assert backends.UserBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(user.pk) is None
