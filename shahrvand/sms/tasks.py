"""The Celery task behind ``sms_enqueue``. Thin on purpose: the backend decides what went wrong.

Its name matches the ``*.send_*`` route, so it runs on the "notifications" queue. The text is never
logged: it often carries a sign-in code.
"""

from __future__ import annotations

import logging

from celery import shared_task

from .backends import SmsMessage, SmsPermanentError, SmsTransientError, mask_mobile

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="shahrvand.sms.tasks.send_sms",
    autoretry_for=(SmsTransientError,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def send_sms(self, to: str, text: str) -> None:
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
