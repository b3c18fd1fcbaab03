"""The Celery application. Settings live in Django settings under the ``CELERY_`` prefix
(see ``shahrvand/settings/base.py``: late acknowledgement, prefetch 1, time limits, JSON only).
A task carries the id of the request that queued it into the worker's log (``requestlog``)."""

import os

from celery import Celery

from . import requestlog  # noqa: F401  (connects the signals that carry the request id)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrvand.settings.base")

app = Celery("shahrvand")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
