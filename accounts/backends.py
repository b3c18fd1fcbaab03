"""Signing in, and reading the signed-in person on every request.

``UserBackend`` is Django's model backend with one difference: the person a session names is read
with the session, in the same query (``shahrvand.sessions``), or else with SQL built once per
process (``shahrvand.compiled``), as the second factor's device and the roles are; every signed-in
request reads them.

Sessions name the backend that opened them. Those opened before this backend was the first are
still read by Django's own (``LEGACY``, the second in ``AUTHENTICATION_BACKENDS``), so nobody is
signed out by a deploy; it only reads: a password is checked by ``UserBackend`` alone, once, and a
wrong one goes no further (a second backend would check it again, doubling the cost of every
failed attempt).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError

from shahrvand.compiled import one_row
from shahrvand.sessions import read_with

from . import access_stamp

PATH = "accounts.backends.UserBackend"
# Reads the sessions opened before UserBackend; it can leave AUTHENTICATION_BACKENDS once the
# longest session (SESSION_COOKIE_AGE, SESSION_ABSOLUTE_SECONDS: hours) has passed since.
LEGACY = "django.contrib.auth.backends.ModelBackend"


class UserBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Refused here: no other backend checks the same password again (Django then reports
            # the failure, ``user_login_failed``, as for any refusal).
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except (ValidationError, TypeError, ValueError):
            return None  # not an id at all
        # Most often read with the session, in the same query (``shahrvand.sessions``).
        user = read_with(pk) or one_row(user_model, "pk", pk)
        if user is None or not self.user_can_authenticate(user):
            return None
        access_stamp.fresh(user)  # read for this request: its access stamp is current
        return user
