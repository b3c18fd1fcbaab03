import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_the_five_districts_in_persian(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa" dir="rtl"' in html
    for name in ["منطقه یک", "منطقه دو", "منطقه سه", "منطقه چهار", "منطقه پنج"]:
        assert name in html
    assert "bootstrap.rtl.min.css" in html


def test_home_says_district_2_is_not_online_and_where_to_go(client):
    html = client.get("/").content.decode()
    card = html.split('data-district="2"', 1)[1].split("</article>", 1)[0]
    assert "هنوز برخط نشده" in card
    assert "ساختمان شهرداری منطقه دو" in card
    card1 = html.split('data-district="1"', 1)[1].split("</article>", 1)[0]
    assert "۲۰ مهر ۱۳۹۹" in card1


def test_home_ignores_browser_language_but_honours_the_switcher(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="fa"' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert "Urban-planning inquiries, online" in html
    assert "bootstrap.min.css" in html


def test_every_home_link_resolves(client):
    import re

    html = client.get("/").content.decode()
    for href in set(re.findall(r'href="(/[^"]*)"', html)):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code in (200, 302), href


def test_healthz_ok_in_the_embedded_default(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "eager"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_503_names_the_broker_when_it_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Nothing listens on port 1 of loopback: the broker is "down".
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.skipif(
    not __import__("os").environ.get("CELERY_BROKER_URL"), reason="needs a real broker (.ci/run)"
)
def test_healthz_200_with_a_real_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_503_names_the_database_when_it_is_down(client, monkeypatch):
    from shahrvand import views

    def broken():
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(views, "_database_status", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


@pytest.mark.parametrize(
    ("signed_in", "urls"), [(False, ["/"]), (True, ["/", "/inquiries/", "/verify/"])]
)
def test_with_the_database_down_people_get_the_persian_error_page_and_no_trace(
    client, citizen, monkeypatch, signed_in, urls
):
    """PostgreSQL unreachable: every connection attempt fails. The page is the static Persian
    error page (it needs no database), with no traceback or setting in it."""
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper

    if signed_in:
        client.force_login(citizen)
    from django.db import connection

    connection.close()

    def refuse(self):
        raise OperationalError("could not connect to server: Connection refused (port 5432)")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    client.raise_request_exception = False
    for url in urls:  # pages that read the database (a signed-in person's session is there too)
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 500, url
        assert "خطایی در سامانه رخ داد" in body
        assert "Traceback" not in body and "5432" not in body and "OperationalError" not in body
