"""Settings for the seat reservation project.

Everything that differs between a laptop and production comes from the environment, with safe local
defaults. See the README's "Settings" table for the full list.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or value == "" else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_apscheduler",
    "ninja",  # serves /api/docs' Swagger UI from our own static files, never from a CDN
    "reservations",
    "tickets",
    "boxoffice",
    "waitingroom",
    "live",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Sees every response under /api/ (also errors from the middleware below) and keeps them JSON.
    "reservations.api.JsonErrorPagesMiddleware",
    # Before WhiteNoise, so that the files it answers (the app's index.html) get them too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "seat_reservation.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "seat_reservation.wsgi.application"

# --- Database -------------------------------------------------------------------------------------
# DATABASE_URL selects the database (PostgreSQL in production); without it an SQLite file in the
# project is used. SQLite opens every transaction with BEGIN IMMEDIATE and waits for the write lock,
# so concurrent writers queue instead of failing with "database is locked".
# PostgreSQL: a request that waits on a row lock waits a bounded time and then fails with a JSON
# 503 "busy" instead of tying up a worker (see reservations.api); a backend whose web worker died
# notices within DB_CLIENT_CHECK_MS and rolls back at once.
DB_TIMEOUTS = {
    "lock_timeout": env_int("DB_LOCK_TIMEOUT_MS", 5000),
    "statement_timeout": env_int("DB_STATEMENT_TIMEOUT_MS", 30000),
    "client_connection_check_interval": env_int("DB_CLIENT_CHECK_MS", 2000),
}
# PgBouncer in transaction mode between the app and PostgreSQL (see the README).
DB_TRANSACTION_POOLING = env_bool("DB_TRANSACTION_POOLING", False)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Behind PgBouncer in transaction mode a session belongs to nobody: no startup options
    # (PgBouncer refuses or drops them), no server-side cursors; the timeouts are set with SET LOCAL
    # at the start of every write transaction instead (reservations.services.write_transaction).
    if DB_TRANSACTION_POOLING:
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", " ".join(f"-c {name}={value}" for name, value in DB_TIMEOUTS.items())
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and the React app -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The built single-page app (frontend/dist) is served from the site root by WhiteNoise.
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
WHITENOISE_AUTOREFRESH = DEBUG
# Files named by a hash of their content are cached for good: Django's (name.<12 hex>.css under
# /static/) and Vite's (name-<8>.js under /assets/); the rest (index.html, robots.txt) for a minute.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/(static/.+\.[0-9a-f]{12}\.\w+|assets/.+-[\w-]{8}\.\w+)$"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Request limits ------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("API_MAX_BODY_BYTES", 64 * 1024)

# --- Security ------------------------------------------------------------------------------------
# DJANGO_SECURE turns on HTTPS redirect, secure cookies and HSTS. It is on by default when debug is
# off; DJANGO_SECURE=0 serves plain HTTP (loopback tests and benchmarks).
SECURE = env_bool("DJANGO_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Pages may load scripts, styles, images and data from this site only (and draw data: images: QR
# codes); no inline script or style, no eval but WebAssembly's (the check-in page's QR decoder);
# no page may be framed. /api/docs (Swagger UI's inline start-up script) is left out.
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'wasm-unsafe-eval'"],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or CORS_ALLOWED_ORIGINS

# --- Cache ------------------------------------------------------------------------------------------
# Rate-limit counters, rendered seat grids, seat counts. REDIS_URL shares them between every worker
# and node (needed as soon as there is more than one process); without it each process keeps its
# own in memory, which is all `make run` needs.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache"
        if REDIS_URL
        else os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": REDIS_URL or os.environ.get("CACHE_LOCATION", "seat-reservation"),
    }
}

# Rate limits ("attempts/seconds"), counted in the cache above. RATE_LIMITS=0 turns them off.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS", True)
RATE_LIMITS = {
    "login_user": os.environ.get("RATE_LIMIT_LOGIN_USER", "10/300"),
    "login_ip": os.environ.get("RATE_LIMIT_LOGIN_IP", "100/300"),
    "register_ip": os.environ.get("RATE_LIMIT_REGISTER_IP", "20/3600"),
    "hold": os.environ.get("RATE_LIMIT_HOLD", "30/10"),
    # Account recovery and e-mail sent on request: per address asked about, and per client.
    "password_reset": os.environ.get("RATE_LIMIT_PASSWORD_RESET", "3/3600"),
    "password_reset_ip": os.environ.get("RATE_LIMIT_PASSWORD_RESET_IP", "20/3600"),
    "resend": os.environ.get("RATE_LIMIT_RESEND", "5/3600"),
}
# Behind proxies, the request header that carries the client's address (e.g. HTTP_X_FORWARDED_FOR),
# and how many proxies of ours append to it: the client is the right-most address they did not add.
RATE_LIMIT_IP_HEADER = os.environ.get("RATE_LIMIT_IP_HEADER", "")
RATE_LIMIT_TRUSTED_PROXIES = env_int("RATE_LIMIT_TRUSTED_PROXIES", 1)

# --- On-sale and waiting room ----------------------------------------------------------------------
# The queue's state lives in Redis when REDIS_URL is set (every node shares it), else in the database.
QUEUE_ADMISSION_SECONDS = env_int("QUEUE_ADMISSION_SECONDS", 900)  # how long an admission lasts
QUEUE_ADMIT_INTERVAL_SECONDS = env_int("QUEUE_ADMIT_INTERVAL_SECONDS", 1)  # the admitter's step
QUEUE_SETTINGS_MAX_AGE_SECONDS = env_int("QUEUE_SETTINGS_MAX_AGE_SECONDS", 2)  # cached on-sale settings

# --- E-mail, tickets and links ---------------------------------------------------------------------
# The public address of the app, for links in e-mail (the reservation page, password reset).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# Without EMAIL_HOST, e-mail is printed to the console by the mailer process (make run).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Seat reservations <tickets@localhost>")
# Every price is in this currency (ISO 4217: three capital letters), named in every event answer and
# written out in e-mail, on tickets and in the admin. A typo would put a made-up currency on every
# ticket, so it stops the start instead.
CURRENCY = os.environ.get("CURRENCY", "EUR")
if not re.fullmatch(r"[A-Z]{3}", CURRENCY):
    raise ImproperlyConfigured(f"CURRENCY must be an ISO 4217 code (3 capital letters), not {CURRENCY!r}.")
# How often the mailer looks for e-mail to send (seconds).
MAILER_INTERVAL_SECONDS = float(os.environ.get("MAILER_INTERVAL_SECONDS", "1"))

# --- The seat domain -----------------------------------------------------------------------------
SEAT_LOCK_SECONDS = env_int("SEAT_LOCK_SECONDS", 300)
SEAT_HOLD_LIMIT = env_int("SEAT_HOLD_LIMIT", 10)
# Bearer tokens stop working this long after they were issued (then ask for a new one).
API_TOKEN_MAX_AGE_SECONDS = env_int("API_TOKEN_MAX_AGE_SECONDS", 30 * 24 * 3600)
# Seats one customer may hold and own together in one event (cancelled reservations free theirs).
TICKET_LIMIT_PER_CUSTOMER = env_int("TICKET_LIMIT_PER_CUSTOMER", 10)
# A hold can be extended by locking the seat again, up to this many lock periods from its start.
SEAT_HOLD_MAX_EXTENSIONS = env_int("SEAT_HOLD_MAX_EXTENSIONS", 3)
RELEASE_INTERVAL_SECONDS = env_int("RELEASE_INTERVAL_SECONDS", 60)
# The shared rendering of a whole grid is rebuilt at most this often (seconds) however many writes
# arrive; its cursor says how current it is and the change feed carries the rest.
SEAT_GRID_REBUILD_SECONDS = float(os.environ.get("SEAT_GRID_REBUILD_SECONDS", "1"))
# Each worker keeps its own copy of the renderings it last served, up to this many MB in all.
SEAT_GRID_COPIES_MB = float(os.environ.get("SEAT_GRID_COPIES_MB", "128"))
# Seat counts in the event list and event detail may be this old (the grid and the feed are exact).
SEAT_COUNTS_MAX_AGE_SECONDS = env_int("SEAT_COUNTS_MAX_AGE_SECONDS", 2)
# The change feed keeps changes this long; an older cursor gets the whole grid again.
SEAT_FEED_RETENTION_SECONDS = env_int("SEAT_FEED_RETENTION_SECONDS", 900)
# A repeat of a request with the same Idempotency-Key gets the first answer for this long.
IDEMPOTENCY_KEY_SECONDS = env_int("IDEMPOTENCY_KEY_SECONDS", 24 * 3600)

# --- django-apscheduler ----------------------------------------------------------------------------
APSCHEDULER_DATETIME_FORMAT = "N j, Y, f:s a"
APSCHEDULER_RUN_NOW_TIMEOUT = 25

# --- Logging -------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "apscheduler": {"level": "WARNING"},
        # 4xx answers (a seat someone else was faster to, a bad token) are expected outcomes here,
        # not warnings; thousands of them in an on-sale minute would drown the real ones.
        "django.request": {"level": "ERROR"},
    },
}

# --- Live seat maps (push, through Pushpin) ---------------------------------------------------------
# Pushpin's control address(es), comma-separated (one per instance): the relay publishes to each.
# Empty: no push; the stream answers 503 and the app polls the change feed.
PUSH_URL = os.environ.get("PUSH_URL", "")
# Pushpin's signing key (``sig_key`` in its pushpin.conf): a stream request must carry a Grip-Sig that
# verifies with it, else anyone who reaches a web node directly could pass for Pushpin. Empty: the
# header only has to be there (a laptop, where the web nodes are not reachable from outside).
# ``manage.py pushpin`` writes it into the Pushpin it starts.
PUSH_SIG_KEY = os.environ.get("PUSH_SIG_KEY", "")
# How often the relay reads the change feed of each event with open streams (seconds).
LIVE_RELAY_INTERVAL_SECONDS = float(os.environ.get("LIVE_RELAY_INTERVAL_SECONDS", "0.15"))
# A channel with no new stream for this long is dropped by the relay, after telling its streams to
# reconnect (which wants it again): the relay follows only events that someone is looking at.
LIVE_CHANNEL_SECONDS = env_int("LIVE_CHANNEL_SECONDS", 900)
# Pushpin sends an SSE comment on an idle stream this often, so that proxies and browsers keep it.
LIVE_KEEP_ALIVE_SECONDS = env_int("LIVE_KEEP_ALIVE_SECONDS", 20)
