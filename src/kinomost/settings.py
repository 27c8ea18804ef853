"""Django settings. Everything that differs between machines comes from the environment.

KINOMOST_DATA_DIR       where the embedded database, media and generated secrets live (default ./var)
KINOMOST_DATABASE_URL   e.g. postgresql://user@127.0.0.1:5432/kinomost (default: SQLite in the data dir)
KINOMOST_SECRET_KEY     signing key; without it one is generated once into the data dir
KINOMOST_DEBUG          1 to show Django's debug pages (never in production)
KINOMOST_ALLOWED_HOSTS  comma-separated host names (default: localhost names only)
KINOMOST_TRUSTED_PROXIES  IPs/CIDRs whose X-Forwarded-For is believed (default: none)
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("KINOMOST_DATA_DIR", PROJECT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read the key from the environment, or keep one generated key per data directory."""
    from_env = os.environ.get("KINOMOST_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("KINOMOST_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("KINOMOST_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h.strip()
]
# Proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated; default none):
# kinomost.core.http.client_ip is the one reader.
from kinomost.core.http import parse_trusted_proxies  # noqa: E402

KINOMOST_TRUSTED_PROXIES = parse_trusted_proxies(os.environ.get("KINOMOST_TRUSTED_PROXIES", ""))
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("KINOMOST_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "ninja",  # its templates and static files: /api/docs serves Swagger UI from here (not a CDN), under the CSP
    "kinomost.core",
    "kinomost.parties",
    "kinomost.catalog",
    "kinomost.rights",
    "kinomost.cinema",
    "kinomost.exchange",
    "kinomost.royalties",
    "kinomost.web",
    "kinomost.tv",
    "kinomost.demo",
    "axes",
    "csp",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # CORS only for registered apps on the paths of cinema/origins.py
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "kinomost.web.middleware.CleanTextMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kinomost.parties.middleware.ActiveOrganisationMiddleware",
    "kinomost.web.middleware.ReaderTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kinomost.urls"
WSGI_APPLICATION = "kinomost.wsgi.application"
ASGI_APPLICATION = "kinomost.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinomost.web.context_processors.kinomost",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("KINOMOST_DATABASE_URL", f"sqlite:///{DATA_DIR / 'kinomost.sqlite3'}"),
        conn_max_age=int(os.environ.get("KINOMOST_DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request's first query (PostgreSQL: one `SELECT 1`;
        # SQLite: nothing), so that a database restart or failover costs no request a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE transactions make
    # writers queue instead of failing with "database is locked" half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if os.environ.get("KINOMOST_TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["KINOMOST_TEST_DATABASE_NAME"]}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's in-memory default: concurrency tests need real connections that wait.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-kinomost.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "parties.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

AUTHENTICATION_BACKENDS = [
    "kinomost.parties.throttle.IpBoundBackend",  # an IP over its bound is refused first
    "axes.backends.AxesStandaloneBackend",  # then a locked username + IP pair
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (kinomost.parties.throttle, docs/security-accounts.md): a username + IP pair
# is locked after KINOMOST_LOGIN_FAILURES failures for KINOMOST_LOGIN_LOCK_MINUTES; one IP after
# KINOMOST_LOGIN_FAILURES_PER_IP failures over all usernames; invalid API keys from one IP are
# answered 429 after KINOMOST_API_KEY_FAILURES_PER_IP for KINOMOST_API_KEY_LOCK_MINUTES.
KINOMOST_LOGIN_FAILURES = int(os.environ.get("KINOMOST_LOGIN_FAILURES", "5"))
KINOMOST_LOGIN_LOCK_MINUTES = int(os.environ.get("KINOMOST_LOGIN_LOCK_MINUTES", "15"))
KINOMOST_LOGIN_FAILURES_PER_IP = int(os.environ.get("KINOMOST_LOGIN_FAILURES_PER_IP", "50"))
KINOMOST_API_KEY_FAILURES_PER_IP = int(os.environ.get("KINOMOST_API_KEY_FAILURES_PER_IP", "20"))
KINOMOST_API_KEY_LOCK_MINUTES = int(os.environ.get("KINOMOST_API_KEY_LOCK_MINUTES", "15"))
# Wrong device codes typed from one IP (storefront activation page) and wrong PINs to leave a
# kids profile lock for KINOMOST_LOGIN_LOCK_MINUTES after these many failures.
KINOMOST_DEVICE_CODE_FAILURES_PER_IP = int(os.environ.get("KINOMOST_DEVICE_CODE_FAILURES_PER_IP", "10"))
KINOMOST_PIN_FAILURES = int(os.environ.get("KINOMOST_PIN_FAILURES", "5"))
AXES_FAILURE_LIMIT = KINOMOST_LOGIN_FAILURES
AXES_COOLOFF_TIME = KINOMOST_LOGIN_LOCK_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock lasts its minutes, however often one knocks
AXES_CLIENT_IP_CALLABLE = "kinomost.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "kinomost.parties.throttle.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The throttle counters above must be one count per node, not per worker process (`kinomost serve`
# runs one per core): without Redis, a folder of the data dir that the node's processes share.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache")}}
if os.environ.get("KINOMOST_REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["KINOMOST_REDIS_URL"]}

# Email (sign-up links): printed to the console unless an SMTP server is configured.
DEFAULT_FROM_EMAIL = os.environ.get("KINOMOST_EMAIL_FROM", "Kinomost <noreply@localhost>")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if os.environ.get("KINOMOST_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["KINOMOST_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("KINOMOST_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("KINOMOST_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KINOMOST_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = EMAIL_PORT == 587

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = []
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Online cinema: HLS output is public (nginx/CDN serve it); masters and key files stay private.
CINEMA_HLS_ROOT = Path(os.environ.get("KINOMOST_CINEMA_HLS_DIR", MEDIA_ROOT / "hls")).resolve()
CINEMA_PRIVATE_ROOT = Path(os.environ.get("KINOMOST_CINEMA_PRIVATE_DIR", DATA_DIR / "cinema")).resolve()
CINEMA_LEASE_SECONDS = int(os.environ.get("KINOMOST_CINEMA_LEASE_SECONDS", "60"))
ROYALTIES_PDF_FONT = os.environ.get("KINOMOST_ROYALTIES_PDF_FONT", "")  # default: Debian's fonts-noto-cjk (royalties.export)


def cinema_object_storages(environ) -> dict:
    """S3-compatible object storage for the cinema (django-storages), from the environment:
    KINOMOST_S3_BUCKET (unset: the local folders above, nothing else changes), KINOMOST_S3_ENDPOINT_URL
    (MinIO, Ceph, Yandex Object Storage…; unset: AWS), KINOMOST_S3_REGION, KINOMOST_S3_ACCESS_KEY_ID
    and KINOMOST_S3_SECRET_ACCESS_KEY (unset: boto3's own chain — AWS_* variables, an instance
    role), KINOMOST_S3_PREFIX (a folder inside the bucket), KINOMOST_S3_ADDRESSING_STYLE (path or
    virtual). Two aliases: `cinema` (public HLS packages under <prefix>/hls/) and `cinema_private`
    (handed-in masters, dubs and subtitles under <prefix>/private/); the bucket itself stays private."""
    bucket = environ.get("KINOMOST_S3_BUCKET", "")
    if not bucket:
        return {}
    prefix = environ.get("KINOMOST_S3_PREFIX", "").strip("/")
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("KINOMOST_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("KINOMOST_S3_REGION") or None,
        "access_key": environ.get("KINOMOST_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("KINOMOST_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": environ.get("KINOMOST_S3_ADDRESSING_STYLE") or None,
        "default_acl": None,  # objects inherit the bucket's (private) access
        "file_overwrite": True,  # a retry overwrites what a killed attempt uploaded
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        "cinema": {"BACKEND": backend, "OPTIONS": {**options, "location": "/".join(filter(None, [prefix, "hls"]))}},
        "cinema_private": {"BACKEND": backend, "OPTIONS": {**options, "location": "/".join(filter(None, [prefix, "private"]))}},
    }


STORAGES.update(cinema_object_storages(os.environ))
# Playback: the secret nginx's secure_link shares (default: derived from SECRET_KEY), how long a
# stream token lives (heartbeats renew it), streams per account, and an optional GeoIP2 database.
CINEMA_STREAM_SECRET = os.environ.get("KINOMOST_STREAM_SECRET", "")
CINEMA_TOKEN_SECONDS = int(os.environ.get("KINOMOST_CINEMA_TOKEN_SECONDS", "300"))
CINEMA_APP_ACCESS_SECONDS = int(os.environ.get("KINOMOST_APP_ACCESS_SECONDS", "900"))  # viewer apps' access tokens
CINEMA_APP_REFRESH_DAYS = int(os.environ.get("KINOMOST_APP_REFRESH_DAYS", "30"))  # … and refresh tokens
CINEMA_DEVICE_CODE_SECONDS = int(os.environ.get("KINOMOST_DEVICE_CODE_SECONDS", "600"))  # RFC 8628 codes live this long
CINEMA_MAX_STREAMS = int(os.environ.get("KINOMOST_CINEMA_MAX_STREAMS", "2"))
CINEMA_GEOIP2_COUNTRY_DB = os.environ.get("KINOMOST_GEOIP2_COUNTRY_DB", "")
# Playback sessions (cinema/playback.py, cinema/live.py, cinema/beats.py): a session's stream URLs
# last until its hard end (hours, or sooner when the entitlement ends) unless it is stopped or
# revoked; servers cache "still live" for CINEMA_LIVE_CACHE_SECONDS, heartbeats are folded into
# sessions every CINEMA_BEAT_FLUSH_SECONDS, and live sessions' licences are checked again every
# CINEMA_RECHECK_SECONDS. With KINOMOST_REDIS_URL, liveness and beats live in Redis (Streams).
CINEMA_SESSION_HOURS = float(os.environ.get("KINOMOST_CINEMA_SESSION_HOURS", "12"))
# How often the players beat (the start's `heartbeat_seconds`): the sizing's 66,667 beats/s for a
# million viewers is at 15.
CINEMA_HEARTBEAT_SECONDS = int(os.environ.get("KINOMOST_CINEMA_HEARTBEAT_SECONDS", "15"))
CINEMA_LIVE_CACHE_SECONDS = float(os.environ.get("KINOMOST_CINEMA_LIVE_CACHE_SECONDS", "2"))
CINEMA_BEAT_FLUSH_SECONDS = float(os.environ.get("KINOMOST_CINEMA_BEAT_FLUSH_SECONDS", "2"))
CINEMA_RECHECK_SECONDS = float(os.environ.get("KINOMOST_CINEMA_RECHECK_SECONDS", "30"))
CINEMA_BEAT_FOLDER_THREAD = os.environ.get("KINOMOST_CINEMA_BEAT_FOLDER_THREAD", "1") not in ("0", "false", "no")
REDIS_URL = os.environ.get("KINOMOST_REDIS_URL", "")
CINEMA_REDIS_PREFIX = os.environ.get("KINOMOST_REDIS_PREFIX", "kinomost:playback:")  # keys and the beat stream
# Origins of registered apps (comma-separated, e.g. "https://tv.example,https://app.example"): with
# each platform's own `app_origins`, the only origins that get CORS (cinema/origins.py).
APP_ORIGINS = [o.strip().rstrip("/").lower() for o in os.environ.get("KINOMOST_APP_ORIGINS", "").split(",") if o.strip()]
CORS_ALLOWED_ORIGINS = APP_ORIGINS  # and each platform's app_origins (cinema/apps.py connects the check)
CORS_URLS_REGEX = r"^/(api/v1/viewer/|hls/|cinema/keys/|playback/)"  # = cinema.origins.CORS_PATHS
CORS_ALLOW_CREDENTIALS = False  # apps use bearer tokens and signed URLs, never the site's cookies
CORS_EXPOSE_HEADERS = ["content-length", "content-range"]
# Imports of spreadsheets and CSV files (core/spreadsheets.py): the largest upload, the most data
# rows (sheets together), and the most a workbook may expand to when unzipped (its shared-strings
# part, held in memory whole, a quarter of that). The defaults fit the largest real imports with
# room to spare: a 100,000-row avails file (7 MB, 100 MB unzipped) and a catalogue of thousands of
# works (docs/catalogue-import.md, Limits, has the memory each costs).
IMPORT_MAX_BYTES = int(os.environ.get("KINOMOST_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("KINOMOST_IMPORT_MAX_ROWS", "150000"))
IMPORT_MAX_EXPANDED_BYTES = int(os.environ.get("KINOMOST_IMPORT_MAX_EXPANDED_BYTES", str(400 * 1024 * 1024)))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): only our own scripts, styles, fonts and
# connections; no inline script, no eval. The player plays from MediaSource `blob:` URLs, hls.js
# may run its transmuxer in a `blob:` worker and gives its subtitle tracks a `data:` source.
# `style-src-attr` stays closed: the pages draw widths and positions with classes, <progress> and
# SVG attributes instead of style="". See docs/security-accounts.md#content-security-policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
if os.environ.get("KINOMOST_HTTPS") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KINOMOST_LOG_LEVEL", "WARNING")},
    # 4xx answers are the client's business, not the operator's; 5xx still log.
    "loggers": {"django.request": {"level": "ERROR"}},
}

NINJA_PAGINATION_PER_PAGE = 50
KINOMOST_SITE_NAME = _("Kinomost")
