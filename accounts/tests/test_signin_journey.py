"""Small things a newcomer met while signing in: asking for a new code keeps what they typed, and
the main buttons are the portal's green like every other main button."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def test_asking_for_a_new_code_returns_to_the_form_with_the_id_and_mobile_filled_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/accounts/citizen/", {"national_id": "۰۰۱۲۳۴۵۶۷۹", "mobile": "0912 000 0001"}
        )
    assert sent["Location"] == "/accounts/citizen/code/"
    code_page = client.get("/accounts/citizen/code/").content.decode()
    new_code = re.search(r'<a href="([^"]+)">درخواست کد جدید</a>', code_page)
    assert new_code
    form = client.get(new_code.group(1)).content.decode()
    assert _value(form, "national_id") == "0012345679"
    assert _value(form, "mobile") == "09120000001"


@pytest.mark.parametrize("url", ["/accounts/citizen/", "/accounts/login/"])
def test_the_sign_in_button_is_the_green_main_button(client, url):
    html = client.get(url).content.decode()
    button = re.search(r'<input type="submit"[^>]*class="([^"]*)"', html)
    assert button and "btn-brand" in button.group(1).split()
    assert "btn-primary" not in button.group(1)
