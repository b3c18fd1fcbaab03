"""The shared package's models: the SMS outbox (``shahrvand/sms/models.py``) and the sessions."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models

from .sms.models import OutgoingSms, SmsStatus

__all__ = ("OutgoingSms", "Session", "SmsStatus")


class Session(AbstractBaseSession):
    """Django's session, and the person it names (``SESSION_ENGINE`` ``shahrvand.sessions``): the
    session and the person are read in one query (``shahrvand.sessions``).

    The person is the session's own ``_auth_user_id``, copied whenever the session is saved; only
    for reading them together. The session's data stays what names the person: a session whose
    column names someone else, or no one, has the person read by the id in its data. No constraint
    ties the column to the people: a session is never refused for it, and one of a person deleted
    reads no one, as before."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        db_table = "shahrvand_session"
