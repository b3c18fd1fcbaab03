"""The Celery tasks behind ``sms_enqueue`` and the outbox's sweeper. Thin on purpose: the backend
decides what went wrong, ``outgoing.py`` keeps the outbox rows.

The senders' names match the ``*.send_*`` route, so they run on the "notifications" queue; the
sweeper and the purge run on the default one. The text is never logged: it often carries a
sign-in code.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from .backends import SmsMessage, SmsPermanentError, SmsTransientError, mask_mobile

logger = logging.getLogger(__name__)

_RETRY = {
    "autoretry_for": (SmsTransientError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}


@shared_task(bind=True, name="shahrvand.sms.tasks.send_outbox_sms", **_RETRY)
def send_outbox_sms(self, sms_id: int) -> str:
    from .outgoing import sms_outbox_send

    # idempotent: a row already sent, expired or being sent by another worker is left alone.
    try:
        return sms_outbox_send(sms_id)
    except SmsTransientError as exc:
        logger.warning(
            "SMS %s failed on attempt %d of %d: %s",
            sms_id,
            self.request.retries + 1,
            self.max_retries + 1,
            exc,
        )
        raise


@shared_task(bind=True, name="shahrvand.sms.tasks.send_sms", **_RETRY)
def send_sms(self, to: str, text: str) -> None:
    """A message queued as (to, text) by a release before the outbox: kept so that tasks still in
    Redis at an upgrade are delivered."""
    # Imported here because the package imports this module for sms_enqueue.
    from shahrvand.sms import get_backend

    try:
        get_backend().send(SmsMessage(to=to, text=text))
    except SmsTransientError as exc:
        logger.warning(
            "SMS to %s failed on attempt %d of %d: %s",
            mask_mobile(to),
            self.request.retries + 1,
            self.max_retries + 1,
            exc,
        )
        raise
    except SmsPermanentError as exc:
        # Retrying cannot help and the citizen is long gone: leave a trace for the operators.
        logger.error("SMS to %s dropped: %s", mask_mobile(to), exc)


@shared_task(name="shahrvand.sms.tasks.sweep_sms_outbox", acks_late=True)
def sweep_sms_outbox() -> int:
    """Expire what is past its use, then queue again every row owed for more than a minute."""
    from shahrvand.queueing import task_publish

    from .models import OutgoingSms
    from .outgoing import sms_outbox_expire, sms_outbox_owed_ids

    now = timezone.now()
    expired = sms_outbox_expire(now)
    owed = sms_outbox_owed_ids(now)
    # Asked again only after another interval: a long queue is not flooded with repeats.
    OutgoingSms.objects.filter(pk__in=owed).update(queued_at=now)
    queued = sum(task_publish(send_outbox_sms, pk, what=f"SMS {pk}") for pk in owed)
    if expired or owed:
        logger.warning(
            "SMS sweeper: %s expired, %s of %s owed queued again", expired, queued, len(owed)
        )
    return queued


@shared_task(name="shahrvand.sms.tasks.purge_sms_outbox", acks_late=True)
def purge_sms_outbox() -> int:
    from .outgoing import sms_outbox_purge

    # idempotent: deletes only finished rows older than the keeping period.
    return sms_outbox_purge()
