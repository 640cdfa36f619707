"""Settings for NPM Portal.

Everything deployment-specific comes from environment variables (see `.env.example` and the README).
The defaults give a working local app: SQLite and media under `var/`, e-mail to the console,
tasks inline.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from npm_portal.security.config import check_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (it is required whenever DEBUG is off), or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "django_filters",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    # Security: two-factor login (TOTP + backup codes), login lockouts (see "Security" below).
    # The devices are the project's own (npm_portal.security.models: TOTP key encrypted, backup
    # codes hashed), not django-otp's plugins.
    "django_otp",
    "axes",
    # Database triggers (PostgreSQL only): the append-only access log.
    "pgtrigger",
    # The REST API (npm_portal.api) and its OpenAPI schema.
    "rest_framework",
    "drf_spectacular",
    # Project apps, left to right in their dependency order.
    "core",
    "partners",
    "visits",
    "recommendations",
    "npm_portal",
    "npm_portal.api",
    "npm_portal.webhooks",
    "npm_portal.notifications",
    "npm_portal.authority_portal",
]

MIDDLEWARE = [
    # The client's address: X-Forwarded-For only from the proxies in NPM_TRUSTED_PROXIES.
    "npm_portal.security.middleware.ClientIPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy, Cross-Origin-Resource-Policy; no Server header.
    "npm_portal.security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session lifetime; ends sessions of deactivated users.
    "npm_portal.security.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After LoginRequiredMiddleware: a password-only login is sent to the one-time code step.
    "npm_portal.security.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "npm_portal.errors.StyledNotFoundMiddleware",  # DEBUG: no technical 404 but to superusers
    "simple_history.middleware.HistoryRequestMiddleware",
    # Writes the access log (downloads, denials) once the response is known.
    "npm_portal.security.middleware.AccessLogMiddleware",
    # Every API request. Inside the one above, so it writes first and that one does not log
    # the API's denials a second time.
    "npm_portal.api.middleware.ApiAccessLogMiddleware",
    # Authority users reach the authority area and their account pages only: 404 elsewhere.
    "npm_portal.authority_portal.middleware.AuthorityAreaMiddleware",
    "npm_portal.security.middleware.NoStoreMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "npm_portal.urls"
WSGI_APPLICATION = "npm_portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "core.roles.roles_context",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise (PostgreSQL in CI and production).
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A read replica (a streaming copy of the same PostgreSQL database), when DATABASE_REPLICA_URL
# names one: only code inside core.replica.reads_from_replica reads from it (read-heavy
# pages that can bear a moment's lag); every write, migration and other read goes to default.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    # Tests read the test database through this alias: the same database, not a copy.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":
        # Read-only sessions: a write that reached the replica would fail here, not later.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
            "options", "-c default_transaction_read_only=on"
        )
for _database in DATABASES.values():
    if _database["ENGINE"] != "django.db.backends.sqlite3":
        _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        _database["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "npm_portal.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 3600  # a reset link lasts one hour

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=15)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English, Serbian Latin and Serbian Cyrillic.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [
    ("en", _("English")),
    ("sr-latn", _("Serbian (Latin)")),
    ("sr", _("Serbian (Cyrillic)")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = "npm_portal.formats"  # one date format per language
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True

# Static files: vendored assets in static/, served by WhiteNoise with hashed names.
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
# Media (uploads) never get a public URL: every file goes out through a view that checks access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default; EMAIL_URL such as smtp+tls://user:pass@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="NPM Portal <npm@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Celery with Redis when CELERY_BROKER_URL is set, otherwise tasks run inline.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# Celery beat (when Celery is configured): the daily reminders (`manage.py send_reminders`).
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "npm_portal.tasks.send_reminders", "schedule": 24 * 3600},
    "apply-retention": {"task": "npm_portal.tasks.apply_retention", "schedule": 24 * 3600},
    "verify-access-log": {"task": "npm_portal.tasks.verify_access_log", "schedule": 24 * 3600},
    "prune-previews": {"task": "visits.tasks.prune_previews", "schedule": 3600},
    "digest": {"task": "npm_portal.notifications.tasks.send_digest", "schedule": 86400},
    # Webhook deliveries that are due: retries (npm_portal.webhooks).
    "deliver-webhooks": {
        "task": "npm_portal.webhooks.tasks.deliver_due_webhooks",
        "schedule": 60,
    },
}

# The REST API at /api/v1/ (npm_portal.api): personal access tokens or a two-factor session;
# the same access layer as the pages; one JSON error shape; cursor pagination.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "npm_portal.api.authentication.TokenAuthentication",
        "npm_portal.api.authentication.TwoFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["npm_portal.api.permissions.TokenScopePermission"],
    "DEFAULT_PAGINATION_CLASS": "npm_portal.api.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "npm_portal.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NPM Portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a `status`: each its own enum name.
    "ENUM_NAME_OVERRIDES": {
        "VisitStatusEnum": "visits.models.visit.VisitStatus",
        "ReportStatusEnum": "visits.models.report.ReportStatus",
        "RecommendationStatusEnum": "recommendations.models.Status",
        "StatedStatusEnum": "npm_portal.api.resources.common.STATED_STATUS_CHOICES",
        # A visit's type is `kind` in the API and `visit_kind` in open data: one enum.
        "VisitKindEnum": "visits.models.visit.VisitKind",
    },
    # Every operation documents the error shape of npm_portal.api.errors.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "npm_portal.api.schema.add_error_responses",
    ],
}

# Security headers. The CSP allows only our own files: no inline script or style, no CDN.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Secure by default; the load balancer's health check may still use plain HTTP.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE: a per-response nonce, added to the header only when a template uses it.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step of every PDF page at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Product settings.
# Shown in the header and on reports; empty means the translated "National Preventive Mechanism".
NPM_NAME = env.str("NPM_NAME", default="")
# Partner agreements this many days or fewer from their end are shown and reminded as "expiring".
NPM_AGREEMENT_EXPIRY_DAYS = env.int("NPM_AGREEMENT_EXPIRY_DAYS", default=60)

# Reports (visits): the reference number pattern, with {year} (of the visit) and {number} (the
# report's sequence in that year), e.g. "NPM-2026-014".
NPM_REPORT_REFERENCE_PATTERN = env.str(
    "NPM_REPORT_REFERENCE_PATTERN", default="NPM-{year}-{number:03d}"
)
# Recommendations: the legal term for an authority's response, in days from the report's dispatch.
NPM_RESPONSE_TERM_DAYS = env.int("NPM_RESPONSE_TERM_DAYS", default=60)
NPM_URGENT_RESPONSE_TERM_DAYS = env.int("NPM_URGENT_RESPONSE_TERM_DAYS", default=15)
# Responses due within this many days are in the staff digest of `send_reminders`.
NPM_RESPONSE_REMINDER_DAYS = env.int("NPM_RESPONSE_REMINDER_DAYS", default=7)
# Also e-mail the addressee authority's contact address a reminder of an overdue response.
NPM_REMIND_AUTHORITIES = env.bool("NPM_REMIND_AUTHORITIES", default=False)
# The authority portal (npm_portal.authority_portal): its users are reminded this many days
# before a response is due, on the day, the day after and every week after that; a
# recommendation overdue this many days is escalated to the parent authority's users and listed
# for the NPM head.
NPM_AUTHORITY_REMINDER_DAYS = env.int("NPM_AUTHORITY_REMINDER_DAYS", default=14)
NPM_ESCALATION_DAYS = env.int("NPM_ESCALATION_DAYS", default=30)
# How long an invitation link (set your password) to a new authority user stays valid.
NPM_INVITATION_DAYS = env.int("NPM_INVITATION_DAYS", default=7)
# The address of this site, for the links in e-mails sent outside a request (reminders,
# notifications from the task queue): "https://npm.example.org".
NPM_BASE_URL = env.str("NPM_BASE_URL", default="http://127.0.0.1:8000")

# Field encryption of interviewee identities (visits): a comma-separated list of Fernet keys; the
# first encrypts, all decrypt (put a new key first, run `manage.py rotate_field_encryption`, then
# drop the old one). Generate one with: python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())". When unset, a key is derived from SECRET_KEY so demo
# and tests work; `manage.py check` warns about that when DEBUG is off.
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[])
FIELD_ENCRYPTION_KEY_DERIVED = not FIELD_ENCRYPTION_KEY
if FIELD_ENCRYPTION_KEY_DERIVED:
    import base64
    import hashlib

    FIELD_ENCRYPTION_KEY = [
        base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
    ]
# Webhooks (npm_portal.webhooks): only https:// endpoints on public addresses unless these allow
# http:// or internal addresses (loopback, private, link-local...), for local testing or a
# receiver inside the NPM's own network; the timeout of one delivery attempt, in seconds.
NPM_WEBHOOKS_ALLOW_HTTP = env.bool("NPM_WEBHOOKS_ALLOW_HTTP", default=False)
NPM_WEBHOOKS_ALLOW_PRIVATE = env.bool("NPM_WEBHOOKS_ALLOW_PRIVATE", default=False)
NPM_WEBHOOKS_TIMEOUT_SECONDS = env.int("NPM_WEBHOOKS_TIMEOUT_SECONDS", default=10)
# Public open data at /api/v1/open/ (npm_portal.opendata): requests per client address for the
# JSON pages and, lower, for the bulk downloads ("<n>/<second|minute|hour|day>"; empty: no
# limit), counted in the default cache (several workers need a shared one: CACHE_URL=redis://...);
# the licence line the dictionary and docs/open-data.md show.
NPM_OPEN_DATA_RATE = env.str("NPM_OPEN_DATA_RATE", default="120/min")
NPM_OPEN_DATA_BULK_RATE = env.str("NPM_OPEN_DATA_BULK_RATE", default="30/hour")
NPM_OPEN_DATA_LICENCE = env.str("NPM_OPEN_DATA_LICENCE", default="")
for _rate_name in ("NPM_OPEN_DATA_RATE", "NPM_OPEN_DATA_BULK_RATE"):
    _rate = globals()[_rate_name]
    if _rate and not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(
            f"{_rate_name}={_rate!r}: write a rate as <number>/<second|minute|hour|day>, "
            "e.g. 120/min, or leave it empty for no limit."
        )
# The cache (rate limits, cached figures): local memory unless REDIS_URL (Django's Redis cache,
# sessions too; it wins) or CACHE_URL names a shared one. Short timeouts: no hung requests.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "npm",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Largest visit attachment or authority letter accepted, in megabytes.
NPM_MAX_UPLOAD_MB = env.int("NPM_MAX_UPLOAD_MB", default=20)
# Largest partner document (signed agreement, scanned pledge) accepted, in megabytes.
NPM_PARTNER_UPLOAD_MAX_MB = env.int("NPM_PARTNER_UPLOAD_MAX_MB", default=10)

# --- Security -----------------------------------------------------------------------------------
# Everything below protects people who talked to the NPM; see SECURITY.md before changing it.

# Old signing keys still accepted while SECRET_KEY is rotated (comma-separated).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

# Cookies: `__Host-` names (Secure, path /, no domain) wherever cookies are Secure.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG and SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"

# Sessions: server-side, idle and absolute lifetimes enforced by SessionLifetimeMiddleware. In
# the database; with REDIS_URL "cached_db" (read from Redis, written to both: shared by every
# process, and a Redis restart logs nobody out). Never behind a per-process cache.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
NPM_SESSION_IDLE_MINUTES = env.int("NPM_SESSION_IDLE_MINUTES", default=30)
NPM_SESSION_MAX_HOURS = env.int("NPM_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = NPM_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor login (TOTP + single-use backup codes) for every role. Off for `make run` (DEBUG).
NPM_REQUIRE_2FA = env.bool("NPM_REQUIRE_2FA", default=not DEBUG)
# Revealing an interviewee's identity or changing two-factor settings needs a fresh password +
# code: within this many seconds.
NPM_REAUTH_SECONDS = env.int("NPM_REAUTH_SECONDS", default=300)
NPM_REQUIRE_REAUTH = env.bool("NPM_REQUIRE_REAUTH", default=True)
# visits asks this before revealing an interviewee's identity.
NPM_REVEAL_GUARD = "npm_portal.security.twofactor.reveal_guard"
OTP_TOTP_ISSUER = NPM_NAME or "NPM Portal"
# Single-use backup codes handed out at enrolment.
NPM_BACKUP_CODES = 10
# An authenticator is set up only through a one-time enrolment link (issued by the NPM head or an
# administrator, or by `manage.py enrolment_link`), for one user, valid this many hours.
NPM_ENROLMENT_LINK_HOURS = env.int("NPM_ENROLMENT_LINK_HOURS", default=24)

# Reverse proxies whose X-Forwarded-For is believed: comma-separated IP addresses or networks
# (e.g. "10.0.0.5,10.1.0.0/16"); empty: none, REMOTE_ADDR is the client. The header is read only
# on requests from one of them, and the client is the right-most address in it that is not one of
# them, so what a client writes there itself is ignored (it cannot dodge or reset a lockout).
NPM_TRUSTED_PROXIES = [p.strip() for p in env.list("NPM_TRUSTED_PROXIES", default=[]) if p.strip()]
check_trusted_proxies(
    NPM_TRUSTED_PROXIES, legacy_count=env.int("NPM_TRUSTED_PROXY_COUNT", default=0)
)

# Brute force. django-axes locks a username from one address after 5 failures for 15 minutes;
# npm_portal.security.lockout (the ModelBackend below) also locks one account, from any address,
# after NPM_ACCOUNT_FAILURE_LIMIT failures, and one address, for any username, after
# NPM_ADDRESS_FAILURE_LIMIT, each for the same cool-off (refused attempts do not extend it; a
# browser the owner logged in with before is exempt). The response is the same whether the
# username exists or not.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "npm_portal.security.lockout.ThrottledModelBackend",
]
NPM_ACCOUNT_FAILURE_LIMIT = env.int("NPM_ACCOUNT_FAILURE_LIMIT", default=20)
NPM_ADDRESS_FAILURE_LIMIT = env.int("NPM_ADDRESS_FAILURE_LIMIT", default=50)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "npm_portal.security.network.client_ip"
AXES_LOCKOUT_CALLABLE = "npm_portal.security.views.locked_out"
# Attempts the account- or address-wide lock refused unchecked are not axes failures.
AXES_WHITELIST_CALLABLE = "npm_portal.security.lockout.refused_before_axes"
# Masked in the attempts axes records (re-authentication posts a one-time code too).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "token"]

# Uploads: photos lose their metadata and every file is encrypted, under MEDIA_ROOT or in an S3
# bucket (NPM_S3_*; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the role).
STORAGES["default"] = {"BACKEND": "npm_portal.security.storage.MetadataStrippingStorage"}
NPM_S3_BUCKET = env.str("NPM_S3_BUCKET", default="")
if NPM_S3_BUCKET:
    _s3_endpoint = env.str("NPM_S3_ENDPOINT_URL", default="") or None
    STORAGES["default"] = {
        "BACKEND": "npm_portal.security.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": NPM_S3_BUCKET,
            "endpoint_url": _s3_endpoint,
            "region_name": env.str("NPM_S3_REGION", default="") or None,
            "addressing_style": "path" if _s3_endpoint else None,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Retention: interviewee identities older than this are deleted by `manage.py apply_retention`.
NPM_IDENTITY_RETENTION_DAYS = env.int("NPM_IDENTITY_RETENTION_DAYS", default=5 * 365)
# Access-log entries older than this are deleted by `apply_retention` (0: keep them all).
NPM_ACCESS_LOG_RETENTION_DAYS = env.int("NPM_ACCESS_LOG_RETENTION_DAYS", default=10 * 365)
# Draft preview PDFs (they hold confidential sections) are deleted after this many hours.
NPM_PREVIEW_TTL_HOURS = env.int("NPM_PREVIEW_TTL_HOURS", default=24)
