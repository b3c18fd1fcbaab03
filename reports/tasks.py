"""Background work of the reports app: the monthly report PDFs. Tasks take ids, look the row up,
and return early when the work is already done, so running one twice (a redelivery, the sweeper)
does no harm."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from shahrvand.queueing import task_enqueue_on_commit, task_publish

logger = logging.getLogger(__name__)

# A report still being prepared this long after it was asked for is enqueued again by the sweeper.
SWEEP_AFTER = timedelta(minutes=10)


# Named render_* so that CELERY_TASK_ROUTES sends it to the PDF workers' queue.
@shared_task(
    bind=True,
    name="reports.tasks.render_monthly_report",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
)
def monthly_report_render(self, report_id: int, force: bool = False) -> str:
    from .services import monthly_report_store

    # idempotent: a ready report is not rendered again unless forced.
    return monthly_report_store(report_id, force=force)


def monthly_report_enqueue(report_id: int, *, force: bool = False) -> None:
    """Ask a worker for the report once its row is committed. If the broker is away, nothing is
    lost: the report stays pending, and the sweeper enqueues it again."""

    task_enqueue_on_commit(
        monthly_report_render, report_id, force, what=f"monthly report {report_id}"
    )


@shared_task(name="reports.tasks.monthly_reports_due", acks_late=True)
def monthly_reports_due() -> int:
    from . import services

    # idempotent: the month's reports are created once (unique per month and place), and only
    # those just created are enqueued.
    return len(services.monthly_reports_due())


@shared_task(name="reports.tasks.sweep_monthly_reports", acks_late=True)
def sweep_monthly_reports() -> int:
    """Re-enqueue every report still being prepared some minutes after it was asked for."""
    from .models import MonthlyReport, MonthlyReportStatus

    now = timezone.now()
    owed = list(
        MonthlyReport.objects.filter(
            status=MonthlyReportStatus.PENDING, requested_at__lt=now - SWEEP_AFTER
        ).values_list("pk", flat=True)
    )
    # Asked again only after another interval: a long queue is not flooded with repeats.
    MonthlyReport.objects.filter(pk__in=owed).update(requested_at=now)
    for report_id in owed:
        task_publish(monthly_report_render, report_id, what=f"monthly report {report_id}")
    if owed:
        logger.warning("sweeper: re-enqueued %s monthly reports", len(owed))
    return len(owed)
