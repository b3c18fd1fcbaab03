"""Sending, sweeping and purging the SMS outbox (``shahrvand/sms/models.py``).

A row is claimed by a conditional update before it is sent, so two workers (a redelivery, the
sweeper's copy) never both send it, and no transaction is held open while the provider answers.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .backends import SmsMessage, SmsPermanentError, SmsTransientError, mask_mobile
from .models import OutgoingSms, SmsStatus

logger = logging.getLogger(__name__)

# At most this many rows are queued again by one sweep: a long outage is caught up over a few
# minutes instead of in one burst on the provider.
SWEEP_BATCH = 500


def _claim_timeout() -> timedelta:
    # No worker runs a task longer than its hard time limit: a claim older than that is dead.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _finish(sms_id: int, status: str) -> None:
    OutgoingSms.objects.filter(pk=sms_id).update(
        status=status, text="", finished_at=timezone.now(), claimed_at=None
    )


def sms_outbox_send(sms_id: int) -> str:
    """Send one owed row: "sent", "expired", "failed", or "done" when there was nothing to do.
    Raises SmsTransientError (after recording the attempt) for the task to retry."""
    from . import get_backend

    now = timezone.now()
    claimed = (
        OutgoingSms.objects.filter(pk=sms_id, status=SmsStatus.OWED)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _claim_timeout()))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "done"  # idempotent: sent, expired, or being sent by another worker
    sms = OutgoingSms.objects.get(pk=sms_id)
    if sms.expires_at <= now:
        _finish(sms_id, SmsStatus.EXPIRED)
        logger.warning("SMS %s to %s expired unsent", sms_id, mask_mobile(sms.to))
        return "expired"
    try:
        get_backend().send(SmsMessage(to=sms.to, text=sms.text))
    except SmsTransientError:
        # Left owed and unclaimed; the sweeper waits a while after this attempt.
        OutgoingSms.objects.filter(pk=sms_id).update(claimed_at=None, queued_at=timezone.now())
        raise
    except SmsPermanentError as exc:
        # Retrying cannot help and the citizen is long gone: leave a trace for the operators.
        _finish(sms_id, SmsStatus.FAILED)
        logger.error("SMS %s to %s dropped: %s", sms_id, mask_mobile(sms.to), exc)
        return "failed"
    _finish(sms_id, SmsStatus.SENT)
    return "sent"


def sms_outbox_expire(now=None) -> int:
    """Owed rows past their use are not sent late: they lose their text and say so."""
    now = now or timezone.now()
    return OutgoingSms.objects.filter(status=SmsStatus.OWED, expires_at__lte=now).update(
        status=SmsStatus.EXPIRED, text="", finished_at=now, claimed_at=None
    )


def sms_outbox_owed_ids(now=None) -> list[int]:
    """Owed rows that should have gone out by now: queued a while ago (longer after each failed
    attempt: 1, 2, 4 … up to 64 sweep intervals) and not being sent by a worker."""
    now = now or timezone.now()
    after = timedelta(seconds=settings.SMS_SWEEP_AFTER_SECONDS)
    candidates = (
        OutgoingSms.objects.filter(status=SmsStatus.OWED, queued_at__lt=now - after)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - _claim_timeout()))
        .order_by("queued_at")
        .values_list("pk", "queued_at", "attempts")[:SWEEP_BATCH]
    )
    return [
        pk
        for pk, queued_at, attempts in candidates
        if queued_at < now - after * 2 ** min(attempts, 6)
    ]


def sms_outbox_purge(now=None) -> int:
    """Finished rows (already without text) are kept for the admin's counts, then deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SMS_KEEP_DAYS)
    deleted, _ = (
        OutgoingSms.objects.exclude(status=SmsStatus.OWED).filter(finished_at__lt=cutoff).delete()
    )
    return deleted
