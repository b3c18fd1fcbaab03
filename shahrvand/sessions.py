"""Sessions in the database, as Django's own ``db`` engine (``SESSION_ENGINE``), read with SQL built
once per process (``shahrvand.compiled``): every signed-in request reads its session first.

Only the read changes: the row is found by its key, and one past its expiry date counts as no
session, as in Django's query (``expire_date > now``); saving, cycling, deleting and clearing
expired sessions are Django's."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.utils import timezone

from .compiled import one_row


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = one_row(self.model, "session_key", self.session_key)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
