"""Handing work to Celery: the one place that decides what happens when the broker is away.

Everything queued here is also recorded as owed in the database by its caller (an answer without
its PDF, a monthly report still pending, an SMS in the outbox), and a beat sweeper queues it again.
So a publish that fails is logged and forgotten: it never turns a saved request into an error page,
and it never holds the request for long (the broker's timeouts and the publish retry policy are in
``shahrvand/settings/base.py``). After one failure this process does not try the broker again for
``BROKER_DOWN_PAUSE_SECONDS``: a filing, and an answer that queues a PDF and two SMS, pay for the
timeout once, not once per task.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

# time.monotonic() before which this process does not try the broker (0: try it).
_broker_down_until = 0.0


def broker_pause_reset() -> None:
    """Try the broker again at the next publish (the tests, between cases)."""
    global _broker_down_until
    _broker_down_until = 0.0


def task_publish(task, *args, what: str, **kwargs) -> bool:
    """Queue ``task(*args, **kwargs)`` now. False (logged) when the broker did not take it, in which
    case the caller's owed row stays owed for the sweeper. ``what`` names the work in the log
    without anything personal ("answer PDF 42", "SMS 7 to *******4567")."""
    global _broker_down_until
    eager = task.app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        logger.warning("broker paused after a failure: %s left for the sweeper", what)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        # Eagerly, the task itself failed (its row is still owed); otherwise the broker is away.
        if not eager:
            _broker_down_until = time.monotonic() + settings.BROKER_DOWN_PAUSE_SECONDS
        logger.exception("could not queue %s; left for the sweeper", what)
        return False
    return True


def task_enqueue_on_commit(task, *args, what: str, **kwargs) -> None:
    """Queue the task once the surrounding transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: task_publish(task, *args, what=what, **kwargs), robust=True)
