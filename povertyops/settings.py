"""PovertyOps settings, read from the environment.

DATABASE_URL (default: SQLite file in the project folder), SECRET_KEY, DEBUG (off unless set),
ALLOWED_HOSTS (comma-separated). Production: set SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS;
`manage.py check --deploy` is then clean.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-" + "x" * 20
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "import_export",
    "django_tasks_db",
    "bootstrap",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "audit",
    "households",
    "cadres",
    "inspections",
    "ledgers",
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
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Login security (accounts/security): after auth, OTP and messages; timeouts first.
    "accounts.security.middleware.SessionTimeoutMiddleware",
    "accounts.security.middleware.SecondFactorMiddleware",
    "accounts.security.middleware.PasswordExpiryMiddleware",
    # Last: it answers a locked-out login after every other middleware has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "povertyops.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "povertyops.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background job writes. A 32 MiB page cache (the
    # default is 2 MiB) holds a county's member indexes, which a registry import fills in ID order.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;",
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: a locked-out account is refused before its password hash is computed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The permissions of the user's role (accounts/roles.py).
    "accounts.backends.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    # Length, character classes and history follow the security policy (see "Login security").
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.security.validators.MinimumLengthValidator"},
    {"NAME": "accounts.security.validators.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.security.validators.PasswordHistoryValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for the few strings Django 6.1's own catalogue has not translated yet.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Admin list pages: county tables hold tens of thousands of rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# django-import-export: escape cells Excel would run as formulas; imports need their own permission.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Background work (registry imports and exports): Django's tasks framework with the database as
# queue, so a SQLite install needs no extra server. `manage.py db_worker` runs the tasks.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Registry workbooks: refuse what no county file needs, before it costs memory or time.
REGISTRY_MAX_UPLOAD_BYTES = int(os.environ.get("REGISTRY_MAX_UPLOAD_BYTES", 100 * 1024 * 1024))
REGISTRY_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("REGISTRY_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
)
# Three times the largest county registry; calamine allocates the whole sheet rectangle.
REGISTRY_MAX_ROWS = int(os.environ.get("REGISTRY_MAX_ROWS", 300_000))
REGISTRY_MAX_COLUMNS = int(os.environ.get("REGISTRY_MAX_COLUMNS", 256))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: strict unless DEBUG. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy: this server only, no inline script or style. data: images are
# Bootstrap's own CSS icons (select arrows, check marks), not outside content.
SECURE_CSP = {
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
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login security: the defaults of the security policy. Once the 安全管理员 saves the policy
# (accounts.SecurityPolicy) its row rules; a changed value applies from the next login.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))
PASSWORD_MIN_CHARACTER_CLASSES = int(os.environ.get("PASSWORD_MIN_CHARACTER_CLASSES", "3"))
PASSWORD_HISTORY_COUNT = int(os.environ.get("PASSWORD_HISTORY_COUNT", "5"))
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))  # 0: never
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_ABSOLUTE_TIMEOUT_HOURS = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT_HOURS", "12"))
# The cookie outlives no login; the middleware ends the session at the policy's limits.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_HOURS * 60 * 60
# django-axes: count failures per username (from any address), refuse a locked username in the
# first authentication backend, before any password hash is computed.
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 wants the address locked too. A township office reaches us through one NAT address:
# five typos among its staff would lock them all out. Password rules limit guessing instead.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = "accounts.security.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "accounts.security.policy.axes_cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# TOTP second factor (django-otp): required for the administrator roles, optional for others.
OTP_TOTP_ISSUER = "精准扶贫业务管理平台"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Audit trail: kept 3 years by default; under 180 days is refused (audit.E001, purge_audit_trail).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", 3 * 365))
# 导出一户一册 files (personal data of whole villages) are deleted this many days after they
# were built; the export's record stays.
LEDGER_EXPORT_KEEP_DAYS = int(os.environ.get("LEDGER_EXPORT_KEEP_DAYS", 7))
# Behind a proxy the client's address comes from X-Forwarded-For (AuditlogMiddleware).
AUDITLOG_DISABLE_REMOTE_ADDR = False
