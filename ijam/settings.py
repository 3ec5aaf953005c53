# SPDX-License-Identifier: AGPL-3.0-or-later
"""Django settings for IJAM.

Every setting that differs between machines comes from an environment variable with a safe
default; the README lists them all. Production runs with ``DEBUG`` off, which turns on the
HTTPS-only cookie and HSTS settings that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ijam.database import database_url
from ijam.logs import logging_config
from ijam.secret_key import DEVELOPMENT_SECRET_KEY, refusal

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

# SECRET_KEY: required when DEBUG is off, and strong (ijam/secret_key.py: at least 50
# characters, 5 different ones, not a default or well-known value): every process that loads
# these settings refuses to start otherwise. A fixed development key is used only with DEBUG on.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Zet SECRET_KEY (of DEBUG=1 voor lokaal gebruik).")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif not DEBUG and (_weak_key := refusal(SECRET_KEY)):
    raise ImproperlyConfigured(_weak_key)

# IJAM_AUDIT_KEY: the key that seals audit events and anchors (HMAC-SHA256, ADR 0002); at least
# 32 characters, required when DEBUG is off, never stored in the database. A fixed development
# key is used only with DEBUG on. IJAM_AUDIT_KEYS: comma-separated older keys, kept after a
# rotation only to verify the events they sealed.
IJAM_AUDIT_KEY = os.environ.get("IJAM_AUDIT_KEY", "")
if not IJAM_AUDIT_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Zet IJAM_AUDIT_KEY (of DEBUG=1 voor lokaal gebruik).")
    IJAM_AUDIT_KEY = "ijam-development-only-audit-key-never-use-in-production"  # noqa: S105
elif len(IJAM_AUDIT_KEY) < 32:
    raise ImproperlyConfigured("IJAM_AUDIT_KEY moet minstens 32 tekens lang zijn.")
IJAM_AUDIT_KEYS = env_list("IJAM_AUDIT_KEYS", "")

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
    "csp",
    "channels",
    "procrastinate.contrib.django",
    "viewflow",
    "viewflow.workflow",
    "casebook",
    "workflows",
    "notifications",
    "reports",
    "ijam",  # the project itself: its management commands (the demo data)
    # Lockout after failed log-ins (ADR 0015). After casebook, whose audited commands replace
    # axes' own reset commands.
    "axes",
]

MIDDLEWARE = [
    # First: every response names its request (X-Request-ID), every log line carries it.
    "ijam.logs.RequestIdDjangoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # First, so its trace holds every line the request writes to the processing log.
    "casebook.middleware.ProcessingLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "ijam.headers.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ijam.headers.NoStoreMiddleware",
    # Which second factor verified this session (request.user.is_verified()), and: a signed-in
    # user without one reaches only the second-factor step and log-out (ADR 0014).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication and messages: ends an idle or too long session (ADR 0015).
    "ijam.sessions.SessionLimitsMiddleware",
    # After the session limits (an idle session goes to the log-in, not to the step).
    "casebook.middleware.SecondFactorMiddleware",
    "casebook.middleware.ConflictMiddleware",
    "casebook.middleware.DeniedAccessMiddleware",
    # Last, as its documentation asks: turns a refused log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "ijam.sessions.session_limits",
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
# Axes first: it refuses a locked-out log-in before any backend checks the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "casebook.auth.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Argon2id first; the others only read older hashes, which are rehashed with Argon2 at the
# user's next successful log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # Django's, with the Dutch message its 5.2 catalogue lost (ijam/passwords.py).
        "NAME": "ijam.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Sign-in through the municipality's identity provider (optional; casebook/oidc.py) -------
# OIDC_RP_CLIENT_ID: IJAM's client id at the IdP; set, the log-in page offers "Inloggen via
# <IJAM_OIDC_PROVIDER_NAME>" and these must be set too: OIDC_RP_CLIENT_SECRET,
# OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT and
# OIDC_OP_JWKS_ENDPOINT (RS256 ID tokens, checked against the IdP's keys) and OIDC_OP_ISSUER
# (the "iss" the ID tokens must carry; their "aud" must be OIDC_RP_CLIENT_ID).
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "").strip()
IJAM_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
if IJAM_OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_OP_ISSUER",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured("Met OIDC_RP_CLIENT_ID horen ook: " + ", ".join(_missing))
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "casebook.oidc.MunicipalIdentityBackend"]
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds per call to the IdP; it never hangs a web worker
OIDC_CREATE_USER = False  # an unknown person gets no account; roles stay managed in IJAM
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
# IJAM_OIDC_PROVIDER_NAME: how the log-in page names the IdP ("Inloggen via …").
IJAM_OIDC_PROVIDER_NAME = os.environ.get("IJAM_OIDC_PROVIDER_NAME", "de gemeente")
# IJAM_OIDC_MFA_AMR: the ID token's "amr" values that count as a second factor at the IdP
# (RFC 8176), comma-separated; then IJAM asks no second factor of its own. Empty: IJAM always
# asks its own second factor after an IdP log-in too.
IJAM_OIDC_MFA_AMR = env_list("IJAM_OIDC_MFA_AMR", "mfa,otp,hwk,swk,sc")


def _positive(name: str, default: str) -> int:
    value = os.environ.get(name, default).strip()
    if not value.isdecimal() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


# --- Sessions (ijam/sessions.py, ADR 0015) ----------------------------------------------------
# IJAM_SESSION_IDLE_MINUTES: a session ends after this many minutes without activity (a page,
# a form, "Ingelogd blijven"); background requests do not count.
IJAM_SESSION_IDLE_MINUTES = _positive("IJAM_SESSION_IDLE_MINUTES", "30")
# IJAM_SESSION_MAX_HOURS: a session ends this many hours after log-in, whatever the activity.
IJAM_SESSION_MAX_HOURS = _positive("IJAM_SESSION_MAX_HOURS", "10")
# IJAM_SESSION_WARNING_MINUTES: the page warns this many minutes before the session ends.
IJAM_SESSION_WARNING_MINUTES = _positive("IJAM_SESSION_WARNING_MINUTES", "5")
if IJAM_SESSION_IDLE_MINUTES > IJAM_SESSION_MAX_HOURS * 60:
    raise ImproperlyConfigured("IJAM_SESSION_IDLE_MINUTES is longer than IJAM_SESSION_MAX_HOURS")
if IJAM_SESSION_WARNING_MINUTES >= IJAM_SESSION_IDLE_MINUTES:
    raise ImproperlyConfigured(
        "IJAM_SESSION_WARNING_MINUTES must be shorter than IJAM_SESSION_IDLE_MINUTES"
    )
# The session itself (cookie and database row) never outlives the absolute maximum; the idle
# timeout is IJAM's own check on every request. The cookie also ends when the browser closes.
SESSION_COOKIE_AGE = IJAM_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Lockout after failed log-ins (django-axes, ADR 0015) -------------------------------------
# IJAM_LOGIN_FAILURE_LIMIT: failed log-ins after which a user name, and separately an IP
# address, is locked out (also for user names that do not exist, and for /beheer/).
AXES_FAILURE_LIMIT = _positive("IJAM_LOGIN_FAILURE_LIMIT", "5")
# IJAM_LOGIN_COOLOFF_MINUTES: how long a lockout lasts, counted from the last failed attempt
# before it; a functioneel beheerder can lift it earlier (audited).
IJAM_LOGIN_COOLOFF_MINUTES = _positive("IJAM_LOGIN_COOLOFF_MINUTES", "30")
AXES_COOLOFF_TIME = dt.timedelta(minutes=IJAM_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts during a lockout do not restart the cool-off: the page's "30 minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ijam.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ijam.lockout.client_ip"
# No table of successful log-ins (the audit trail and the server log are ours); attempts are
# deleted when their cool-off has passed. Axes never stores a password.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# Its own admin deletes attempts without an audit event: ours lifts a lockout through a service.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # no banner; user names and addresses stay out of its log lines
# IJAM_TRUSTED_PROXY_COUNT: how many reverse proxies in front of IJAM add the client's address
# to X-Forwarded-For. 0 (default): the header is ignored and the connection's address counts.
# Behind one proxy (USE_X_FORWARDED_PROTO=1) set 1, or every user shares the proxy's address.
IJAM_TRUSTED_PROXY_COUNT = int(os.environ.get("IJAM_TRUSTED_PROXY_COUNT", "0"))
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
X_FRAME_OPTIONS = "DENY"  # with CSP frame-ancestors 'none' below, for older browsers
# Another site's window that opens IJAM (or that IJAM opens) gets no handle on it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
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

# --- Security headers (ijam/headers.py, docs/adr/0016-security-headers.md) ------------------
# Content-Security-Policy (django-csp): scripts, styles, fonts, images and connections from
# IJAM's own origin only, no inline script or style anywhere (tests/test_security_headers.py
# scans the templates), no eval (htmx is configured without it in templates/base.html).
# 'self' in connect-src also covers the same-origin websocket (ws:/wss:, CSP level 3).
# img-src allows data: for the icons the Utrecht design-system CSS embeds as data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}
# Permissions-Policy: every powerful browser feature off; IJAM uses none of them. (WebAuthn,
# publickey-credentials-*, keeps the browser's default, its own origin: a security key may
# become a second factor. interest-cohort is gone from browsers; browsing-topics replaced it.)
IJAM_PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

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
            # IJAM_CHANNEL_PREFIX: the prefix of IJAM's keys in Redis, so two instances
            # (acceptance and production) can share one Redis without hearing each other.
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, as long as the
                # layer's blocking pop waits for a message (channels_redis#422): every idle
                # websocket then died after 5 s. The socket must wait longer than the pop.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": os.environ.get("IJAM_CHANNEL_PREFIX", "ijam"),
            },
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
# --- The stuurgroep's reports (reports/, ADR 0022) -------------------------------------------
# IJAM_REPORT_THRESHOLD: counts below this (1 … threshold-1) are suppressed in every published
# table, with whatever would let a reader recompute them; percentiles need this many cases.
IJAM_REPORT_THRESHOLD = int(os.environ.get("IJAM_REPORT_THRESHOLD", "5"))
# IJAM_EMERGENCY_ACCESS_HOURS: how long an emergency access ("break the glass") lasts.
IJAM_EMERGENCY_ACCESS_HOURS = int(os.environ.get("IJAM_EMERGENCY_ACCESS_HOURS", "24"))
# IJAM_EMERGENCY_ACCESS_PER_DAY: how many emergency accesses one user may open in 24 hours;
# more is not an emergency but browsing (case numbers are sequential).
IJAM_EMERGENCY_ACCESS_PER_DAY = int(os.environ.get("IJAM_EMERGENCY_ACCESS_PER_DAY", "3"))

# --- Retention (casebook/services/retention.py, ADR 0020) -----------------------------------
# Terms after which the daily retention job anonymises or removes personal data: a proposal
# for the privacy officer (ADR 0020 says why each). In months, counted from the moment named.
# IJAM_RETENTION_CLOSED_CASE_MONTHS: a case that was on the ladder, after its closure.
IJAM_RETENTION_CLOSED_CASE_MONTHS = _positive("IJAM_RETENTION_CLOSED_CASE_MONTHS", "60")
# IJAM_RETENTION_SIGNAL_MONTHS: a signal not taken up, after that decision (a case screened
# out, all of whose signals were not taken up, follows this term too).
IJAM_RETENTION_SIGNAL_MONTHS = _positive("IJAM_RETENTION_SIGNAL_MONTHS", "12")
# IJAM_RETENTION_GROUP_MONTHS: a group approach, after it was closed (step 7 or 2A).
IJAM_RETENTION_GROUP_MONTHS = _positive("IJAM_RETENTION_GROUP_MONTHS", "60")
# IJAM_RETENTION_NOTIFICATION_MONTHS: in-app notifications (they name a case), after creation.
IJAM_RETENTION_NOTIFICATION_MONTHS = _positive("IJAM_RETENTION_NOTIFICATION_MONTHS", "6")
# IJAM_RETENTION_LOGIN_MONTHS: failed log-in records (user name, IP address, browser).
IJAM_RETENTION_LOGIN_MONTHS = _positive("IJAM_RETENTION_LOGIN_MONTHS", "6")
# IJAM_RETENTION_ACCOUNT_REQUEST_MONTHS: the free texts of role grants and second-factor resets
# (about staff), after the decision; who, what and when stay.
IJAM_RETENTION_ACCOUNT_REQUEST_MONTHS = _positive("IJAM_RETENTION_ACCOUNT_REQUEST_MONTHS", "24")
# IJAM_RETENTION_BATCH: rows per transaction of a retention run.
IJAM_RETENTION_BATCH = _positive("IJAM_RETENTION_BATCH", "500")

# --- Processing log (Logboek Dataverwerkingen, ADR 0017) -------------------------------------
# IJAM_PSEUDONYM_KEY: the key of the youths' pseudonyms in the processing log (HMAC-SHA256),
# at least 32 characters; required when DEBUG is off, kept outside the database. Changing it
# makes new lines about a youth unlinkable to the old ones: keep the old key to answer
# subject-access requests over lines written under it.
IJAM_PSEUDONYM_KEY = os.environ.get("IJAM_PSEUDONYM_KEY", "")
# IJAM_PROCESSING_LOG_ASYNC_COMMIT: commit the processing log's lines without waiting for the
# disk (PostgreSQL's synchronous_commit off, for that statement only): a page's lines cost
# about half, but a crash of the database server may lose the last fraction of a second of
# lines (never corrupt them). Off: every line is on disk before the page is served.
IJAM_PROCESSING_LOG_ASYNC_COMMIT = env_bool("IJAM_PROCESSING_LOG_ASYNC_COMMIT", False)
if not IJAM_PSEUDONYM_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Zet IJAM_PSEUDONYM_KEY (of DEBUG=1 voor lokaal gebruik).")
    IJAM_PSEUDONYM_KEY = "ijam-development-only-pseudonym-key-never-in-production"  # noqa: S105
elif len(IJAM_PSEUDONYM_KEY) < 32:
    raise ImproperlyConfigured("IJAM_PSEUDONYM_KEY moet minstens 32 tekens lang zijn.")

# --- The audit trail's anchor (ADR 0002) ------------------------------------------------------
# IJAM_AUDIT_ANCHOR_DIR: folder outside the database where the worker appends signed
# checkpoints of the chain's head (position, hash, time), one JSON line each, hourly; keep it
# on other storage than the database (a mounted backup volume, an object-store sync).
IJAM_AUDIT_ANCHOR_DIR = Path(
    os.environ.get("IJAM_AUDIT_ANCHOR_DIR", "") or BASE_DIR / "var" / "audit-anchors"
)
# IJAM_PRIVACY_OFFICER_EMAIL: comma-separated addresses that get the daily checkpoint by e-mail
# (position, hash and time only); empty: no e-mail.
IJAM_PRIVACY_OFFICER_EMAIL = env_list("IJAM_PRIVACY_OFFICER_EMAIL", "")

# --- Background jobs (procrastinate) ----------------------------------------------------------
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "jobs"
# IJAM_WORKER_MAX_HEARTBEAT_AGE: seconds after which /healthz reports the worker as down.
IJAM_WORKER_MAX_HEARTBEAT_AGE = int(os.environ.get("IJAM_WORKER_MAX_HEARTBEAT_AGE", "180"))

# --- Logging (ADR 0021) ----------------------------------------------------------------------
# Every logger (Django, uvicorn, procrastinate, IJAM's apps) writes one JSON object per line to
# stderr, with request_id and trace_id, query strings and other personal data kept out
# (ijam/logs.py). LOG_FORMAT=text: the same fields as a readable line, for a developer.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json").strip().lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT moet 'json' of 'text' zijn.")
LOGGING = logging_config(
    log_format=LOG_FORMAT,
    level=os.environ.get("LOG_LEVEL", "INFO"),
    procrastinate_level=os.environ.get("PROCRASTINATE_LOG_LEVEL", "WARNING"),
)
