"""Sending SMS: the configured backend, now or once the database transaction has committed.

Callers compose the text; ``to`` is a normalised mobile ("09xxxxxxxxx"). Prefer ``sms_enqueue``
in request code: the provider is slow and sometimes away, and a rolled-back request must not have
told anyone anything.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string

from .backends import BaseSmsBackend, SmsMessage, mask_mobile
from .tasks import send_sms

__all__ = ("get_backend", "outbox", "sms_enqueue", "sms_send_now")

logger = logging.getLogger(__name__)

# Filled by InMemoryBackend, like django.core.mail.outbox; tests empty it.
outbox: list[SmsMessage] = []


def get_backend() -> BaseSmsBackend:
    path = settings.SMS_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} cannot be imported: {exc}") from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSmsBackend)):
        raise ImproperlyConfigured(
            f"SMS_BACKEND {path!r} is not a subclass of shahrvand.sms.backends.BaseSmsBackend."
        )
    return backend_class()


def sms_send_now(*, to: str, text: str) -> None:
    """Send synchronously; raises the backend's SmsError on failure."""
    get_backend().send(SmsMessage(to=to, text=text))


def sms_enqueue(*, to: str, text: str) -> None:
    """Send through Celery once the surrounding transaction commits; nothing if it rolls back."""

    def publish() -> None:
        try:
            send_sms.delay(to=to, text=text)
        except Exception:
            # The broker is down (or, eagerly, the send failed for good): the citizen's request
            # has already been saved and must not turn into an error page because of it.
            logger.exception("SMS to %s could not be queued", mask_mobile(to))

    transaction.on_commit(publish, robust=True)
