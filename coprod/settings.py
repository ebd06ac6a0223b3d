"""Settings for coprod: one module, every deploy-specific value from the environment.

With no environment set, the embedded default runs: SQLite, Celery tasks run in
the web process, e-mail is written to the console. Production sets DEBUG=False,
SECRET_KEY, DATABASE_URL, REDIS_URL, ALLOWED_HOSTS and EMAIL_URL.
"""

import re
from pathlib import Path

import environ
import sentry_sdk
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _env_or_fail(name: str, parse, default):
    """Read an environment variable, turning a malformed value into a clear start-up error."""
    try:
        return parse(name, default=default)
    except (ValueError, environ.ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"The environment variable {name} has a bad value: {exc}") from exc


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything but true/false/yes/no/on/off/1/0 stops start-up."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ImproperlyConfigured(
            f"The environment variable {name} has a bad value: {raw!r} (use true or false)"
        )
    return raw in _TRUE


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "embedded-default-insecure-key-for-development-only"  # noqa: S105

ALLOWED_HOSTS = _env_or_fail(
    "ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = _env_or_fail("CSRF_TRUSTED_ORIGINS", env.list, [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "csp",
    "coprod",
    "participants",
    "panels",
    "reciprocity",
    "ladder",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coprod.i18n.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coprod.notify.MailQueueMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "coprod.urls"

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
                "coprod.context_processors.site",
            ],
            # Organisation-written text in the reader's language ({% welsh meeting "title" %},
            # coprod.welsh) is shown on many pages and notices: loaded everywhere, like a filter.
            "builtins": ["coprod.templatetags.welsh"],
        },
    },
]

WSGI_APPLICATION = "coprod.wsgi.application"

# Database: SQLite by default, PostgreSQL (or anything dj-database-url understands) via DATABASE_URL.
DATABASES = {
    "default": _env_or_fail("DATABASE_URL", env.db_url, f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Overlapping writes (two people pressing "Mark as paid" at once) wait their turn instead of
    # failing with "database is locked": every transaction takes the write lock when it begins
    # (a read lock cannot be upgraded once another writer holds one), waits up to 20 seconds for
    # it, and WAL lets people read while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL;")
else:
    # A connection kept between requests (CONN_MAX_AGE) is checked before reuse, so the app
    # carries on by itself after the database restarts; a database that does not answer fails
    # the request within seconds instead of hanging it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "participants.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail is the login; nobody signs up without a staff invitation.
ACCOUNT_ADAPTER = "participants.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Six digits and fifteen minutes: easier for people who are not confident online.
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Rate limits per internet address ("ip") and per account or e-mail address ("key").
# Wrong passwords lock an account for five minutes after five tries, except on a browser
# where it signed in before, which has its own count (participants/lockout.py). Codes by
# e-mail have limits of their own: three a minute and twelve an hour per address, so six
# digits cannot be guessed by asking for code after code. A page refused for too many
# requests shows templates/429.html.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key,12/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_FORMS = {
    "login": "participants.forms.LoginForm",
    "request_login_code": "participants.forms.RequestLoginCodeForm",
    "confirm_login_code": "participants.forms.ConfirmLoginCodeForm",
}
# Behind a proxy every request comes from the proxy's address: say how many proxies you
# run (each adds itself to X-Forwarded-For), so limits per address count each visitor.
ALLAUTH_TRUSTED_PROXY_COUNT = _env_or_fail("TRUSTED_PROXY_COUNT", env.int, 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        f"The environment variable TRUSTED_PROXY_COUNT has a bad value: {ALLAUTH_TRUSTED_PROXY_COUNT} "
        "(use 0 with no proxy, or the number of proxies in front of coprod)"
    )

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-gb"
# The languages coprod speaks, each named in itself. English (en-GB) is the default and the
# language every string is written in; a person's own choice (their `language`) wins, then the
# language switcher's cookie, then the browser's preference.
LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Cymraeg"),
    ("pl", "Polski"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded files and rendered reports: the local disk (MEDIA_ROOT) by default; S3-compatible
# object storage (AWS S3, MinIO, any S3 API) when a bucket is named, so web processes and
# workers on different machines see the same files.
STORAGE_BUCKET = env.str("STORAGE_BUCKET", default="")
STORAGE_URL = env.str("STORAGE_URL", default="")  # the S3 endpoint; empty for AWS itself
if STORAGE_URL and not STORAGE_BUCKET:
    raise ImproperlyConfigured("STORAGE_URL is set but STORAGE_BUCKET is not: name the bucket to keep "
                               "files in.")
if STORAGE_BUCKET:
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": STORAGE_URL or None,
            "access_key": env.str("STORAGE_ACCESS_KEY", default="") or None,
            "secret_key": env.str("STORAGE_SECRET_KEY", default="") or None,
            "region_name": env.str("STORAGE_REGION", default="") or None,
            # Files are private: every download goes through coprod's permission checks, and
            # links to the bucket itself are signed and short-lived.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "location": env.str("STORAGE_PREFIX", default=""),
        },
    }
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: console by default; smtp+tls://user:password@host:587 and friends via EMAIL_URL.
vars().update(_env_or_fail("EMAIL_URL", env.email_url, "consolemail://"))
# The address people use to reach the site, for links in e-mails sent by workers.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="coprod <noreply@localhost>")
# Seconds to wait for the mail server before an attempt counts as failed (and is retried).
EMAIL_TIMEOUT = _env_or_fail("EMAIL_TIMEOUT", env.int, 30)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)


def _admins(raw: str) -> list[tuple[str, str]]:
    """ADMINS as "Name <address>, other@example.org": who is e-mailed when a page fails."""
    admins = []
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        name, _, address = entry.rpartition("<")
        address = address.rstrip(">").strip()
        if "@" not in address or " " in address:
            raise ImproperlyConfigured(f"The environment variable ADMINS has a bad value: {entry!r}")
        admins.append((name.strip() or address, address))
    return admins


ADMINS = _admins(env.str("ADMINS", default=""))

# Celery: with no REDIS_URL, tasks run in the calling process (eager).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# The longest a task (a report, say) may run: stopped after this many seconds and marked failed.
CELERY_TASK_TIME_LIMIT = _env_or_fail("TASK_TIME_LIMIT", env.int, 10 * 60)
if CELERY_TASK_TIME_LIMIT < 10:
    raise ImproperlyConfigured("The environment variable TASK_TIME_LIMIT must be at least 10 (seconds).")
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
# A task is acknowledged only once it has finished: if the worker dies, the broker hands the task
# to another worker after BROKER_VISIBILITY_TIMEOUT seconds (it must outlast the longest task).
CELERY_TASK_ACKS_LATE = True
BROKER_VISIBILITY_TIMEOUT = _env_or_fail("BROKER_VISIBILITY_TIMEOUT", env.int, 60 * 60)
if BROKER_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"The environment variable BROKER_VISIBILITY_TIMEOUT ({BROKER_VISIBILITY_TIMEOUT}) must be longer "
        f"than TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT}), or tasks still running are handed out twice."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
                                   "socket_connect_timeout": 5}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 5
# How often beat looks for reports left queued or stuck "being prepared" (seconds), and after how
# long a queued report that no worker has started is sent to the workers again.
REPORTS_SWEEP_SECONDS = _env_or_fail("REPORTS_SWEEP_SECONDS", env.int, 60)
REPORTS_RESEND_AFTER = _env_or_fail("REPORTS_RESEND_AFTER", env.int, 5 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
# Scheduled jobs, run by exactly one `celery -A coprod beat`. Each app adds its own entries.
CELERY_BEAT_SCHEDULE = {
    # Time-limited panels close themselves the day after their end date.
    "close-expired-panels": {"task": "panels.tasks.close_expired_panels",
                             "schedule": crontab(hour=0, minute=20)},
    # Last quarter's governance report, on the day chosen in the organisation settings.
    "quarterly-governance-report": {"task": "coprod.tasks.make_quarterly_report",
                                    "schedule": crontab(hour=6, minute=0)},
    # E-mails left waiting (the broker was down when they were saved) are queued again.
    "requeue-waiting-emails": {"task": "coprod.tasks.requeue_waiting_emails",
                               "schedule": crontab(minute="*/3")},
    # Reports whose worker died are marked failed (and can be tried again); reports that never
    # reached the workers (the broker was down) are sent again.
    "sweep-reports": {"task": "coprod.tasks.sweep_reports", "schedule": REPORTS_SWEEP_SECONDS},
    # Retention rules: old receipt files go, partners who left long ago are anonymised.
    "retention-rules": {"task": "coprod.tasks.apply_retention_rules",
                        "schedule": crontab(hour=2, minute=30)},
    # Meeting reminders and chasers for unanswered invitations (panels.reminders); each is
    # sent once per meeting and person however often this runs.
    "meeting-reminders": {"task": "panels.tasks.send_meeting_reminders",
                          "schedule": crontab(minute="*/15")},
    # Texts and letters left waiting (the broker was down when they were saved) are queued again.
    "requeue-waiting-notices": {"task": "coprod.tasks.requeue_waiting_notices",
                                "schedule": crontab(minute="1-59/3")},
}

# Reminders and notices on each person's channel (coprod/notices.py). Texts and letters go
# through GOV.UK Notify when NOTIFY_API_KEY is set, and are printed to the console otherwise.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BACKEND = env.str("NOTIFY_BACKEND", default="notify" if NOTIFY_API_KEY else "console")
if NOTIFY_BACKEND not in ("console", "notify"):
    raise ImproperlyConfigured(
        f"The environment variable NOTIFY_BACKEND has a bad value: {NOTIFY_BACKEND!r} "
        "(use console or notify)")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TEXT_TEMPLATE_ID = env.str("NOTIFY_TEXT_TEMPLATE_ID", default="")
NOTIFY_LETTER_TEMPLATE_ID = env.str("NOTIFY_LETTER_TEMPLATE_ID", default="")
NOTIFY_TIMEOUT = _env_or_fail("NOTIFY_TIMEOUT", env.int, 30)
if NOTIFY_BACKEND == "notify":
    if len(NOTIFY_API_KEY) < 74:
        raise ImproperlyConfigured("The environment variable NOTIFY_API_KEY must hold the whole key GOV.UK "
                                   "Notify gave you (name, service id and secret).")
    for _name in ("NOTIFY_TEXT_TEMPLATE_ID", "NOTIFY_LETTER_TEMPLATE_ID"):
        if not globals()[_name]:
            raise ImproperlyConfigured(f"The environment variable {_name} must be set when NOTIFY_API_KEY "
                                       "is: the id of the GOV.UK Notify template (see the README).")
# When meeting reminders go: "Nd" days or "Nh" hours before the start, "morning" at 8:00 on the
# day (the day before for a meeting starting before 9:00), comma-separated.
MEETING_REMINDERS = env.str("MEETING_REMINDERS", default="2d,morning")
if not all(re.fullmatch(r"\d{1,3}[dh]|morning", part.strip()) for part in MEETING_REMINDERS.split(",")
           if part.strip()):
    raise ImproperlyConfigured("The environment variable MEETING_REMINDERS has a bad value: "
                               f"{MEETING_REMINDERS!r} (use for example 2d,morning or 1d,3h)")
# Partners who have not said whether they can come are asked again after this many days (0: never).
MEETING_CHASE_AFTER_DAYS = _env_or_fail("MEETING_CHASE_AFTER_DAYS", env.int, 3)

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security. Production (DEBUG off) gets secure cookies, HSTS and an HTTPS redirect;
# `manage.py check --deploy` is clean with production values.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = _env_or_fail("SECURE_HSTS_SECONDS", env.int, 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp): everything is served from this site; no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Error reporting: with SENTRY_DSN set, unexpected errors in pages and tasks go to Sentry (or any
# service speaking its protocol), without personal data; unset, nothing is sent anywhere.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_sdk.init(
        dsn=SENTRY_DSN, send_default_pii=False,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=_env_or_fail("SENTRY_TRACES_SAMPLE_RATE", env.float, 0.0),
    )
