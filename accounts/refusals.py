"""The error handlers for refused requests (``handler400/403/404`` in ``shahrvand/urls.py``): Django's
own page, and one line on the ``shahrvand.security`` log naming who was refused by their roles —
which is why they live with the roles, not in the shared package."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from shahrvand.logging import refusal_log

from .roles import roles_of


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    response = defaults.permission_denied(request, exception)
    # Logged after rendering: if the page itself failed, Django's own 500 record must stay.
    refusal_log(request, event="permission_denied", status=403, role=role_label(request))
    # The row the admin reads; the line above is the refusal's one line.
    from .audit import Kind, signin_event  # accounts.audit names roles with this module

    signin_event(
        Kind.PERMISSION_DENIED,
        request=request,
        user=getattr(request, "user", None),
        log_line=False,
        method=request.method,
        path=request.path,
    )
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    response = defaults.page_not_found(request, exception)
    refusal_log(request, event="not_found", status=404, role=role_label(request))
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    response = defaults.bad_request(request, exception)
    # The class only ("DisallowedHost", "RequestDataTooBig"): the message may quote what was sent.
    refusal_log(
        request,
        event="bad_request",
        status=400,
        role=role_label(request),
        detail=exception.__class__.__name__,
    )
    return response


def role_label(request: HttpRequest) -> str:
    """Who was refused (or made the request, on the access log: ``LOG_ROLE_LABEL``), as roles
    ("reviewer,kiosk", "citizen", "anonymous") — never who exactly."""
    return user_role_label(getattr(request, "user", None))


def user_role_label(user) -> str:
    """``role_label`` for a person rather than a request."""
    try:
        roles = roles_of(user)
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
