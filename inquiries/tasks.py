"""Background work of the inquiries app. Tasks take ids or nothing, and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="inquiries.tasks.drafts_purge", acks_late=True)
def drafts_purge() -> int:
    # idempotent: a second run finds nothing older than the limit.
    return services.drafts_purge_stale()
