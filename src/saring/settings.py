"""Django settings, all read through `saring.config` (see docs/operator.md for every variable)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from saring import config

BASE_DIR = Path(__file__).resolve().parent
SARING_ENV = config.env("SARING_ENV")
if SARING_ENV not in {"development", "test", "production"}:
    raise config.ConfigError(
        f"SARING_ENV must be development, test or production, not {SARING_ENV!r}"
    )
DATA_DIR = config.data_dir()

SECRET_KEY = config.secret_key(SARING_ENV)
DEBUG = config.env_bool("SARING_DEBUG") and SARING_ENV != "production"
ALLOWED_HOSTS = [h.strip() for h in config.env("SARING_ALLOWED_HOSTS").split(",") if h.strip()]
if SARING_ENV == "test":
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "axes",
    "csp",
    "saring.regions",
    "saring.accounts",
    "saring.taxonomy",
    "saring.audit",
    "saring.elections",
    "saring.registry",
    "saring.api",
    "saring.monitoring",
    "saring.factcheck",
    "saring.harms",
    "saring.cases",
    "saring.guide",
    "saring.broadcasts",
    "saring.demo",
    "saring.evaluation",
    "saring.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ETag/304, Cache-Control, Vary and deprecation headers on /api/v1/ and /feeds/.
    "saring.api.caching.ApiCachingMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "saring.web.errors.ScopeErrorMiddleware",  # a ScopeError a view let through: the 403 page
    # Last, so its lockout page is rendered in the reader's language and gets every header.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saring.urls"
WSGI_APPLICATION = "saring.wsgi.application"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

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
                "saring.accounts.context.scope",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'saring.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(config.env("DATABASE_URL") or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,  # seconds a writer waits for the lock (also while connecting)
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if config.env("SARING_TASKS") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

if SARING_ENV == "test":
    # Hashing cost is irrelevant for throwaway test users and dominates login-heavy tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login throttling (django-axes; the rules are in saring/web/lockout.py).
AUTHENTICATION_BACKENDS = [
    (
        "saring.web.lockout.TestClientBackend"  # lets the test client's login() through
        if SARING_ENV == "test"
        else "axes.backends.AxesStandaloneBackend"
    ),
    "django.contrib.auth.backends.ModelBackend",
]
SARING_LOGIN_FAILURE_LIMIT = config.env_positive_int("SARING_LOGIN_FAILURE_LIMIT")
SARING_LOGIN_ADDRESS_FAILURE_LIMIT = config.env_positive_int("SARING_LOGIN_ADDRESS_FAILURE_LIMIT")
SARING_LOGIN_COOLOFF_MINUTES = config.env_positive_int("SARING_LOGIN_COOLOFF_MINUTES")
SARING_TRUST_PROXY_HEADERS = config.env_bool("SARING_TRUST_PROXY_HEADERS")
AXES_HANDLER = "saring.web.lockout.LoginThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted against its own limit
AXES_FAILURE_LIMIT = 1  # LoginThrottle reports how many of the two limits are reached
AXES_COOLOFF_TIME = timedelta(minutes=SARING_LOGIN_COOLOFF_MINUTES)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout ends when the page says
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "saring.web.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "saring.web.lockout.client_address"
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful login and its address
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = config.env("SARING_TIME_ZONE")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root even with finders on
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # `saring serve` works without a collectstatic step
MEDIA_ROOT = DATA_DIR / "uploads"
UPLOAD_MAX_BYTES = config.env_int("SARING_UPLOAD_MAX_MB") * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MAX_TEXT_CHARS = config.env_int("SARING_MAX_TEXT_CHARS")
# Public intake's limits (saring.cases.services.intake, docs/operator.md).
SARING_REPORTS_PER_ADDRESS_10_MIN = config.env_int("SARING_REPORTS_PER_ADDRESS_10_MIN")
SARING_REPORTS_PER_ADDRESS_DAY = config.env_int("SARING_REPORTS_PER_ADDRESS_DAY")
SARING_REPORTS_PER_CONTACT_DAY = config.env_int("SARING_REPORTS_PER_CONTACT_DAY")
SARING_REPORTS_PER_PARTNER_HOUR = config.env_int("SARING_REPORTS_PER_PARTNER_HOUR")
SARING_REPORT_NOTES_PER_DAY = config.env_int("SARING_REPORT_NOTES_PER_DAY")
SARING_REPORT_FORM_MAX_MB = config.env_positive_int("SARING_REPORT_FORM_MAX_MB")
SARING_SCREENSHOT_MAX_MB = config.env_int("SARING_SCREENSHOT_MAX_MB")
SARING_PACKET_KEY = config.env("SARING_PACKET_KEY")
# Links that leave Saring start here (saring.kernel.address.public_url).
SARING_PUBLIC_URL = config.env("SARING_PUBLIC_URL")
# Deprecated API paths: {"/api/v1/old": {"date": ISO, "sunset": ISO, "link": URL}} adds the
# Deprecation, Sunset and Link headers (saring.api.caching; policy in docs/platforms.md).
# Set in code with the release that deprecates, so every installation announces the same.
SARING_API_DEPRECATIONS: dict[str, dict[str, str]] = {}
# Public API/feed answers kept per process (saring.api.caching); off in tests, which publish
# and read back at once.
SARING_PUBLIC_CACHE_SECONDS = (
    0 if SARING_ENV == "test" else config.env_int("SARING_PUBLIC_CACHE_SECONDS")
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_api": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "saring-public-api",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
SARING_RECIPIENT_KEY = config.env("SARING_RECIPIENT_KEY")
# The public guide's static site (saring.guide.site; docs/operator.md).
SARING_GUIDE_DIR = Path(config.env("SARING_GUIDE_DIR") or DATA_DIR / "guide-site")
SARING_SMS_MAX_SEGMENTS = config.env_positive_int("SARING_SMS_MAX_SEGMENTS")

_smtp = config.env("SARING_SMTP_HOST")
if _smtp:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, _, _port = _smtp.partition(":")
    EMAIL_PORT = int(_port or 25)
    EMAIL_TIMEOUT = 10
else:
    # Not the console backend: it would print recipients' addresses into the server log.
    EMAIL_BACKEND = "saring.kernel.mail.UnsentMailLogBackend"
DEFAULT_FROM_EMAIL = config.env("SARING_EMAIL_FROM")

SESSION_COOKIE_HTTPONLY = True
# htmx sends the CSRF token from the hx-headers attribute of <body>, not from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "saring.web.errors.csrf_failure"  # the 403 page, in the reader's language
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = config.env_origins("SARING_CSRF_TRUSTED_ORIGINS")
if SARING_TRUST_PROXY_HEADERS:
    # Only a proxy that sets this header itself may be trusted with it (docs/operator.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SARING_ENV == "production":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if not os.environ.get("SARING_ALLOWED_HOSTS"):
        raise config.ConfigError("SARING_ALLOWED_HOSTS is required when SARING_ENV=production")
    # Asking browsers to preload HSTS binds the whole registered domain (e.g. kpu.go.id):
    # that is its owner's decision, not one application's.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if config.env_bool("SARING_HTTPS_REDIRECT"):
        SECURE_SSL_REDIRECT = True
        SECURE_HSTS_SECONDS = 365 * 24 * 3600
        SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    else:
        # The operator said TLS, the redirect and HSTS are handled in front of Saring.
        SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008"]

# Every page: resources from Saring itself only, no inline script or style, never framed.
# htmx's indicator styles and eval are switched off in base.html (htmx-config).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            # Masks e-mail addresses and phone numbers, tracebacks included.
            "class": "saring.kernel.logs.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    # To stderr. Django's own console handler prints only with DEBUG on, so without these
    # loggers a production 500 would leave no trace.
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "saring": {"handlers": ["console"], "level": config.env("SARING_LOG_LEVEL")},
        "django_tasks": {"handlers": ["console"], "level": "WARNING"},
        # Every 500 with its traceback ("Internal Server Error: /path").
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Refused CSRF origins, disallowed hosts: what a misconfigured proxy looks like.
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Failed logins and lockouts; axes masks the username and address in them.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
