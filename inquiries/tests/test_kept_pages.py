"""The home page and /verify/ are kept rendered for visitors who are not signed in
(``shahrvand/kept_pages.py``): served again without reading the districts, each visitor with a CSRF
token of their own that a form accepts, rendered again once a district or a kiosk changes, and
never served to anyone signed in or with a message waiting."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from districts.models import District, HelpKiosk
from shahrvand import kept_pages
from shahrvand.tests.shared_cache import needs_redis, shared_cache

pytestmark = [pytest.mark.django_db, *needs_redis]

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _shared_cache():
    kept_pages.forget_all()
    with shared_cache():
        yield
    kept_pages.forget_all()


def _district_reads(queries) -> int:
    return sum('"districts_district"' in q["sql"] for q in queries)


def test_a_visitor_gets_the_kept_home_page_without_a_district_read():
    first = Client().get("/")
    with CaptureQueriesContext(connection) as again:
        second = Client().get("/")
    assert first.status_code == second.status_code == 200
    assert _district_reads(again) == 0
    assert District.objects.get(number=1).name.encode() in second.content


@pytest.mark.parametrize("method", ["head", "post", "put"])
def test_other_methods_get_the_views_own_answer_kept_or_not(method):
    """The kept copy answers GET only: anything else gets what the view says, before and after."""
    before = getattr(Client(), method)("/").status_code
    Client().get("/")  # kept now
    after = getattr(Client(), method)("/").status_code
    assert before == after == 405


def test_each_visitor_gets_a_token_of_their_own_that_the_form_accepts():
    Client().get("/verify/")  # kept now
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/verify/")
    assert kept_pages.CSRF_MARK not in page.content
    token = TOKEN.search(page.content).group(1).decode()
    assert "csrftoken" in page.cookies  # the cookie the token belongs to
    posted = visitor.post("/verify/", {"code": "AB12CD34EF", "csrfmiddlewaretoken": token})
    assert posted.status_code == 302  # to the verdict, not 403

    other = Client().get("/verify/")
    assert TOKEN.search(other.content).group(1).decode() != token


def test_a_district_or_kiosk_change_renders_the_page_again(django_capture_on_commit_callbacks):
    Client().get("/")
    district = District.objects.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        district.name = "ناحیه نو"
        district.save()
    assert "ناحیه نو".encode() in Client().get("/").content

    with django_capture_on_commit_callbacks(execute=True):
        HelpKiosk.objects.create(
            district=district, name="باجه تازه", location="طبقه اول", hours="۸ تا ۱۴"
        )
    assert "طبقه اول".encode() in Client().get("/").content


def test_someone_signed_in_never_gets_the_visitors_page(citizen, client_for):
    sign_out = reverse("accounts:logout").encode()
    assert sign_out not in Client().get("/").content
    assert sign_out in client_for(citizen).get("/").content
    with CaptureQueriesContext(connection) as queries:
        client_for(citizen).get("/")
    assert _district_reads(queries) > 0  # rendered


def test_a_waiting_message_is_shown_not_skipped():
    Client().get("/")
    visitor = Client()
    waiting = [Message(messages.SUCCESS, "پیام آزمایشی")]
    visitor.cookies[CookieStorage.cookie_name] = CookieStorage(HttpRequest())._encode(waiting)
    assert "پیام آزمایشی".encode() in visitor.get("/").content


def test_a_query_string_is_rendered_not_kept():
    Client().get("/")
    with CaptureQueriesContext(connection) as queries:
        Client().get("/?utm=x")
    assert _district_reads(queries) > 0  # rendered


def test_without_a_shared_cache_the_page_is_rendered_every_time(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    Client().get("/")
    with CaptureQueriesContext(connection) as queries:
        page = Client().get("/")
    assert _district_reads(queries) > 0  # rendered
    assert kept_pages.CSRF_MARK not in page.content
