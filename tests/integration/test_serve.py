"""``make serve`` starts the real stack on loopback: gunicorn with the production settings on
PostgreSQL and Redis, a Celery worker for the ``pdf`` queue, one for ``default,notifications``, and
beat — and it answers. A bank's system then files an inquiry over HTTP with its API key, and a
district manager signs in with the second factor (production's default), takes, answers and signs
it, and downloads the PDF the worker rendered. Needs
PostgreSQL and Redis on loopback (``.ci/run`` starts them); skipped without them. Bounded: at most
about six minutes, then every process is stopped."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/12"


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not (_reachable(5432) and _reachable(6379)), reason="needs PostgreSQL and Redis on loopback"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # nosec B310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class Browser:
    """Enough of a browser for the forms: its own cookie jar (the production cookies are Secure,
    so the requests say they came through TLS, as nginx would) and the CSRF token of each page."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def _open(self, path: str, data: dict | None = None):
        from urllib.parse import urlencode

        # Through "TLS", a form's post needs a Referer of this site over https (Django's CSRF).
        secure = self.base.replace("http://", "https://", 1)
        headers = {"X-Forwarded-Proto": "https", "Referer": secure + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)  # nosec B310 - loopback only
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read()

    def get(self, path: str):
        return self._open(path)

    def post(self, path: str, data: dict):
        return self._open(path, data)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _version(page: bytes) -> str:
    return re.search(rb'name="version" value="(\d+)"', page).group(1).decode()


def _sql(database_url: str, query: str) -> str:
    done = subprocess.run(
        ["psql", database_url, "-Atc", query], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _app_code(database_url: str, username: str) -> str:
    """What the manager's authenticator app shows, from the secret the enrolment stored."""
    from binascii import unhexlify

    from django_otp.oath import TOTP

    key = _sql(
        database_url,
        "select d.key from otp_totp_totpdevice d join accounts_user u on u.id = d.user_id "
        f"where u.username = '{username}' order by d.id desc limit 1",
    )
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    return f"{totp.token():06d}"


ANSWER = {
    "decision": "conditional",
    "reason": "",
    "building_status": "completed",
    "certificate_type": "completion",
    "certificate_number": "1401/555",
    "certificate_date": "۱۴۰۱/۰۳/۱۱",
    "land_use_plan": "residential",
    "road_widening": "partly",
    "road_widening_note": "۲ متر از ضلع شمالی",
    "conditions": "تسویه عوارض پیش از انتقال",
    "dues-TOTAL_FORMS": "3",
    "dues-INITIAL_FORMS": "0",
    "dues-MIN_NUM_FORMS": "3",
    "dues-MAX_NUM_FORMS": "20",
    "dues-0-title": "عوارض نوسازی",
    "dues-0-amount_rials": "1250000",
    "dues-1-title": "",
    "dues-1-amount_rials": "",
    "dues-2-title": "",
    "dues-2-amount_rials": "",
}


# An institution and a key, made in the served database as the ICT organisation would (the key
# is printed once).
REGISTER_BANK = """
import datetime as dt
from django.utils import timezone
from accounts.models import User
from api import services
from api.models import Institution, InstitutionBranch
from inquiries.models import Bank
ict = User.objects.filter(is_superuser=True).order_by("pk").first()
bank = services.institution_register(actor=ict, institution=Institution(
    kind="bank", name="بانک ملی، ارومیه", bank=Bank.objects.get(code="melli")))
InstitutionBranch.objects.create(institution=bank, code="1234", name="شعبه مرکزی")
print(services.credential_issue(actor=ict, institution=bank, label="serve test",
    scopes=["file", "read"], expires_at=timezone.now() + dt.timedelta(days=1)).key)
"""


def _png(colour) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "shahrvand" + os.urandom(8).hex()
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _a_bank_files_over_the_api(base: str, env: dict) -> str:
    """A bank's system files an inquiry over HTTP with its key: the tracking code."""
    key = (
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", REGISTER_BANK],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    body, content_type = _multipart(
        {
            "renovation_code": "1-3-45-12-0-0-0",
            "plate_main": "56",
            "plate_sub": "1234",
            "registration_section": "2",
            "address": "ارومیه، خیابان امام، کوچه ۱۲",
            "area_m2": "150.50",
            "land_use": "residential",
            "building_status": "completed",
            "national_id": "0499370899",
            "mobile": "09121234567",
            "first_name": "نرگس",
            "last_name": "احمدی",
            "relation": "owner",
            "branch_code": "1234",
            "facility_type": "mortgage",
            "letter_number": "45/1234",
            "letter_date": "1404/09/01",
        },
        {"deed": ("deed.png", _png((200, 30, 30))), "bank_letter": ("letter.png", _png((9, 9, 9)))},
    )
    request = urllib.request.Request(
        base + "/api/v1/inquiries/",
        data=body,
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": content_type,
            "Idempotency-Key": "serve-test-1",
            "X-Forwarded-Proto": "https",
        },
    )
    try:
        response = urllib.request.urlopen(request, timeout=30)  # nosec B310 - loopback only
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"filing: {exc.code} {exc.read()[:2000]!r}") from None
    assert response.status == 201
    return json.loads(response.read())["tracking_code"]


def _a_manager_answers_with_the_second_factor(base: str, database_url: str, env: dict) -> None:
    # The demo accounts and inquiries, in the served database (DEBUG is off there: --force).
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "seed_demo", "--force"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    code = _a_bank_files_over_the_api(base, env)
    browser = Browser(base)
    browser.get("/accounts/login/")
    status, headers, _body = browser.post(
        "/accounts/login/?next=/staff/",
        {"username": "manager1", "password": "shahrvand-demo"},
    )
    assert status == 302, status
    status, headers, _body = browser.get("/staff/")
    assert (status, headers["Location"]) == (302, "/accounts/second-factor/")
    status, _headers, page = browser.get("/accounts/second-factor/setup/")
    assert status == 200 and b"<svg" in page
    status, _headers, page = browser.post(
        "/accounts/second-factor/setup/", {"code": _app_code(database_url, "manager1")}
    )
    assert status == 200 and page.count(b"<li>") >= 10, page[:2000]

    staff = f"/staff/inquiries/{code}/"
    status, _headers, page = browser.get(staff)
    assert status == 200, status
    status, _headers, _body = browser.post(staff + "take/", {"version": _version(page)})
    assert status == 302
    status, _headers, page = browser.get(staff + "answer/")
    assert status == 200
    status, headers, _body = browser.post(staff + "answer/", {**ANSWER, "version": _version(page)})
    assert status == 302, _body[:3000]
    sign = headers["Location"]
    answer_id = re.search(r"/answers/(\d+)/sign/", sign).group(1)
    status, _headers, page = browser.get(sign)
    assert status == 200
    status, _headers, _body = browser.post(sign, {"confirm": "on", "version": _version(page)})
    assert status == 302

    # The pdf worker renders the letter after the commit; the download appears when it is done.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, headers, pdf = browser.get(f"/inquiries/answers/{answer_id}/pdf/")
        if status == 200:
            break
        time.sleep(2)
    assert status == 200, status
    assert headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")


def test_make_serve_runs_the_real_stack(tmp_path, monkeypatch):
    port = _free_port()
    database = f"shahrvand_serve_{os.getpid()}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_", "CACHE_"))
    }
    process = subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            "serve",
            f"PORT={port}",
            f"SERVE_DB={database}",
            f"REDIS_URL={REDIS}",
        ],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "serve.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        status, body = 0, ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = _get(base + "/healthz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(1)
        log = (tmp_path / "serve.log").read_text()
        assert status == 200, f"/healthz: {status} {body}\n{log[-3000:]}"
        assert '"broker": "ok"' in body and '"database": "ok"' in body

        status, home = _get(base + "/")
        assert status == 200
        # WhiteNoise with hashed names: the stylesheet's address carries its content hash.
        assert "/static/css/site." in home and ".css" in home

        from celery import Celery

        # Celery reads CELERY_BROKER_URL before any configuration (.ci/run sets it for the tests).
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        app = Celery(broker=REDIS)
        replies = {}
        # The workers may come up well after the web process on a loaded machine.
        workers_deadline = time.monotonic() + 90
        while time.monotonic() < workers_deadline and len(replies) < 2:
            for reply in app.control.ping(timeout=2):
                replies.update(reply)
        log = (tmp_path / "serve.log").read_text()
        names = {name.split("@")[0] for name in replies}
        assert names == {"pdf", "default"}, f"{names}\n{log[-3000:]}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "beat: Starting" not in log:
            time.sleep(1)
            log = (tmp_path / "serve.log").read_text()
        assert "beat: Starting" in log

        database_url = f"postgres://postgres@127.0.0.1:5432/{database}"
        serve_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "shahrvand.settings.production",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS,
            "SECRET_KEY": (ROOT / "var" / "secret_key").read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "VAR_DIR": str(ROOT / "var"),
        }
        _a_manager_answers_with_the_second_factor(base, database_url, serve_env)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", database],
            check=False,
        )
