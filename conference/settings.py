"""Settings for the National KOL Conference system.

Everything that differs between a laptop and production comes from environment
variables; the defaults are safe for local use (DEBUG off, SQLite, no secret in
the repository).
"""

import ipaddress
import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime state (SQLite database, generated secret key, media, outgoing mail)
# lives in one ignored folder so a clone stays clean.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / ".data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


_RATE_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def env_rate(name, default):
    """A request limit as (count, seconds) from "10/h", "5/15min", "5/15 min" or "120/min".

    A bare integer ("10") keeps its old meaning: that many in the default's period. Anything
    else stops the start with a message naming the variable, instead of a ValueError later.
    """
    raw = os.environ.get(name, default).strip()
    default_seconds = env_rate_parse(name, default)[1]
    if raw.isdigit():
        return int(raw), default_seconds
    return env_rate_parse(name, raw)


def env_rate_parse(name, raw):
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*", raw.lower())
    if not match or match.group(3) not in _RATE_UNITS or int(match.group(1)) < 1 or match.group(2) == "0":
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a request limit: write a count and a period, "
            f"such as 10/h, 5/15min or 120/min (units: s, min, h, d), or a bare count."
        )
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _RATE_UNITS[unit]


def env_networks(name, default):
    """Comma-separated addresses or networks ("10.0.0.10, 127.0.0.1, 10.1.0.0/24"), checked at start."""

    networks = []
    for item in env_list(name, default):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network.")
    return networks


def _local_secret_key():
    """A key generated once per checkout and kept out of git, so none is ever committed."""
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The public address used in e-mailed links (magic links are opened from a mail client).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "conference.apps.ConferenceAdminConfig",  # django.contrib.admin with the organizer homes on its index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "ninja",
    "events",
    "ticketing",
    "sessions",  # AppConfig label "agenda": django.contrib.sessions owns "sessions"
    "conference",  # the project's own system checks (conference/checks.py)
]

MIDDLEWARE = [
    "conference.logs.RequestIdMiddleware",  # first: every log line of the request carries its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "conference.input.RejectNulMiddleware",  # before any view or CSRF check reads a NUL into a query
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ticketing.middleware.PairedDeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "conference.security.SecurityHeadersMiddleware",
    "conference.security.RateLimitMiddleware",
    "conference.media.MediaStorageErrorMiddleware",
]

ROOT_URLCONF = "conference.urls"
WSGI_APPLICATION = "conference.wsgi.application"

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
            ],
        },
    },
]

# --- Database --------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL (e.g. postgres://…) switches.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}", conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write
        # lock at BEGIN so two transactions never deadlock upgrading read locks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    # Tests use a file, not :memory:, so live-server concurrency tests hit a real,
    # shared database (pytest-xdist adds a per-worker suffix).
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs ----------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by every process of this machine, unlike LocMem (one per gunicorn worker): rate limits
    # and the login lockout count there (conference/security.py). Several machines need Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(DATA_DIR / "cache")),
            # Django culls a third of the entries past MAX_ENTRIES (300 by default): counters must stay.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

Q_CLUSTER = {
    "name": "conference",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 300,  # a 1,000-badge print job takes tens of seconds
    "retry": 360,  # django-q2 requires retry > timeout
    "max_attempts": 3,
    "catch_up": False,
    "label": _("Background jobs"),
    # Tests run jobs inline: django-q2 reads this once at import, see tests/settings.
    "sync": env_bool("Q_SYNC"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 0.5

# --- Authentication --------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# One sign-in page for every staff role (conference.staff); the admin keeps its own for organizers.
LOGIN_URL = "staff:sign_in"
# The lockout backend comes first: it refuses locked-out usernames before any password check.
AUTHENTICATION_BACKENDS = ["conference.security.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]

# --- Language, time, money -------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["conference.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "conference_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# `manage.py seed_demo` leaves one badge per demo event here as a PDF (the-<slug>.pdf), to scan.
DEMO_BADGE_DIR = DATA_DIR / "demo"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "conference.staticfiles.StaticFilesStorage"  # hashed names, in ES module imports too
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail ----------------------------------------------------------------
# Locally mail lands as files in .data/mail so a person can open the magic link.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hội nghị KOL toàn quốc <no-reply@kol-conference.local>")

# --- Security --------------------------------------------------------------
# HTTPS=1 in production behind TLS: secure cookies, HSTS, redirect to https.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
BEHIND_PROXY = env_bool("BEHIND_PROXY")
# With BEHIND_PROXY, X-Forwarded-For is read only on requests that come from these addresses (our
# nginx), and only its last entry: the one nginx appended. A client talking to gunicorn directly
# cannot choose its address for the rate limits.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", "127.0.0.1,::1")

# Rate limits (count, seconds) per client; see conference/security.py for which URLs they guard.
RATE_LIMIT_REGISTRATION = env_rate("RATE_LIMIT_REGISTRATION", "10/h")
RATE_LIMIT_MAGIC_LINK = env_rate("RATE_LIMIT_MAGIC_LINK", "5/15min")
RATE_LIMIT_ORDER = env_rate("RATE_LIMIT_ORDER", "10/h")  # orders placed per address
RATE_LIMIT_LOGIN = env_rate("RATE_LIMIT_LOGIN", "20/15min")
RATE_LIMIT_SCAN = env_rate("RATE_LIMIT_SCAN", "120/min")  # per device token or door user
RATE_LIMIT_FLOOR_QUESTION = env_rate("RATE_LIMIT_FLOOR_QUESTION", "5/5min")  # questions, feedback per person
RATE_LIMIT_FLOOR_VOTE = env_rate("RATE_LIMIT_FLOOR_VOTE", "120/min")  # votes and poll answers per person
LOGIN_LOCKOUT_FAILURES = int(os.environ.get("LOGIN_LOCKOUT_FAILURES", "5"))  # per username and address
LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS = int(os.environ.get("LOGIN_LOCKOUT_FAILURES_ANY_ADDRESS", "20"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))

# --- The conference --------------------------------------------------------
# How long an e-mailed magic link opens the personal page.
MAGIC_LINK_MAX_AGE = int(os.environ.get("MAGIC_LINK_MAX_AGE", str(7 * 24 * 3600)))
# Personal data of an event is anonymized this many days after its last day (`manage.py anonymize_expired`).
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "365"))
# Days organizers have to complete a participant's erasure request; the organizer home counts them down.
# Decree 356/2025 sets 10 to 20 days by right (15 to cease processing): have counsel confirm yours.
PERSONAL_DATA_REQUEST_DAYS = int(os.environ.get("PERSONAL_DATA_REQUEST_DAYS", "15"))

# Door check-in window: doors admit from this many hours before the first day (00:00)
# until this many hours after the last day ends (24:00), local time.
CHECKIN_OPENS_HOURS_BEFORE = int(os.environ.get("CHECKIN_OPENS_HOURS_BEFORE", "24"))
CHECKIN_CLOSES_HOURS_AFTER = int(os.environ.get("CHECKIN_CLOSES_HOURS_AFTER", "6"))
# Badge desks: which CUPS queue each desk (its gate name on the scanner page) prints on, as
# "Desk 1=Brother_QL_1;Desk 2=Brother_QL_2"; a desk not listed uses CUPS's default destination.
BADGE_DESK_PRINTERS = dict(
    entry.split("=", 1) for entry in os.environ.get("BADGE_DESK_PRINTERS", "").split(";") if "=" in entry
)

# --- Tickets and payments ---------------------------------------------------
# Only a buyer who proved their e-mail holds seats. A confirmed order holds them this long for a card
# payment, or this long from its confirmation once the buyer chooses a bank transfer (which takes hours);
# an order placed without proof waits this long for its e-mailed confirmation link, holding nothing.
TICKETING_CARD_HOLD_MINUTES = int(os.environ.get("TICKETING_CARD_HOLD_MINUTES", "30"))
TICKETING_TRANSFER_HOLD_MINUTES = int(os.environ.get("TICKETING_TRANSFER_HOLD_MINUTES", str(24 * 60)))
TICKETING_CONFIRMATION_MINUTES = int(os.environ.get("TICKETING_CONFIRMATION_MINUTES", str(24 * 60)))
# Orders one buyer (one verified e-mail) may have waiting for payment at once.
TICKETING_MAX_OPEN_ORDERS_PER_BUYER = int(os.environ.get("TICKETING_MAX_OPEN_ORDERS_PER_BUYER", "2"))
TICKETING_MAX_PASSES_PER_ORDER = 20
# Card payments: both keys are needed; without them the order page says card payment is unavailable.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # empty: Stripe's own API
# Bank transfers by VietQR: the organizers' receiving account (NAPAS BIN of the bank, 6 digits).
# Incoming transfers pushed by SePay (API key header) or Casso (webhook v2 signature key); unset: refused.
SEPAY_WEBHOOK_API_KEY = os.environ.get("SEPAY_WEBHOOK_API_KEY", "")
CASSO_WEBHOOK_SECRET = os.environ.get("CASSO_WEBHOOK_SECRET", "")
VIETQR_BANK = {
    "bin": os.environ.get("VIETQR_BANK_BIN", ""),
    "account": os.environ.get("VIETQR_ACCOUNT", ""),
    "account_name": os.environ.get("VIETQR_ACCOUNT_NAME", ""),
    "bank_name": os.environ.get("VIETQR_BANK_NAME", ""),
    # A demo account (`bash run.sh start` without VIETQR_* set): the order page and e-mail say not to pay.
    "demo": env_bool("VIETQR_DEMO"),
}

# One JSON object per line with time, level, logger, request id and user/device id, tokens redacted
# (conference/logs.py); LOG_FORMAT=text for plain lines in a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "conference.logs.JsonFormatter"},
        "text": {"()": "conference.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "text" if LOG_FORMAT == "text" else "json"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # With a handler of ours, django-q2 adds none of its own (plain lines, each printed twice).
        "django-q": {"level": os.environ.get("Q_LOG_LEVEL", "WARNING"), "handlers": ["console"], "propagate": False},
    },
}
