"""Settings for the test suite: the embedded default, made fast and isolated.

``DATABASE_URL`` still switches the suite to PostgreSQL (``.ci/run`` does); tasks always run eagerly
here except in tests that start a real worker on purpose.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "0")

from .base import *  # noqa: F403
from .base import DATABASES

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

_TMP = Path(tempfile.mkdtemp(prefix="shahrvand-test-"))
MEDIA_ROOT = _TMP / "media"
PRIVATE_STORAGE_ROOT = _TMP / "private"
SMS_FILE_PATH = _TMP / "sms"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test process has its own cache; a shared Redis would let parallel tests see each other's
# rate-limit counters.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
SMS_BACKEND = "shahrvand.sms.backends.InMemoryBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Off whatever the environment says: tests that want it switch it on themselves.
STAFF_SECOND_FACTOR = False
# Tests read a page's template context, which a kept layout does not render again; the tests of
# the kept layout switch it on.
KEPT_LAYOUT = False
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
