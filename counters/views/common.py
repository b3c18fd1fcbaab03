from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import roles_of


def ict_required(view):
    """The ICT organisation's pages: registry, training, visits, scorecards."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles_of(request.user).is_ict_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def operator_required(view):
    """Office operators (and office managers) only."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles_of(request.user).is_office_operator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
