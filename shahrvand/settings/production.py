"""Production: everything the embedded default lets slide is required here."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "0")
# JSON lines on stdout for the log collector, unless LOG_FORMAT=text says otherwise.
os.environ.setdefault("LOG_FORMAT", "json")

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, DEBUG, SECRET_KEY
from .env import env_bool, env_int

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value (50+ characters).")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://...")
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured("Production needs a broker: set CELERY_BROKER_URL or REDIS_URL.")

CELERY_TASK_ALWAYS_EAGER = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "shahrvand.storage.TolerantManifestStaticFilesStorage",
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Staff, operators and admins confirm every sign-in with an authenticator app's code.
STAFF_SECOND_FACTOR = env_bool("STAFF_SECOND_FACTOR", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30, minimum=0)
# Other services of the municipality may share the parent domain without HTTPS; including subdomains
# or asking for preload is a decision for its ICT organisation, so both are opt-in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
