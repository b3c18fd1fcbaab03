from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import roles_of
from districts.selectors import districts_for_home

from .logging import refusal_log

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from inquiries.presentation import home_places

    places = home_places(roles_of(request.user))
    return render(request, "home.html", {"districts": districts_for_home(), "places": places})


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


# --- Error handlers (shahrvand/urls.py): each refusal is one line on "shahrvand.security" ---------


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    response = defaults.permission_denied(request, exception)
    # Logged after rendering: if the page itself failed, Django's own 500 record must stay.
    refusal_log(request, event="permission_denied", status=403, role=_role_label(request))
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    response = defaults.page_not_found(request, exception)
    refusal_log(request, event="not_found", status=404, role=_role_label(request))
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    response = defaults.bad_request(request, exception)
    # The class only ("DisallowedHost", "RequestDataTooBig"): the message may quote what was sent.
    refusal_log(
        request,
        event="bad_request",
        status=400,
        role=_role_label(request),
        detail=exception.__class__.__name__,
    )
    return response


def _role_label(request: HttpRequest) -> str:
    """Who was refused, as roles ("reviewer,kiosk", "citizen", "anonymous") — never who exactly."""
    try:
        roles = roles_of(getattr(request, "user", None))
    except Exception:  # a refusal is logged even when the database is not answering
        return "unknown"
    if not roles.is_authenticated:
        return "anonymous"
    labels = sorted({role for held in roles.district_roles.values() for role in held})
    if roles.office_ids:
        labels.append("office_manager" if roles.managed_office_ids else "operator")
    if roles.is_ict_admin:
        labels.append("ict_admin")
    if roles.is_citizen:
        labels.append("citizen")
    return ",".join(labels) or "no_role"
