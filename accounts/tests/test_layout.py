"""The layout around a kept page, kept in each web process (``accounts/layout.py``): drawn once per
page, language, path and menu, the same page as drawn afresh, and never one reader's name, token,
address or messages for another."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts import layout
from accounts.tests.factories import UserFactory
from counters.tests.factories import OfficeFactory
from inquiries.services.filing import draft_start
from inquiries.workflow import Channel

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb"[A-Za-z0-9]{64}")


@pytest.fixture(autouse=True)
def _kept_layout(settings):
    # The settings fixture's change drops every kept layout, before and after.
    settings.KEPT_LAYOUT = True
    assert layout._kept == {}
    yield


def _drew_the_layout(response) -> bool:
    return "base.html" in [template.name for template in response.templates]


def _same_page(a: bytes, b: bytes) -> bool:
    """The same page but for the CSRF tokens (a new mask on every request)."""
    return TOKEN.sub(b"T", a) == TOKEN.sub(b"T", b)


@pytest.mark.parametrize(
    "who, path",
    [
        ("ict", "/offices/"),
        ("ict", "/offices/{office}/"),
        ("ict", "/offices/scorecards/"),
        ("ict", "/reports/?kind=bank"),
        ("reviewer", "/staff/?status=all"),
        ("operator", "/office/{office}/"),
        ("citizen", "/inquiries/"),
    ],
)
def test_a_kept_layout_gives_the_page_drawn_afresh(
    who, path, ict_admin, reviewer_d1, pishkhan_operator, pishkhan_office, citizen, client_for
):
    reader = {
        "ict": ict_admin,
        "reviewer": reviewer_d1,
        "operator": pishkhan_operator,
        "citizen": citizen,
    }[who]
    if who == "citizen":  # a draft not sent yet, drawn above the kept list
        draft_start(actor=citizen, kind="transfer", channel=Channel.WEB)
    path = path.format(office=pishkhan_office.pk)
    client = client_for(reader)
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert _drew_the_layout(first)
    assert not _drew_the_layout(second)  # the layout kept; only the body is drawn
    with override_settings(KEPT_LAYOUT=False):
        afresh = client.get(path)
    assert _drew_the_layout(afresh)
    assert _same_page(second.content, afresh.content)
    assert _same_page(first.content, afresh.content)


def test_each_reader_gets_their_own_name_token_and_address(client_for, db):
    first = UserFactory(username="ict-first", first_name="مینا", last_name="کاظمی", ict_admin=True)
    second = UserFactory(
        username="ict-second",
        first_name='<b>"سارا"</b>',
        last_name="kept-layout-path-mark",  # a mark in a reader's own text stays text
        ict_admin=True,
    )
    client_for(first).get("/offices/", {"q": "x"})
    client = client_for(second)
    page = client.get("/offices/", {"q": 'x"&<'})
    html = page.content.decode()
    assert not _drew_the_layout(page)
    assert "کاظمی" not in html
    assert "&lt;b&gt;&quot;سارا&quot;&lt;/b&gt; kept-layout-path-mark" in html
    assert 'name="next" type="hidden" value="/offices/?q=x%22%26%3C"' in html
    # Every token on the page is this reader's (the secret in their CSRF cookie).
    secret = client.cookies["csrftoken"].value
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens and all(_unmask_cipher_token(token) == secret for token in tokens)


def test_the_menu_and_the_administration_link_follow_the_reader(ict_admin, manager_d1, client_for):
    client_for(ict_admin).get("/reports/")
    page = client_for(manager_d1).get("/reports/").content.decode()
    assert "/offices/scorecards/" not in page  # the ICT organisation's menu is not the manager's
    assert "/admin/" not in page
    assert "/offices/scorecards/" in client_for(ict_admin).get("/reports/").content.decode()


def test_an_office_page_has_its_own_title_and_a_new_name_shows(ict_admin, client_for):
    one = OfficeFactory(number=601, name="دفتر نخست")
    two = OfficeFactory(number=602, name="دفتر دوم")
    client = client_for(ict_admin)
    assert "<title>دفتر نخست" in client.get(f"/offices/{one.pk}/").content.decode()
    assert "<title>دفتر دوم" in client.get(f"/offices/{two.pk}/").content.decode()
    one.name = "دفتر تازه"
    one.save()
    assert "<title>دفتر تازه" in client.get(f"/offices/{one.pk}/").content.decode()


def test_each_language_has_its_own_layout(ict_admin, client_for):
    client = client_for(ict_admin)
    persian = client.get("/offices/").content.decode()
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english = client.get("/offices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="fa"' in persian and 'dir="rtl"' in persian
    assert 'lang="en"' in english and 'dir="ltr"' in english


def test_a_message_waiting_is_shown_once_on_a_layout_drawn_afresh(ict_admin, client_for):
    client = client_for(ict_admin)
    client.get("/offices/")  # the layout kept
    planted = CookieStorage(HttpRequest())
    planted.add(messages.SUCCESS, "پیام آزمایشی")
    response = HttpResponse()
    planted.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    shown = client.get("/offices/")
    assert _drew_the_layout(shown)
    assert "پیام آزمایشی" in shown.content.decode()
    again = client.get("/offices/")
    assert "پیام آزمایشی" not in again.content.decode()
    assert not _drew_the_layout(again)


def test_never_with_debug_and_bounded(ict_admin, client_for, settings, monkeypatch):
    client = client_for(ict_admin)
    settings.DEBUG = True
    client.get("/offices/")
    assert _drew_the_layout(client.get("/offices/"))
    assert layout._kept == {}
    settings.DEBUG = False
    monkeypatch.setattr(layout, "MOST", 2)
    for path in ("/offices/", "/offices/scorecards/", "/reports/"):
        client.get(path)
    assert len(layout._kept) == 1  # the third dropped the first two


def test_a_citizens_drafts_are_their_own_and_change_at_once(citizen, other_citizen, client_for):
    draft = draft_start(actor=citizen, kind="bank", channel=Channel.WEB)
    first = client_for(citizen)
    link = f"/inquiries/drafts/{draft.pk}/property/"
    # The same list of drafts on a citizen's list and on the page to file an inquiry.
    assert link in first.get("/inquiries/").content.decode()
    assert link in first.get(reverse("inquiries:new")).content.decode()
    other = client_for(other_citizen)
    page = other.get("/inquiries/")
    assert not _drew_the_layout(page)  # the same layout: the citizens' menu
    assert "/inquiries/drafts/" not in page.content.decode()
    draft_start(actor=other_citizen, kind="transfer", channel=Channel.WEB)
    assert "/inquiries/drafts/" in other.get("/inquiries/").content.decode()
