"""Sessions in the database (``SESSION_ENGINE``), read together with the person they name.

Django's own ``db`` engine, on its own table (``shahrvand.models.Session``) with one more column:
the person the session names (its ``_auth_user_id``), copied whenever the session is saved. Every
signed-in request reads its session first and then its person; here both come in one query, with
SQL built once per process (``shahrvand.compiled``), and the person read with the session is handed
to the sign-in backend when it asks for that same person in the same request (``read_with``).

Only the read changes: the row is found by its key, and one past its expiry date counts as no
session, as in Django's query (``expire_date > now``); saving, cycling, deleting and clearing
expired sessions are Django's. The person is the one in the session's data: the column only saves
a query when it names the same person (a session saved before the column was filled, or naming
someone deleted since, has its person read by the id, as before)."""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.utils import timezone

from .compiled import one_row_with

# The person read with this request's session: (their id, the row made a model), until the
# sign-in backend takes them; emptied when a request starts and when it ends.
_person: ContextVar[tuple | None] = ContextVar("person read with the session", default=None)
# The largest id of a person (a BigAutoField, as every primary key here).
_LARGEST_ID = 2**63 - 1


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def _get_session_from_db(self):
        session, person = one_row_with(self.model, "session_key", self.session_key, "user")
        _person.set(None)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        if person is not None:
            _person.set((person.pk, person))
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _person_id(data.get(SESSION_KEY))
        return session


def _person_id(value) -> int | None:
    """The session's ``_auth_user_id`` as the column holds it; None for none, or for anything the
    column cannot hold (so that saving a session is never refused for it)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number <= _LARGEST_ID else None


def read_with(user_id) -> object | None:
    """The person read with this request's session, if it is the one of ``user_id``: taken, so a
    second ask reads the database. None otherwise."""
    found = _person.get()
    if found is None or found[0] != user_id:
        return None
    _person.set(None)
    return found[1]


@receiver(request_started)
@receiver(request_finished)
def _forget(**kwargs) -> None:
    _person.set(None)


def sessions_purge() -> int:
    """Delete the sessions past their expiry date (Django's ``clearsessions``, counted): none of
    them signs anyone in any more. Returns how many were deleted."""
    model = SessionStore.get_model_class()
    return model.objects.filter(expire_date__lt=timezone.now()).delete()[0]
