import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def test_staff_sign_in_with_username_and_password(client):
    UserFactory(username="reviewer1")
    response = client.post(LOGIN, {"username": "reviewer1", "password": "secret-pass-1401"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "reviewer1" in client.get("/").content.decode() or client.session["_auth_user_id"]


def test_wrong_password_gets_a_persian_message_and_keeps_the_username(client):
    UserFactory(username="reviewer1")
    response = client.post(LOGIN, {"username": "reviewer1", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "نام کاربری یا گذرواژه" in html
    assert 'value="reviewer1"' in html
    assert "_auth_user_id" not in client.session


def test_repeated_failures_pause_the_account_even_for_the_right_password(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="reviewer1")
    for _ in range(3):
        client.post(LOGIN, {"username": "reviewer1", "password": "nope"})
    response = client.post(LOGIN, {"username": "reviewer1", "password": "secret-pass-1401"})
    assert "_auth_user_id" not in client.session
    assert "۱۵ دقیقه" in response.content.decode()


def test_a_pause_for_one_username_does_not_block_another(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    UserFactory(username="reviewer1")
    UserFactory(username="reviewer3")
    for _ in range(3):
        client.post(LOGIN, {"username": "reviewer1", "password": "nope"})
    client.post(LOGIN, {"username": "reviewer3", "password": "secret-pass-1401"})
    assert client.session["_auth_user_id"]


def test_username_typed_with_persian_digits_is_normalised(client):
    UserFactory(username="op79")
    client.post(LOGIN, {"username": "op۷۹", "password": "secret-pass-1401"})
    assert client.session["_auth_user_id"]


def test_sign_out_only_by_post(client_for, citizen):
    client = client_for(citizen)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_signed_in_name_shows_in_header(client_for, reviewer_d1):
    html = client_for(reviewer_d1).get("/").content.decode()
    assert reviewer_d1.display_name in html
    assert "خروج" in html
