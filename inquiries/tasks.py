"""Background work of the inquiries app. Tasks take ids, look the row up, and return early when the
work is already done, so running one twice (a redelivery, the sweeper) does no harm."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from shahrvand.queueing import task_enqueue_on_commit, task_publish

logger = logging.getLogger(__name__)


@shared_task(name="inquiries.tasks.drafts_purge", acks_late=True)
def drafts_purge() -> int:
    from . import services

    # idempotent: a second run finds nothing older than the limit.
    return services.drafts_purge_stale()


@shared_task(
    bind=True,
    name="inquiries.tasks.render_answer_pdf",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
)
def render_answer_pdf(self, answer_id: int) -> str:
    from .answer_pdf import answer_pdf_store

    # idempotent: answer_pdf_store returns at once when the PDF already exists.
    return answer_pdf_store(answer_id)


def answer_pdf_enqueue(answer_id: int) -> None:
    """Ask a worker for the answer's PDF once the signature is committed. If the broker is away,
    nothing is lost: the answer still has no PDF, and the sweeper enqueues it again."""
    task_enqueue_on_commit(render_answer_pdf, answer_id, what=f"the PDF of answer {answer_id}")


@shared_task(name="inquiries.tasks.sweep_answer_pdfs", acks_late=True)
def sweep_answer_pdfs() -> int:
    """Re-enqueue every signed answer still without its PDF after a few minutes."""
    from .models import Answer, AnswerStatus

    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.PDF_SWEEP_AFTER_SECONDS)
    owed = list(
        Answer.objects.filter(
            status__in=[AnswerStatus.SIGNED, AnswerStatus.SUPERSEDED, AnswerStatus.REVOKED],
            pdf_rendered_at__isnull=True,
            signed_at__lt=cutoff,
        )
        .filter(Q(pdf_requested_at__isnull=True) | Q(pdf_requested_at__lt=cutoff))
        .values_list("pk", flat=True)
    )
    # Asked again only after another interval: a long queue is not flooded with repeats.
    Answer.objects.filter(pk__in=owed).update(pdf_requested_at=now)
    count = sum(
        task_publish(render_answer_pdf, answer_id, what=f"the PDF of answer {answer_id}")
        for answer_id in owed
    )
    if owed:
        logger.warning("sweeper: re-enqueued %s of %s owed answer PDFs", count, len(owed))
    return count


@shared_task(name="inquiries.tasks.notify_overdue", acks_late=True)
def notify_overdue() -> int:
    from .services.overdue import overdue_notify_managers

    # idempotent: one notice per district and day (a unique row records it).
    return overdue_notify_managers()
