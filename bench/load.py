"""A bounded load test under a real server: gunicorn with the production settings, on loopback.

    .venv/bin/python bench/load.py [--inquiries 100000 | --reuse] [--seconds 20] [--connections 50]
                                   [--burst 200] [--max-requests 20000] [--warm-up 3] [--workers N]
                                   [--port 8765]

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and Redis on 127.0.0.1:6379.
Uses the benchmark database (shahrvand_bench): ``--reuse`` keeps the one bench/scale.py left (its
inquiries and people), otherwise it is rebuilt with ``--inquiries`` rows (bench/_seed.py).

Starts gunicorn (``shahrvand.wsgi``, DJANGO_SETTINGS_MODULE=shahrvand.settings.production, 2 x cores
+ 1 sync workers, bound to 127.0.0.1 only) with a throw-away SECRET_KEY, then runs, one after the
other, each for ``--seconds`` and at most ``--max-requests`` requests, after ``--warm-up`` seconds
(3) of the same load that are not counted, so that every worker has compiled its templates and
opened its database connection, as on a server that has been up a minute (the staff sessions have
passed the second factor, which production asks for):

- staff queue: ``--connections`` concurrent clients signed in as a district reviewer (a session
  made for them in the database), over the queue's default list, a kind, a status and page 2 (the
  "all statuses" list is left out: bench/scale.py times it, and it does not stay constant);
- admin changelist: the same listings through the Django admin (a superuser's session);
- public pages: the home page and /verify/, anonymous, ``--connections`` clients;
- public pages with ``--burst`` concurrent clients: every request must succeed.

Prints for each: requests, requests/s, p50/p95/p99 ms, errors (anything but 200, or no answer within
30 s); then the staff queue against the admin (throughput and p95). gunicorn is stopped at the end,
also after an error or Ctrl+C. The load generator shares the machine's cores with the server, so the
figures are a floor, not the server's capacity.

The load comes from ``wrk`` (Debian's package: C, one thread, epoll) when it is installed, else from
Python threads in this process (``--generator python``), which take a good part of a core
themselves: on 2 cores the generator's own cost shows in the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _seed import (
    DATABASE_URL,
    ROOT,
    Cast,
    database_fresh,
    inquiries_grow,
    people_seed,
    session_as_in_production,
)
from _setup import percentile

OPEN = "submitted,in_review,needs_info,resubmitted"
TIMEOUT_SECONDS = 30


@dataclass
class Result:
    name: str
    connections: int
    seconds: float = 0.0
    times: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    # From wrk: its count of good answers and its percentiles (p50, p95, p99) in ms.
    count: int | None = None
    summary: tuple[float, float, float] | None = None

    @property
    def answered(self) -> int:
        return self.count if self.count is not None else len(self.times)

    @property
    def rps(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def p(self, q: int) -> float:
        if self.summary is not None:
            return self.summary[{50: 0, 95: 1, 99: 2}[q]]
        return percentile(self.times, q)

    def line(self) -> str:
        errors = sum(self.errors.values())
        detail = f" {dict(self.errors)}" if errors else ""
        if not self.answered:
            return f"{self.name:<34} {self.connections:>5} no successful request{detail}"
        return (
            f"{self.name:<34} {self.connections:>5} {self.answered:>8} {self.rps:8.1f} "
            f"{self.p(50):8.1f} {self.p(95):8.1f} {self.p(99):8.1f} {errors:>7}{detail}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inquiries", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="keep the existing bench database")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument(
        "--warm-up",
        type=float,
        default=3,
        help="seconds of the same load before each scenario's clock starts (not counted)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--generator",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="wrk (when installed) or Python threads",
    )
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="shahrvand-load-"))
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DB_CONN_MAX_AGE": "600",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(var),
        "SMS_BACKEND": "shahrvand.sms.backends.InMemoryBackend",
    }
    # This process makes the sessions with the server's SECRET_KEY (the session hash uses it).
    os.environ.update(env)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    cookies = database_ready(args)

    server = gunicorn_start(args, env, var)
    try:
        base = ("127.0.0.1", args.port)
        # The everyday views (bench/scale.py times every view, "all statuses" included).
        staff = ["/staff/", "/staff/?kind=bank", "/staff/?status=in_review", "/staff/?page=2"]
        district = cookies["district_id"]
        admin = "/admin/inquiries/inquiry/"
        in_district = f"{admin}?district__id__exact={district}"
        admin_urls = [
            f"{in_district}&status__in={OPEN}",
            f"{in_district}&status__in={OPEN}&kind__exact=bank",
            f"{in_district}&status__exact=in_review",
            f"{in_district}&status__in={OPEN}&p=2",
        ]
        public = ["/", "/verify/"]
        results = []

        def run(urls, cookie, connections, seconds, result) -> None:
            if args.generator == "wrk":
                load_wrk(base, urls, cookie, connections, seconds, result)
            else:
                load(base, urls, cookie, connections, seconds, args.max_requests, result)

        plan = [
            ("staff queue (reviewer)", staff, cookies["reviewer"], args.connections),
            ("admin changelist (superuser)", admin_urls, cookies["admin"], args.connections),
            ("public: home, /verify/", public, "", args.connections),
            ("public: home, /verify/ (burst)", public, "", args.burst),
        ]
        for name, urls, cookie, connections in plan:
            for url in urls:  # every URL answers before the clock starts
                status, _ms = request(base, url, cookie)
                if status != 200:
                    raise SystemExit(f"{name}: {url} answered {status}")
            # Every worker warm (its first requests compile templates and open its database
            # connection), as a server is after its first minute: this load is not counted.
            if args.warm_up > 0:
                run(urls, cookie, connections, args.warm_up, Result(name, connections))
            result = Result(name, connections)
            run(urls, cookie, connections, args.seconds, result)
            results.append(result)
            print(f"done: {name}", flush=True)
    finally:
        gunicorn_stop(server)

    print(
        f"\n=== load under gunicorn ({args.workers} sync workers, production settings, "
        f"127.0.0.1), {args.warm_up:g} s to warm up, then {args.seconds:g} s"
        + (" " if args.generator == "wrk" else f" or {args.max_requests} requests ")
        + f"per scenario, load from {args.generator} ==="
    )
    head = (
        f"{'scenario':<34} {'conns':>5} {'requests':>8} {'req/s':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    print(head)
    print("-" * len(head))
    for result in results:
        print(result.line())
    queue, admin_result = results[0], results[1]
    if queue.answered and admin_result.answered:
        print(
            f"\nstaff queue vs admin changelist: {queue.rps / admin_result.rps:.1f}x the "
            f"requests/s, p95 {admin_result.p(95) / queue.p(95):.1f}x lower"
        )
    burst = results[-1]
    print(
        f"burst of {burst.connections} connections: "
        + ("zero errors" if not burst.errors else f"ERRORS {burst.errors}")
    )


def database_ready(args) -> dict:
    """The bench database (reused or rebuilt), and session cookies made directly for a reviewer
    and a superuser."""
    from _seed import django_setup

    if args.reuse:
        django_setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the code may have moved on since it was built
        from django.contrib.auth import get_user_model

        if not get_user_model().objects.filter(username="bench-reviewer").exists():
            raise SystemExit("--reuse: the bench database has no bench people; run without it")
    else:
        database_fresh()
        cast: Cast = people_seed()
        inquiries_grow(cast, args.inquiries)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from districts.models import District

    cookies = {"district_id": District.objects.get(number=1).pk}
    for who, username in (("reviewer", "bench-reviewer"), ("admin", "bench-admin")):
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        # Production asks staff for the second factor: these sessions have passed it.
        session_as_in_production(client, user)
        cookies[who] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    from django.db import connections

    connections.close_all()
    return cookies


def server_env(env: dict) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        **env,
        "DJANGO_SETTINGS_MODULE": "shahrvand.settings.production",
    }


def gunicorn_start(args, env: dict, var: Path) -> subprocess.Popen:
    # As a deployment does: the hashed static files the production storage's manifest names.
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**server_env(env), "LOG_LEVEL": "ERROR"},
        check=True,
    )
    log = open(var / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),  # the virtualenv running this
            "shahrvand.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--backlog",
            "2048",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=server_env(env),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as one, by its id
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {var / 'gunicorn.log'}")
        try:
            status, _ms = request(("127.0.0.1", args.port), "/healthz", "")
            if status in (200, 503):
                print(f"gunicorn up: {args.workers} workers on 127.0.0.1:{args.port}", flush=True)
                return process
        except OSError:
            pass
        time.sleep(0.5)
    gunicorn_stop(process)
    raise SystemExit(f"gunicorn did not answer within 60 s: see {var / 'gunicorn.log'}")


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def request(base: tuple[str, int], url: str, cookie: str) -> tuple[int, float]:
    began = time.perf_counter()
    connection = http.client.HTTPConnection(*base, timeout=TIMEOUT_SECONDS)
    try:
        headers = {"Host": "127.0.0.1", "Accept-Language": "fa"}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - began) * 1000
    finally:
        connection.close()


def load(base, urls, cookie, connections, seconds, max_requests, result: Result) -> None:
    """``connections`` threads, each one request at a time, until the time or the count is up."""
    lock = threading.Lock()
    issued = [0]
    began = time.perf_counter()
    deadline = began + seconds

    def worker(offset: int) -> None:
        i = offset
        while time.perf_counter() < deadline:
            with lock:
                if issued[0] >= max_requests:
                    return
                issued[0] += 1
            url = urls[i % len(urls)]
            i += 1
            try:
                status, ms = request(base, url, cookie)
            except Exception as error:  # every failure is counted, by kind
                key = type(error).__name__
            else:
                if status == 200:
                    with lock:
                        result.times.append(ms)
                    continue
                key = str(status)
            with lock:
                result.errors[key] = result.errors.get(key, 0) + 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT_SECONDS + 5)
    result.seconds = time.perf_counter() - began


# wrk: the URLs in turn on every connection, the cookie and language on every request; at the end
# one JSON line with the counts and the percentiles. Every URL answered 200 before the clock
# started; wrk counts any answer outside 2xx/3xx ("non200") and every socket error.
WRK_SCRIPT = """
local urls = {%(urls)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", urls[(n %% #urls) + 1], {
    ["Host"] = "127.0.0.1", ["Accept-Language"] = "fa", %(cookie)s
  })
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, "connect": %%d, '
    .. '"read": %%d, "write": %%d, "timeout": %%d, "non200": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, e.connect, e.read, e.write,
    e.timeout, e.status))
end
"""


def load_wrk(base, urls, cookie, connections, seconds, result: Result) -> None:
    """The same scenario from wrk: ``connections`` connections for ``seconds``, on loopback."""
    script = WRK_SCRIPT % {
        "urls": ", ".join(json.dumps(url) for url in urls),
        "cookie": f'["Cookie"] = {json.dumps(cookie)},' if cookie else "",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                f"--timeout={TIMEOUT_SECONDS}s",
                "-s",
                file.name,
                f"http://{base[0]}:{base[1]}{urls[0]}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + TIMEOUT_SECONDS + 30,
            check=True,
        )
    finally:
        os.unlink(file.name)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    result.seconds = figures["seconds"]
    failed = {
        key: figures[key]
        for key in ("connect", "read", "write", "timeout", "non200")
        if figures[key]
    }
    result.errors.update(failed)
    ok = figures["requests"] - figures["non200"] - figures["timeout"]
    result.summary = (figures["p50"], figures["p95"], figures["p99"])
    result.count = max(ok, 0)


if __name__ == "__main__":
    main()
