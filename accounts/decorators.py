"""One decorator for every "only people in this role" page: signed in, then the role's check from
``accounts.roles``; anyone else gets 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import Roles, roles_of


def role_required(check: Callable[[Roles], bool], *, login_url: str | None = None):
    def decorate(view):
        @login_required(login_url=login_url)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(roles_of(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


staff_required = role_required(lambda roles: roles.is_reviewer_or_manager)
kiosk_required = role_required(lambda roles: roles.is_kiosk_staff)
operator_required = role_required(lambda roles: roles.is_office_operator)
ict_required = role_required(lambda roles: roles.is_ict_admin)
reports_required = role_required(lambda roles: roles.reads_reports)
