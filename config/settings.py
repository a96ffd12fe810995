"""Repères settings: one file, driven by environment variables.

With no environment at all it runs on SQLite under var/, with DEBUG off.
Every variable is documented in .env.example.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REPERES_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_secret(name, default=None):
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd style)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def _generated_secret_key():
    """Generate a SECRET_KEY once and keep it in var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = env_secret("SECRET_KEY") or _generated_secret_key()
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [SITE_URL]
ADMIN_URL = os.environ.get("ADMIN_URL", "gestion-instance/").strip("/") + "/"

INSTALLED_APPS = [
    # Django's admin, entered only with a second factor (reperes/accounts/admin_site.py).
    "reperes.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "django_tasks_db",
    "reperes.lib",
    "reperes.legal",
    "reperes.accounts",
    "reperes.organisations",
    # Migration history of the split questionnaires app, see reperes/former/__init__.py.
    "reperes.former.questionnaires",
    "reperes.instruments",
    "reperes.fiches",
    "reperes.campaigns",
    "reperes.results",
    "reperes.discussions",
    "reperes.action_plans",
    "reperes.reports",
    "reperes.telework",
    "reperes.charters",
    "reperes.exercises",
    "reperes.maturity",
    "reperes.programmes",
    "reperes.offers",
    "reperes.sharing",
    "reperes.listings",
    "reperes.matchmaking",
    "reperes.requests",
    "reperes.resources",
    "reperes.observatory",
    "reperes.evaluation",
    "reperes.surveys",
    "reperes.spaces",
    "reperes.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Ends sessions idle or too old, before the login requirement sees the user.
    "reperes.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "reperes.accounts.middleware.NoStoreMiddleware",
    "reperes.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, so that it sees the outcome of the authentication backends.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "reperes.lib.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "reperes.organisations.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = env_secret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A cluster created under a POSIX locale has an ASCII template1.
        DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
        if suffix := os.environ.get("TEST_DB_SUFFIX", ""):  # two suites side by side
            DATABASES["default"]["TEST"]["NAME"] = f"test_{DATABASES['default']['NAME']}{suffix}"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "reperes.sqlite3",
            # Reusing connections spares opening the file and running the pragmas per request.
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            # Tests use a file too (not shared memory), so that concurrent writers wait their turn.
            # TEST_DB_SUFFIX lets two suites run side by side on one checkout.
            "TEST": {"NAME": str(VAR_DIR / f"test{os.environ.get('TEST_DB_SUFFIX', '')}.sqlite3")},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;",
            },
        }
    }
    # Fault drills only (`make faults`): a database that cannot grow past this many pages, as if
    # its disk were full. Never set in production.
    if max_pages := env_int("SQLITE_MAX_PAGE_COUNT", 0):
        DATABASES["default"]["OPTIONS"]["init_command"] += f" PRAGMA max_page_count={max_pages};"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, shared by every process (login throttling, limits against abuse): a database table by
# default (`manage.py createcachetable` creates it; `make run` and the deploy steps run it after
# `migrate`), Redis when REDIS_URL is set.
# A second cache, `fragments`, keeps rendered pieces of pages that never change (the figures of
# a closed diagnostic, reperes.results.fragments): apart from the first, so that filling it can
# never cull a throttle's counter.
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    # Two seconds to connect, two to answer: a Redis that hangs fails the requests that use it
    # (and the health check) quickly, instead of holding every gunicorn worker until its timeout.
    _redis_options = {"socket_connect_timeout": 2, "socket_timeout": 2}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _redis_options,
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fragments",
            "OPTIONS": _redis_options,
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "reperes_cache",
            # Django culls a third of the entries past MAX_ENTRIES: high enough that nobody
            # can flush a throttle by filling the cache with counters of their own.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "fragments": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "reperes_fragments",
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
    }

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # three hours
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3  # three days
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 14)

# Anonymity: no group result is shown below this many respondents (never below 3).
ANONYMITY_THRESHOLD = max(3, env_int("ANONYMITY_THRESHOLD", 5))

# Background tasks (Django's tasks framework; docs/operations.md, « Task worker »). By default
# a task runs at once, inside the request that enqueues it: a laptop needs one process. In
# production TASKS_BACKEND=database queues them in a table of the same database, and
# `manage.py worker` runs them beside gunicorn.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in {"immediate", "database"}:
    raise ImproperlyConfigured("TASKS_BACKEND vaut « immediate » (par défaut) ou « database ».")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend",
    }
}
# A worker silent this long is taken for dead: its running tasks go back to the queue.
WORKER_HEARTBEAT_SECONDS = 10
WORKER_SILENCE_SECONDS = env_int("WORKER_SILENCE_SECONDS", 120)
# The health check (/sante/, reperes/lib/health.py) says « degraded » when a task due has
# waited longer than this in the queue.
HEALTH_TASK_WAIT_SECONDS = env_int("HEALTH_TASK_WAIT_SECONDS", 600)

# Abuse limits (reperes.lib.limits): emails per day, counted in the database, and attempts
# per hour, counted in the default cache. Defaults suit organisations of 2 to 250 people.
MAIL_QUOTA_ORGANISATION_PER_DAY = env_int("MAIL_QUOTA_ORGANISATION_PER_DAY", 300)
MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = env_int("MAIL_QUOTA_NEW_ORGANISATION_PER_DAY", 30)
MAIL_QUOTA_NEW_ORGANISATION_DAYS = env_int("MAIL_QUOTA_NEW_ORGANISATION_DAYS", 7)
MAIL_QUOTA_ACCOUNT_PER_DAY = env_int("MAIL_QUOTA_ACCOUNT_PER_DAY", 300)
MAIL_QUOTA_ADDRESS_PER_DAY = env_int("MAIL_QUOTA_ADDRESS_PER_DAY", 3)
MAIL_REQUESTS_PER_CLIENT_PER_HOUR = env_int("MAIL_REQUESTS_PER_CLIENT_PER_HOUR", 20)
JOIN_CODE_ATTEMPTS_PER_ACCOUNT_PER_HOUR = env_int("JOIN_CODE_ATTEMPTS_PER_ACCOUNT_PER_HOUR", 10)
JOIN_CODE_ATTEMPTS_PER_CLIENT_PER_HOUR = env_int("JOIN_CODE_ATTEMPTS_PER_CLIENT_PER_HOUR", 30)

# Login throttling: django-axes with our handler (reperes/accounts/throttle.py), counters in the
# shared cache. Three limits, each with its own wait, never a permanent lockout; a throttled
# login gets the 429 page of reperes.accounts.views.locked_out, which says until when.
AXES_HANDLER = "reperes.accounts.throttle.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
# One account from one address: AXES_FAILURE_LIMIT failures, then AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# One account from any number of addresses: a wait of 1 minute after this many failures,
# doubled after each further series, at most an hour; failures are forgotten a day later.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
# One address, whatever the accounts tried: 15 minutes after this many failures, doubled after
# each further series, at most a day (an office behind one address shares it).
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)
# Wrong two-factor codes for one account before a wait (15 minutes, then doubled).
TWO_FACTOR_FAILURE_LIMIT = env_int("TWO_FACTOR_FAILURE_LIMIT", 5)
# A refused attempt during a wait is not counted, so it never lengthens the wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "reperes.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not worth an IP address on file
AXES_ENABLE_ADMIN = False  # nothing is kept in axes' tables: the counters live in the cache
AXES_CLIENT_IP_CALLABLE = "reperes.lib.http.client_ip"

# Two-factor authentication (django-otp): an authenticator app (TOTP) and recovery codes.
# Required for the instance administration and for network roles; offered to everyone.
OTP_TOTP_ISSUER = "Repères"
# The admin may delete a lost device (the person then sets up a new one), never read its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Wrong codes are counted by TWO_FACTOR_FAILURE_LIMIT, with a French page that says until
# when; django-otp's own per-device delay would refuse a right code without saying why.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Sessions end after SESSION_IDLE_MINUTES without a request, and in any case SESSION_MAX_HOURS
# after the login (reperes.accounts.middleware.SessionTimeoutMiddleware keeps both times in
# the session; the cookie's own age is the same absolute limit).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 120))
SESSION_COOKIE_AGE = 60 * 60 * env_int("SESSION_MAX_HOURS", 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Security events of each account are kept this long (reperes.accounts.models.SecurityEvent).
SECURITY_LOG_RETENTION = timedelta(days=env_int("SECURITY_LOG_RETENTION_DAYS", 365))
CSRF_FAILURE_VIEW = "reperes.lib.errors.csrf_failure"

# Email: the console by default, SMTP when EMAIL_HOST is set (Django 6.1 MAILERS setting).
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": env_secret("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Error reports to ADMINS must never turn an error page into a dropped connection when the
# mail server is down: they go through their own mailer that fails silently.
MAILERS["admins"] = {
    **MAILERS["default"],
    "OPTIONS": {**MAILERS["default"].get("OPTIONS", {}), "fail_silently": True},
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Repères <ne-pas-repondre@reperes.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [a.strip() for a in os.environ.get("ADMINS", "").split(",") if a.strip()]

# Security headers. The production values are in docs/operations.md.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_COOKIES = env_bool("SECURE_COOKIES")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # The __Host- prefix: browsers accept these cookies only over HTTPS, from this very host,
    # for the whole site, so a neighbouring subdomain cannot set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Internationalisation: the interface is French.
LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# In production, run collectstatic and set STATIC_MANIFEST=1: hashed, compressed, cached forever.
# Without it WhiteNoise serves the files straight from static/, so nothing needs collecting.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST")
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Uploads and request bodies stay small: nothing in Repères needs more.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Logs and error reports carry no secret of a path (answer links, invitations, reset links),
# and reports about the pages reached through one no address, browser, cookie or form value
# (reperes/lib/logging.py).
DEFAULT_EXCEPTION_REPORTER = "reperes.lib.logging.ExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "reperes.lib.logging.ExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "mask_secrets": {"()": "reperes.lib.logging.MaskSecrets"},
    },
    # One line per event (`time level logger message`, a traceback's line breaks written `\n`):
    # the journal never splits an error, nor takes a visitor's text for a line of its own.
    "formatters": {"one_line": {"()": "reperes.lib.logging.OneLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"], "formatter": "one_line"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "mask_secrets"],
            "class": "reperes.lib.logging.AdminEmailHandler",
            "using": "admins",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
