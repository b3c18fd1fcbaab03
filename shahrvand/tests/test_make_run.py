"""`make run` serves the site as people see it (DEBUG off, the Persian error pages, static files by
WhiteNoise, SMS and QR links on the port it serves); `make dev` keeps Django's debug pages."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(*args: str) -> str:
    done = subprocess.run(
        ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def _serve_line(output: str) -> str:
    return next(line for line in output.splitlines() if "runserver" in line)


@needs_make
def test_make_run_serves_with_debug_off_and_the_site_url_of_its_port():
    output = _dry_run("run", "HOST=127.0.0.1", "PORT=8010")
    line = _serve_line(output)
    assert "DEBUG=0" in line and "SITE_URL=http://127.0.0.1:8010" in line
    assert line.rstrip().endswith("runserver 127.0.0.1:8010")
    assert output.index("collectstatic") < output.index(line), "static files gathered first"


@needs_make
def test_make_dev_keeps_the_debug_pages():
    line = _serve_line(_dry_run("dev", "PORT=8020"))
    assert "DEBUG=1" in line and "SITE_URL=http://127.0.0.1:8020" in line


@needs_make
def test_a_site_url_given_by_hand_wins_over_host_and_port():
    line = _serve_line(_dry_run("run", "PORT=8010", "SITE_URL=https://shahrvand.example"))
    assert "SITE_URL=https://shahrvand.example" in line


@pytest.mark.django_db
def test_with_debug_off_whitenoise_serves_the_gathered_static_files_and_404_is_persian(tmp_path):
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT as it starts
        css = client.get("/static/css/site.css")
        assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
        missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert 'dir="rtl"' in page and "صفحه پیدا نشد" in page
    assert "Django" not in page


@pytest.mark.django_db
def test_every_page_names_the_portal_favicon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    icon = ROOT / "static" / "img" / "favicon.svg"
    assert icon.read_text().startswith("<svg")
