"""Settings shared by every environment.

With nothing set this is the embedded default: SQLite under ``var/``, Celery tasks run eagerly in the web
process, SMS go to the console and to files under ``var/sms/``. Every value comes from an environment
variable listed in ``.env.example``; bad values stop the process at start-up.
"""

import re
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import (
    ensure_dir,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)
from .files import s3_private_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = ensure_dir(Path(env_str("VAR_DIR", str(BASE_DIR / "var"))))

SECRET_KEY = env_str("SECRET_KEY", "insecure-embedded-default-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_jalali",
    # The second factor for everyone who signs in with a password (accounts.second_factor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "shahrvand",
    "accounts",
    "districts",
    "inquiries",
    "counters",
    "reports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # First, so the access line's duration covers every other layer; the id is on every log line.
    "shahrvand.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy (below), Permissions-Policy, and no-store for personal pages.
    "csp.middleware.CSPMiddleware",
    "shahrvand.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shahrvand.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session's second factor (django-otp's OTPMiddleware).
    "accounts.middleware.SecondFactorDeviceMiddleware",
    # An htmx request sent to sign-in gets HX-Redirect, so the page navigates, not the fragment.
    "shahrvand.middleware.HtmxSignInRedirectMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A staff session ends after SESSION_IDLE_SECONDS without a request or SESSION_ABSOLUTE_SECONDS.
    "accounts.middleware.StaffSessionTimeoutMiddleware",
    # The second factor first (STAFF_SECOND_FACTOR), then a password someone else chose.
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Only this site's own scripts, styles, fonts and images run on its pages: no inline script or style,
# no eval, no plugins, no framing, forms post only here. "data:" images are Bootstrap's SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "shahrvand.urls"
WSGI_APPLICATION = "shahrvand.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.site",
                # Last: a public page rendered to be kept gets a mark for its CSRF token.
                "shahrvand.kept_pages.csrf_mark",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    },
]

# Form widgets drawn by Jinja2 from Django's own widget templates (the same markup as the default
# renderer's, in about half its time); the admin's own widgets by the default renderer.
FORM_RENDERER = "shahrvand.form_renderer.WidgetRenderer"

# --- Database -------------------------------------------------------------------------------------
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 600, minimum=0)
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": parse_database_url(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "shahrvand.sqlite3",
            # WAL lets the embedded server read while a Celery-eager request writes.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
    # The open-queue index carries extra columns for PostgreSQL's index-only counts; SQLite
    # builds it without them, which is all the embedded set-up needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, throttles); Redis when configured so every process shares it ----------
REDIS_URL = env_str("REDIS_URL")
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "shahrvand.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "shahrvand",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # The embedded server is one process, so its memory is shared by every request.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The reports dashboard keeps its figures and files this long in a shared cache, under the versions
# of the figures and the districts (a write they count, a district changed, a deploy's migrate make
# new ones at once); the time only bounds what no version follows, as for the lists below. 0: off.
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 900, minimum=0)
# The public pages (home, /verify/) kept rendered in each web process for visitors who are not
# signed in, under the shared version of the districts and kiosks (shahrvand/kept_pages.py).
PUBLIC_PAGE_SECONDS = env_int("PUBLIC_PAGE_SECONDS", 300, minimum=0)
# The queues, a citizen's list and the offices' pages kept rendered in the shared cache, under the
# versions of what they show (a saved inquiry or office record, a person renamed, a deploy's
# migrate make new ones at once); the time only bounds what no version follows (a setting changed
# without a deploy). 0: off.
KEPT_LIST_SECONDS = env_int("KEPT_LIST_SECONDS", 900, minimum=0)
# The layout around those pages (menu, footer, title) kept in each web process, the reader's name,
# CSRF token and the page's body put in when served (accounts/layout.py); never with DEBUG.
KEPT_LAYOUT = env_bool("KEPT_LAYOUT", True)

# --- Users and sign-in ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The person a session names is read with SQL built once (accounts/backends.py); Django's own
# backend second, only to read the sessions opened before (it checks no password).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.UserBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's database sessions, read with SQL built once per process (every request reads one).
SESSION_ENGINE = "shahrvand.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Failed staff sign-ins per username (and per address) before a pause.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60, minimum=60)
# A second factor (an authenticator app's code, or a backup code) after the password, for everyone
# who signs in with one. Off in the embedded default and the tests, on in production.
STAFF_SECOND_FACTOR = env_bool("STAFF_SECOND_FACTOR", False)
# A session opened with a password ends after this long without a request, and this long after
# the sign-in whatever happens (citizens' sessions, opened by SMS code, follow SESSION_COOKIE_AGE).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60, minimum=300)
# What the authenticator app shows beside the code.
OTP_TOTP_ISSUER = "Shahrvand Urmia"
# Wrong codes count towards the sign-in lockout (accounts.lockout), the one throttle for password
# and code alike; django-otp's own growing delay would be a second one.
OTP_TOTP_THROTTLE_FACTOR = 0

# --- Language, time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tehran"
USE_TZ = True
# Persian digits are applied by our own filters; Django's localisation would group ids and codes.
USE_THOUSAND_SEPARATOR = False

# --- Static and uploaded files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = ensure_dir(Path(env_str("STATIC_ROOT", str(VAR_DIR / "static"))))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = ensure_dir(Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media"))))
# Attachments and answer PDFs: never under MEDIA_URL; served only by permission-checked views.
PRIVATE_STORAGE_ROOT = ensure_dir(Path(env_str("PRIVATE_STORAGE_ROOT", str(VAR_DIR / "private"))))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# "local": private files under PRIVATE_STORAGE_ROOT (one machine); "s3": in a private bucket of an
# S3-compatible object store, shared by every web process and worker (settings/files.py).
FILES_STORAGE = env_choice("FILES_STORAGE", "local", ("local", "s3"))
if FILES_STORAGE == "s3":
    S3_BUCKET = env_str("S3_BUCKET")
    if not S3_BUCKET:
        raise ImproperlyConfigured("FILES_STORAGE=s3 needs S3_BUCKET.")
    STORAGES["private"] = s3_private_storage(
        bucket=S3_BUCKET,
        endpoint_url=env_str("S3_ENDPOINT_URL"),
        access_key=env_str("S3_ACCESS_KEY_ID"),
        secret_key=env_str("S3_SECRET_ACCESS_KEY"),
        region=env_str("S3_REGION"),
        location=env_str("S3_PREFIX", "private"),
        addressing_style=env_choice("S3_ADDRESSING_STYLE", "path", ("path", "virtual", "auto")),
    )
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms ------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery -----------------------------------------------------------------------------------------
# No broker configured = the embedded default: tasks run in-process, right after the commit.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL is None)
if CELERY_BROKER_URL is None and not CELERY_TASK_ALWAYS_EAGER:
    raise ImproperlyConfigured("CELERY_TASK_ALWAYS_EAGER=0 needs CELERY_BROKER_URL or REDIS_URL.")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finished; a worker killed mid-task hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Longer than any task may run, so Redis does not redeliver a task that is still running.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60),
    # A web request publishes after its commit and waits for this: short, so that a Redis that is
    # down, or up but not answering, costs a filing seconds, not a minute (docs/deploy.md).
    "socket_connect_timeout": 2,
    "socket_timeout": 4,
}
# Publishing happens after commit; if the broker is away the database still records what is owed
# and a periodic sweeper re-enqueues it, so do not hold the request for long: one quick retry
# (a refused connection costs about 0.2 s, a silent broker about the socket timeout).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
# After a failed publish a process leaves the broker alone this long (shahrvand/queueing.py).
BROKER_DOWN_PAUSE_SECONDS = env_int("BROKER_DOWN_PAUSE_SECONDS", 15, minimum=0)
# Modules with tasks outside an app's tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["shahrvand.sms.tasks"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "*.render_*": {"queue": "pdf"},
    "*.send_*": {"queue": "notifications"},
}
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 1000, minimum=1)
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    "drafts-purge": {"task": "inquiries.tasks.drafts_purge", "schedule": 6 * 60 * 60},
    "signin-codes-purge": {"task": "accounts.tasks.signin_codes_purge", "schedule": 6 * 60 * 60},
    "sessions-purge": {"task": "accounts.tasks.sessions_purge", "schedule": 6 * 60 * 60},
    "answer-pdf-sweeper": {"task": "inquiries.tasks.sweep_answer_pdfs", "schedule": 60},
    "sms-outbox-sweeper": {"task": "shahrvand.sms.tasks.sweep_sms_outbox", "schedule": 60},
    "sms-outbox-purge": {"task": "shahrvand.sms.tasks.purge_sms_outbox", "schedule": 6 * 60 * 60},
    # Once a day, in the morning of Tehran time.
    "overdue-notice": {
        "task": "inquiries.tasks.notify_overdue",
        "schedule": crontab(hour=7, minute=30),
    },
    # Daily; on the first working day of a Jalali month it asks for last month's reports.
    "monthly-reports-due": {
        "task": "reports.tasks.monthly_reports_due",
        "schedule": crontab(hour=6, minute=0),
    },
    "monthly-reports-sweeper": {"task": "reports.tasks.sweep_monthly_reports", "schedule": 5 * 60},
    # Webhook deliveries still owed (Redis or the receiver was down) are sent again.
    "webhook-sweeper": {"task": "api.tasks.sweep_webhooks", "schedule": 60},
}
# The only files the PDF renderer may read (fonts, logo, print CSS).
PDF_ASSET_ROOT = BASE_DIR / "static"
# A signed answer without its PDF this long after signing is enqueued again by the sweeper.
PDF_SWEEP_AFTER_SECONDS = env_int("PDF_SWEEP_AFTER_SECONDS", 180, minimum=10)

# --- SMS --------------------------------------------------------------------------------------------
SMS_BACKEND = env_str("SMS_BACKEND", "shahrvand.sms.backends.ConsoleAndFileBackend")
SMS_FILE_PATH = Path(env_str("SMS_FILE_PATH", str(VAR_DIR / "sms")))
SMS_SENDER = env_str("SMS_SENDER", "")
SMS_API_URL = env_str("SMS_API_URL", "")
SMS_API_KEY = env_str("SMS_API_KEY", "")
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 5, minimum=1)
# The outbox (shahrvand/sms/models.py): an owed message this long after it was queued is queued
# again; one not sent within SMS_MAX_AGE_HOURS (or its own expiry, a sign-in code's validity) is
# expired unsent; finished rows (without their text) are kept SMS_KEEP_DAYS for the admin's counts.
SMS_SWEEP_AFTER_SECONDS = env_int("SMS_SWEEP_AFTER_SECONDS", 60, minimum=10)
SMS_MAX_AGE_HOURS = env_int("SMS_MAX_AGE_HOURS", 72, minimum=1)
SMS_KEEP_DAYS = env_int("SMS_KEEP_DAYS", 30, minimum=1)

# --- The public address used in SMS texts and on PDFs (links back to the portal) -------------------
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Logging ----------------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
# "json": one JSON object per line (production's default, for a log collector); "text": plain lines.
LOG_FORMAT = env_choice("LOG_FORMAT", "text", ("json", "text"))
# How the access log names the person making a request: by role, never by identifier.
LOG_ROLE_LABEL = "accounts.refusals.role_label"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # Django's own record of a refusal the error handlers already logged as one line.
        "drop_logged_refusals": {"()": "shahrvand.logging.LoggedRefusalFilter"},
        # Safety net: national IDs and mobiles never reach a log, whatever logged them.
        "mask_identifiers": {"()": "shahrvand.logging.IdentifierMaskFilter"},
    },
    "formatters": {
        "text": {
            "()": "shahrvand.logging.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "shahrvand.logging.JsonFormatter"},
    },
    # Every handler gets both filters (a handler's filters see the records of every logger).
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["drop_logged_refusals", "mask_identifiers"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's defaults give "django" a console handler of its own and let it propagate to
        # ours as well: each django.request line (a 403 with its traceback) came out twice.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's access log ("GET /path?query"): through our handler and its masks.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs each rendering step at INFO: noise, and measurable time per PDF.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pypdf warns of each repair it makes reading a PDF: a hostile upload would flood the log.
        "pypdf": {"level": "ERROR"},
    },
}
# A Celery worker would otherwise replace the root handler (and its masks) with its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind a reverse proxy that appends the client address to X-Forwarded-For, take it from there.
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)

# --- Inquiries ----------------------------------------------------------------------------------------
# The renovation code ("kod-e nosazi"): one entry per dash-separated part, the most digits it may have.
# The first part is always the district. Urmia's shape by default: district-zone-block-parcel-building-
# entrance-unit, e.g. 1-3-45-12-0-0-0.
RENOVATION_CODE_PART_WIDTHS = [
    int(width)
    for width in env_list("RENOVATION_CODE_PART_WIDTHS", ["2", "3", "4", "4", "3", "3", "3"])
]
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=100_000)
# Pictures are refused from their header, before decoding, above this many pixels or this long a
# side. Decoding and redrawing one takes up to 12 bytes a pixel (a progressive CMYK JPEG): 16 MP,
# a phone's photo, stays under 200 MB (bench/upload_memory.py).
ATTACHMENT_MAX_PIXELS = env_int("ATTACHMENT_MAX_PIXELS", 16_000_000, minimum=1_000_000)
ATTACHMENT_MAX_SIDE = env_int("ATTACHMENT_MAX_SIDE", 10_000, minimum=1_000)
ATTACHMENTS_PER_INQUIRY = env_int("ATTACHMENTS_PER_INQUIRY", 20, minimum=1)
# A draft nobody touched for this long is deleted with its uploads.
DRAFT_TTL_DAYS = env_int("DRAFT_TTL_DAYS", 7, minimum=1)
# Citizen sign-in by SMS code.
SIGNIN_CODE_TTL_SECONDS = env_int("SIGNIN_CODE_TTL_SECONDS", 300, minimum=60)
SIGNIN_CODE_MAX_TRIES = env_int("SIGNIN_CODE_MAX_TRIES", 5, minimum=1)
SIGNIN_SENDS_PER_MOBILE = env_int("SIGNIN_SENDS_PER_MOBILE", 3, minimum=1)
SIGNIN_SENDS_WINDOW_SECONDS = env_int("SIGNIN_SENDS_WINDOW_SECONDS", 15 * 60, minimum=60)
# Public tracking page: look-ups per address per window.
TRACKING_LOOKUPS_PER_IP = env_int("TRACKING_LOOKUPS_PER_IP", 20, minimum=1)
TRACKING_LOOKUPS_WINDOW_SECONDS = env_int("TRACKING_LOOKUPS_WINDOW_SECONDS", 15 * 60, minimum=60)
# Working days to answer when a district has no service level for a kind (districts.ServiceLevel).
DEFAULT_SERVICE_DAYS = env_int("DEFAULT_SERVICE_DAYS", 5, minimum=1)
# Weekly days off, as Python weekday numbers (Monday 0 ... Thursday 3, Friday 4).
WEEKLY_DAYS_OFF = [int(d) for d in env_list("WEEKLY_DAYS_OFF", ["4"])]
# Dates declared closed at short notice (ISO dates, comma-separated).
EXTRA_HOLIDAYS = env_list("EXTRA_HOLIDAYS", [])
# "Due soon" in the queue: due within this many working days.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 1, minimum=0)
# Answers are valid for this many months from signing (domain notes: at most six).
ANSWER_VALID_MONTHS = env_int("ANSWER_VALID_MONTHS", 6, minimum=1)
# The municipality's 3-digit company code in bill IDs (service type 6 = municipality).
BILL_COMPANY_CODE = env_str("BILL_COMPANY_CODE", "442")
# ASCII digits only: billing refuses any other script's at signing.
if not re.fullmatch(r"[0-9]{3}", BILL_COMPANY_CODE, re.ASCII):
    raise ImproperlyConfigured(f"BILL_COMPANY_CODE={BILL_COMPANY_CODE!r} must be exactly 3 digits.")
if ANSWER_VALID_MONTHS > 6:
    raise ImproperlyConfigured("ANSWER_VALID_MONTHS: an answer is valid for at most six months.")
# Public verification page: checks per address per window.
VERIFY_LOOKUPS_PER_IP = env_int("VERIFY_LOOKUPS_PER_IP", 30, minimum=1)
VERIFY_LOOKUPS_WINDOW_SECONDS = env_int("VERIFY_LOOKUPS_WINDOW_SECONDS", 15 * 60, minimum=60)

# --- The institution API (api/) ------------------------------------------------------------------
# Calls per API credential per window (every endpoint together).
API_CALLS_PER_CLIENT = env_int("API_CALLS_PER_CLIENT", 120, minimum=1)
API_CALLS_WINDOW_SECONDS = env_int("API_CALLS_WINDOW_SECONDS", 60, minimum=1)
# Webhooks: attempts by Celery's retries (then the sweeper, at most an hour apart), the receiver's
# time to answer, and the replay window a receiver should allow (said in the docs, used by
# api.webhooks.signature_verify). After WEBHOOK_MAX_ATTEMPTS failed attempts in all (30: the last
# about 23 hours after the first) a delivery is given up; it stays, and the admin can send it again.
WEBHOOK_RETRIES = env_int("WEBHOOK_RETRIES", 6, minimum=1)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 30, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
WEBHOOK_REPLAY_WINDOW_SECONDS = env_int("WEBHOOK_REPLAY_WINDOW_SECONDS", 300, minimum=30)
# Webhooks post to public addresses only; 1 allows private and loopback ones (a closed network).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
REST_FRAMEWORK = {
    # Each API view names its own (api.views.ApiView): an API key, its scopes, its rate.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shahrvand — institution API",
    "DESCRIPTION": _(
        "API of Urmia municipality's urban-planning inquiries for institutions (banks, courts, "
        "the land registry, notary offices): file inquiries, follow them, receive the signed "
        "answer (JSON and PDF), verify answers. Key: Authorization: Bearer shv_…; every error "
        "has one shape: code, message (Persian), fields."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InquiryStatusEnum": "inquiries.workflow.InquiryStatus",
        "AnswerStatusEnum": "inquiries.models.answer.AnswerStatus",
    },
}
