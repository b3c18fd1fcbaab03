from celery import shared_task

from .services import signin_codes_purge


@shared_task(name="accounts.tasks.signin_codes_purge", acks_late=True)
def signin_codes_purge_task() -> int:
    # idempotent: deletes only what is already expired.
    return signin_codes_purge()


@shared_task(name="accounts.tasks.sessions_purge", acks_late=True)
def sessions_purge_task() -> int:
    from shahrvand.sessions import sessions_purge

    # idempotent: deletes only sessions already past their expiry.
    return sessions_purge()
