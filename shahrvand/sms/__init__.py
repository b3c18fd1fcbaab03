"""Sending SMS: the configured backend, now or through the outbox once the transaction commits.

Callers compose the text; ``to`` is a normalised mobile ("09xxxxxxxxx"). Prefer ``sms_enqueue``
in request code: the provider is slow and sometimes away, the broker may be too, and a rolled-back
request must not have told anyone anything.
"""

from __future__ import annotations

import datetime as dt
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from .backends import BaseSmsBackend, SmsMessage, mask_mobile

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


def sms_enqueue(*, to: str, text: str, expires_at: dt.datetime | None = None) -> None:
    """Write the message to the outbox in the surrounding transaction and queue it once that
    commits: nothing is sent if it rolls back, and nothing is lost if the broker is away (the
    sweeper queues it again). ``expires_at``: when the message is no longer worth sending (a
    sign-in code's validity); ``SMS_MAX_AGE_HOURS`` after now by default."""
    from shahrvand.queueing import task_enqueue_on_commit

    from .models import OutgoingSms
    from .tasks import send_outbox_sms

    now = timezone.now()
    sms = OutgoingSms.objects.create(
        to=to,
        text=text,
        created_at=now,
        queued_at=now,
        expires_at=expires_at or now + timedelta(hours=settings.SMS_MAX_AGE_HOURS),
    )
    task_enqueue_on_commit(send_outbox_sms, sms.pk, what=f"SMS {sms.pk} to {mask_mobile(to)}")
