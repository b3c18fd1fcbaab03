"""The health check (``/healthz``) for the load balancer and monitoring."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_status() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"  # embedded default: no broker, tasks run in-process
    from shahrvand.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability for the load balancer and monitoring: 200 or 503."""
    checks: dict[str, str] = {}
    for name, probe in (("database", _database_status), ("broker", _broker_status)):
        try:
            checks[name] = probe()
        except Exception as exc:  # any failure of a dependency is a 503, not a 500
            logger.warning("healthz: %s is down: %s", name, exc)
            checks[name] = f"down: {exc.__class__.__name__}"
    down = [name for name, status in checks.items() if status.startswith("down")]
    body = {"status": "down" if down else "ok", "checks": checks, "down": down}
    return JsonResponse(body, status=503 if down else 200)
