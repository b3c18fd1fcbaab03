"""Background work of the API: webhook deliveries. Tasks take ids and return early when the work is
done, so a redelivery or the sweeper does no harm."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from shahrvand.queueing import task_publish

from .webhooks import (
    DeliveryFailed,
    DeliveryGivenUp,
    backoff_seconds,
    deliveries_due,
    delivery_attempt,
)

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="api.tasks.send_webhook",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def send_webhook(self, delivery_id: int) -> bool:
    # idempotent: delivery_attempt returns at once for a delivery already made.
    try:
        return delivery_attempt(delivery_id)
    except DeliveryGivenUp:
        return False  # the last attempt: kept as given up, for the admin to send again
    except DeliveryFailed as failure:
        if self.request.retries + 1 >= settings.WEBHOOK_RETRIES:
            # The row stays owed; the sweeper keeps trying, an hour apart at most.
            logger.warning("webhook delivery %s still failing: %s", delivery_id, failure)
            return False
        raise self.retry(countdown=backoff_seconds(self.request.retries + 1)) from failure


@shared_task(name="api.tasks.sweep_webhooks", acks_late=True)
def sweep_webhooks() -> int:
    """Send again every delivery still owed and due (lost messages, a receiver that was down)."""
    due = deliveries_due()
    for delivery_id in due:
        task_publish(send_webhook, delivery_id, what=f"webhook delivery {delivery_id}")
    if due:
        logger.warning("sweeper: re-enqueued %s webhook deliveries", len(due))
    return len(due)
