"""Settings of the thi đua portal, read from the environment, refusing bad values.

With no environment at all the portal runs on its embedded default: SQLite under var/,
Celery tasks executed eagerly in-process and e-mail printed to the console. DATABASE_URL and
REDIS_URL switch to PostgreSQL and a Redis broker; DEBUG=false is production mode.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.http.request import split_domain_port, validate_host
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; the real environment wins


def _read_secret_file(name: str) -> None:
    """When NAME_FILE is set (a Docker secret, a file only the service can read), NAME takes that file's content.

    The value lands in the environment, so it is read below exactly as if NAME had been set there, and
    never shows in `docker inspect`. Both set is refused: which one wins would be a guess.
    """
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not path:
        return
    if os.environ.get(name):
        raise ImproperlyConfigured(f"{name} and {name}_FILE are both set: set only one of them.")
    try:
        value = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error.strerror}.") from error
    # A file written by an editor or `echo` ends with a newline that is no part of the secret.
    os.environ[name] = value.removesuffix("\n").removesuffix("\r")


for _secret in (
    "SECRET_KEY",
    "DATABASE_URL",
    "DATABASE_PASSWORD",
    "EMAIL_URL",
    "PDF_SIGNING_P12_PASSWORD",
    "AWS_SECRET_ACCESS_KEY",
):
    _read_secret_file(_secret)


def _require(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off (production mode).")
    return value


def _flag(name: str, default: bool) -> bool:
    """A yes/no variable; anything but true/false/1/0/yes/no/on/off is refused, not read as false."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in {"true", "1", "yes", "on"}:
        return True
    if raw in {"false", "0", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = _flag("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = _require("SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
    _require("ALLOWED_HOSTS")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# seed_demo creates accounts with a published password: allowed on development machines only.
DEMO_DATA_ALLOWED = _flag("DEMO_DATA_ALLOWED", default=DEBUG)
# The address printed in every e-mailed link, on every PDF and in its QR code: a production default would
# point them all at a laptop, so it is required there.
SITE_URL = (env.str("SITE_URL", default="http://127.0.0.1:8000") if DEBUG else _require("SITE_URL")).rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must be the portal's address, starting with https:// (or http://).")
# A SITE_URL this server would refuse (400 Bad Request) prints links and QR codes that lead nowhere.
_site_host, _site_port = split_domain_port(urlsplit(SITE_URL).netloc.rpartition("@")[2])
if not DEBUG and not validate_host(_site_host, ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        f"SITE_URL's host {_site_host!r} is not in ALLOWED_HOSTS ({', '.join(ALLOWED_HOSTS)}): "
        "the links and QR codes printed with it would be refused. Add it to ALLOWED_HOSTS or correct SITE_URL."
    )

INSTALLED_APPS = [
    "thidua.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # the unaccent lookup of searches (SQLite gets a function of its own)
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Two-factor sign-in (accounts.two_factor): app codes (TOTP) and one-time recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",  # the ground floor: shared helpers and partials, no domain
    "outbox",
    "accounts",
    "legal",  # the catalogue of legal documents that pacts cite
    "regions",
    "people",  # the people area: accounts with their units and appointments, invitations
    "pacts",
    "awards",
    "reports",  # dashboards and the year-end / mid-year reports, read from pacts and awards
    "thidua.apps.ShellConfig",  # the shell on top: the record's backup, restore and verify commands, seed_demo
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Answers a page asks for many times, kept for the request only (core/memo.py).
    "core.memo.RequestAnswersMiddleware",
    # Before whitenoise, so static files carry the headers too.
    "core.headers.DocumentCSPMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thidua.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Whether the session was verified with a code (user.is_verified()); then a session that still needs the
    # code, or an enrolment its role requires, reaches only that step and the log-out.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the session, user and messages, which the portal's error page shows.
    "core.middleware.QueryStringLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

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
                "thidua.context_processors.navigation",
            ],
        },
    },
]

# Django's form renderer, with the <select> written in Python (same HTML, a fraction of the time).
FORM_RENDERER = "core.form_renderer.FormRenderer"

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production and CI).
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'thidua.sqlite3'}")}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL (postgres://) or SQLite database.")
# The password apart from the URL (DATABASE_PASSWORD, or DATABASE_PASSWORD_FILE: a Docker secret), so the URL
# may sit in a plain environment file. Read raw: django-environ would take a leading "$" for a reference.
_database_password = os.environ.get("DATABASE_PASSWORD", "")
if _database_password:
    if DATABASES["default"].get("PASSWORD"):
        raise ImproperlyConfigured("DATABASE_URL holds a password and DATABASE_PASSWORD is set: keep only one.")
    DATABASES["default"]["PASSWORD"] = _database_password
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails a request (and /readyz) in seconds instead of hanging until the proxy gives up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked-out attempt never reaches the password check
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.RolePermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day: a reset link mailed in the evening still works the next morning
# An invitation to set one's own password: valid a week (a leader may be away), resent at most 3 times an hour.
INVITATION_DAYS = 7
INVITATION_RESENDS_PER_ACCOUNT = (3, 60 * 60)

# Sessions: an office day, ended on log-out; re-authentication is asked again after REAUTH_MINUTES.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=9 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# No script of the portal reads the CSRF token from its cookie: every form carries it in a hidden field.
CSRF_COOKIE_HTTPONLY = True
REAUTH_MINUTES = env.int("REAUTH_MINUTES", default=5)
# The name an authenticator app shows beside the account's code (two-factor sign-in).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Cổng thi đua ngành Tư pháp")

# django-axes: lock a username from one address after 5 failures, for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
# The client's address for the lockout, signatures and audit events alike: the N-th address from the right of
# X-Forwarded-For behind N proxies (accounts/client.py), never what the client wrote to its left.
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0 if DEBUG else 1)
if AXES_IPWARE_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AXES_IPWARE_PROXY_COUNT is the number of proxies in front of gunicorn: 0 or more.")
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Axes keeps the username in a 255-character column: a longer one typed at the log-in is cut, not a 500.
AXES_USERNAME_CALLABLE = "accounts.client.login_username"
AXES_VERBOSE = False

# Language, time and formats: Vietnamese first, English as the switch.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["thidua.formats"]
LANGUAGE_COOKIE_NAME = "thidua_language"
# Read by the server only (thidua/middleware.py), never by a script; Secure in production below.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp, core.headers.DocumentCSPMiddleware): scripts and styles from the portal's
# own static files only, no inline script, style or event handler. data: images are Bootstrap's icons in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}

# Static files, served by whitenoise: Bootstrap 5.3.8 is vendored under vendor/bootstrap (its files and
# LICENSE, unmodified) and served as static/bootstrap/.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", BASE_DIR / "vendor" / "bootstrap")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "thidua.static_storage.ForgivingManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
# Files (signed PDFs, evidence; the yearly archive is built from the PDFs) live on the local disk under
# MEDIA_ROOT unless AWS_STORAGE_BUCKET_NAME names a bucket of an S3-compatible store (MinIO, Ceph, a
# cloud's object storage), which every web node and worker then shares. The bucket stays private: no ACL
# is sent (the bucket's own policy, never public-read), and the portal streams each file to whoever its
# views let read it, so no link to the store ever leaves the portal.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="").strip()
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="").strip() or None  # None: Amazon S3 itself
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None  # None: boto3's own credential chain
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    # MinIO and most stores on a private address answer path-style requests (host/bucket/key) only.
    AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="path" if AWS_S3_ENDPOINT_URL else "auto")
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True  # a URL of a file, if one is ever made, is signed and short-lived
    AWS_QUERYSTRING_EXPIRE = 300
    # As on disk: a name already taken gets a suffix, never overwrites (a PDF version is written once).
    AWS_S3_FILE_OVERWRITE = False
    # A file read by a view is buffered in memory up to 5 MB, on the local disk beyond.
    AWS_S3_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console unless EMAIL_URL names an SMTP server, or EMAIL_FILE_PATH a folder where
# each e-mail is written as a file (what the outbox's worker test reads).
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Each SMTP operation gives up after this many seconds, well inside the send task's time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng thi đua ngành Tư pháp <thidua@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis: the Celery broker and result store, checked by /readyz when configured.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis:// or rediss://.")

# The shared cache, where the throttles count: Redis when REDIS_URL is set, so every gunicorn process counts
# the same requests (its keys carry a prefix of their own beside Celery's queues); this process's memory
# otherwise. A Redis that does not answer within a second lets the request through (core/throttle.py).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "thidua-cache",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages of a ranking, kept in each worker's own memory under the database's generation of what they are made of
# (awards.selectors.scoring): read back without a round trip, and nothing to lose when the worker stops.
CACHES["worker"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "worker",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 500},
}


def _rate(name: str, default: str) -> tuple[int, int]:
    """A throttle's rate, `<requests>/<window>` with the window in s, m or h (`5/h`, `60/10m`): (limit, seconds)."""
    raw = env.str(name, default=default).strip().lower()
    limit, _slash, window = raw.partition("/")
    unit = {"s": 1, "m": 60, "h": 3600}.get(window[-1:], 0)
    amount = window[:-1] or "1"
    if not (limit.isdigit() and amount.isdigit() and unit and int(limit) >= 1 and int(amount) >= 1):
        raise ImproperlyConfigured(f"{name} must read like 5/h or 60/10m (requests per window), not {raw!r}.")
    return int(limit), int(amount) * unit


# Throttles of the anonymous pages, per client address (and per e-mail address asked, for a password reset);
# past one, the person gets a 429 page saying how long to wait.
THROTTLE_PASSWORD_RESET_PER_ADDRESS = _rate("THROTTLE_PASSWORD_RESET_PER_ADDRESS", "5/h")
THROTTLE_PASSWORD_RESET_PER_ACCOUNT = _rate("THROTTLE_PASSWORD_RESET_PER_ACCOUNT", "3/h")
THROTTLE_VERIFY_LOOKUPS_PER_ADDRESS = _rate("THROTTLE_VERIFY_LOOKUPS_PER_ADDRESS", "60/10m")
THROTTLE_VERIFY_UPLOADS_PER_ADDRESS = _rate("THROTTLE_VERIFY_UPLOADS_PER_ADDRESS", "10/10m")
# Failed log-ins only, across usernames (axes locks one username from one address after 5): a whole office
# behind one address logging in at eight is never counted.
THROTTLE_LOGIN_FAILURES_PER_ADDRESS = _rate("THROTTLE_LOGIN_FAILURES_PER_ADDRESS", "30/15m")
# Wrong two-factor codes of one account (at sign-in, enrolment, turning it off), besides django-otp's own
# growing delay per device, which holds when the cache is down.
THROTTLE_TWO_FACTOR_FAILURES_PER_ACCOUNT = _rate("THROTTLE_TWO_FACTOR_FAILURES_PER_ACCOUNT", "5/15m")

# Celery (read by thidua/celery.py through the CELERY_ namespace).
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
# Embedded default: an in-process broker that eager tasks never reach. Celery still opens a producer for each
# eager task, and kombu warns ("No hostname was supplied") when the URL names no host: "localhost" names it.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Results are never read (each job keeps its state in its own row), so no task stores one and no publish
# touches the result backend: its Redis client retried 20 times, ~19 s, in the request of a user while
# Redis was down. It stays configured for the ``thidua.ping`` task alone, which asks for its result.
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_IGNORE_RESULT = True
# With the broker down, a request that queues a task waits about a second, not more: connections give up
# after a second, and a publish is retried once at once (enough to replace a pooled connection that a
# Redis restart broke). What could not be queued waits in its outbox row for the sweep.
BROKER_TIMEOUT_SECONDS = 1
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1, "interval_start": 0}}
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB: recycle a child that WeasyPrint has grown past ~400 MB
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Above the longest task (and any countdown), or Redis redelivers a task still running.
    "visibility_timeout": 2 * 60 * 60,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    # A Redis that stops answering on an open connection (failover, firewall) fails a publish after 2 s; it
    # stays above the worker's 1 s BRPOP wait, so an idle worker's poll is never taken for a dead broker.
    "socket_timeout": 2,
}
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"pacts.tasks.render_*": {"queue": "pdf"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Signed pact PDFs: a job is tried PDF_MAX_ATTEMPTS times before it is marked failed, and the beat
# sweep (every minute) re-queues a job left waiting longer than PDF_SWEEP_MINUTES (a lost message).
PDF_MAX_ATTEMPTS = env.int("PDF_MAX_ATTEMPTS", default=5)
# Exports (.xlsx) of more rows than this are built by a worker behind a progress page (core.exports).
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=2000)
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# Short, so a job queued while the broker was down is sent soon after it returns; a job merely waiting its
# turn behind others gets a second message, which finds it claimed and does nothing.
PDF_SWEEP_MINUTES = env.int("PDF_SWEEP_MINUTES", default=3)
# One render may run PDF_RENDER_TIME_LIMIT seconds: a tenth earlier the worker raises its soft limit (a
# failed attempt, retried), at the limit it kills the render. The biggest pact measured, 670 units on 172
# pages, renders in 6.2 s, 8.0 s at worst (bench/pdf_render.py --sizes 670): 90 s leaves room for a
# loaded machine and the seal. A job still "rendering" PDF_STALLED_MARGIN seconds past the limit has lost
# its worker (killed, out of memory, machine restarted): it shows "stalled", "render again" takes it over
# at once, and the next sweep gives it back to a worker. So a job whose worker died is rendered again at
# most limit + margin + one sweep after it started: 90 + 30 + 60 s = 3 minutes with these defaults.
PDF_RENDER_TIME_LIMIT = env.int("PDF_RENDER_TIME_LIMIT", default=90)
PDF_RENDER_SOFT_TIME_LIMIT = PDF_RENDER_TIME_LIMIT - max(1, PDF_RENDER_TIME_LIMIT // 10)
PDF_STALLED_MARGIN = env.int("PDF_STALLED_MARGIN", default=30)
PDF_SWEEP_EVERY = timedelta(minutes=1)
# Each sweep checks the files of this many current documents (one storage.exists each, in turn over all
# of them) and renders a missing one again.
PDF_FILE_CHECK_BATCH = env.int("PDF_FILE_CHECK_BATCH", default=200)
if PDF_MAX_ATTEMPTS < 1 or PDF_SWEEP_MINUTES < 1:
    raise ImproperlyConfigured("PDF_MAX_ATTEMPTS and PDF_SWEEP_MINUTES must be at least 1.")
if PDF_RENDER_TIME_LIMIT < 2 or PDF_STALLED_MARGIN < 1 or PDF_FILE_CHECK_BATCH < 1:
    raise ImproperlyConfigured(
        "PDF_RENDER_TIME_LIMIT must be at least 2 (seconds), PDF_STALLED_MARGIN and PDF_FILE_CHECK_BATCH at least 1."
    )
# Optional seal: a PKCS#12 file (path readable by the pdf worker) whose key signs every final PDF
# (PAdES); empty means PDFs are not sealed. The password is read raw: django-environ would take a
# leading "$" for a reference to another variable.
PDF_SIGNING_P12 = env.str("PDF_SIGNING_P12", default="").strip()
PDF_SIGNING_P12_PASSWORD = os.environ.get("PDF_SIGNING_P12_PASSWORD", "")
# E-mails (the outbox): an e-mail is tried OUTBOX_MAX_ATTEMPTS times, with backoff, before it is marked
# failed; the beat sweep queues again a pending e-mail overdue by OUTBOX_SWEEP_MINUTES (broker was down).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_SWEEP_MINUTES = env.int("OUTBOX_SWEEP_MINUTES", default=2)
if OUTBOX_MAX_ATTEMPTS < 1 or OUTBOX_SWEEP_MINUTES < 1:
    raise ImproperlyConfigured("OUTBOX_MAX_ATTEMPTS and OUTBOX_SWEEP_MINUTES must be at least 1.")
# Reminders to leaders who have not signed, so many days before a pact's deadline.
PACT_REMINDER_DAYS = [int(n) for n in env.list("PACT_REMINDER_DAYS", default=["7", "3", "1"])]
CELERY_BEAT_SCHEDULE = {
    "pact-reminders": {
        "task": "pacts.tasks.send_due_reminders",
        "schedule": timedelta(hours=env.int("PACT_REMINDER_EVERY_HOURS", default=24)),
    },
    "pdf-sweep": {
        "task": "pacts.tasks.sweep_pdf_jobs",
        "schedule": PDF_SWEEP_EVERY,
    },
    "report-sweep": {
        "task": "reports.tasks.sweep_report_jobs",
        "schedule": PDF_SWEEP_EVERY,
    },
    "outbox-sweep": {
        "task": "outbox.tasks.sweep_emails",
        "schedule": timedelta(minutes=1),
    },
    "ranking-changes-fold": {
        "task": "awards.tasks.fold_ranking_changes",
        "schedule": timedelta(minutes=5),
    },
}

# Logging: to the console, where docker and systemd collect it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "exceptions_only": {"()": "outbox.error_reports.ExceptionsOnly"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Django's default mails ADMINS from inside the failed request; this writes the report to the outbox.
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "exceptions_only"],
            "class": "outbox.error_reports.OutboxAdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs a line per page at INFO: too much for the PDF worker's log. The security log (attempts
    # on a pact by someone who is no party to it, pacts.audit.security_record) is kept whatever LOG_LEVEL says.
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "thidua.security": {"level": "INFO"},
    },
}

# Production hardening: `manage.py check --deploy` reports nothing with DEBUG off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", default=True)
    # Health checks call plain http from inside the container, behind no proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Secure-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Secure-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    ADMINS = [("Quản trị", addr) for addr in env.list("ADMIN_EMAILS", default=[])]
