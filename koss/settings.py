"""
Settings of the KOSS-Portal.

Everything that differs between a developer's machine, CI and production comes from environment
variables; README.md and .env.example document each of them. DEBUG defaults to off, and a server
with DEBUG off refuses to start without a secret key, an encryption key and allowed hosts.
"""

import base64
import hashlib
import os
import re
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Only with DEBUG on; bandit sees a hard-coded password.
    SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # nosec B105

# Fernet keys for the secrets the portal must read back (koss.core.secrets): the first encrypts,
# all decrypt, so that a new key goes first and the old one stays until everything is rotated.
KOSS_ENCRYPTION_KEYS = env_list("KOSS_ENCRYPTION_KEYS")
if not KOSS_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("KOSS_ENCRYPTION_KEYS must be set when DJANGO_DEBUG is off.")
    # Only with DEBUG on: a key derived from the development secret key.
    KOSS_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(f"koss-secrets:{SECRET_KEY}".encode()).digest())
    ]
for _key in KOSS_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "KOSS_ENCRYPTION_KEYS holds a key that is not a Fernet key (32 bytes, URL-safe "
            "Base64); see README.md, Configuration."
        ) from None

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The site is served over HTTPS by a TLS-terminating reverse proxy: HSTS, secure "__Host-"
# cookies, redirect to HTTPS, and trust in the proxy's X-Forwarded-Proto. On unless DEBUG.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)

INSTALLED_APPS = [
    "koss",
    "partners",
    "news",
    "advisory_board",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The trigram lookups of the search by similar spelling (PostgreSQL only).
    "django.contrib.postgres",
    "django_filters",
    "django_prose_editor",
    "reversion",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.sitemaps",
    "django_tasks",
    "koss.apps.TasksDatabaseConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Stored pages for anonymous visitors, with the headers of everything below.
    "koss.core.cache.AnonymousPageCacheMiddleware",
    "koss.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "koss.middleware.DatabaseUnavailableMiddleware",
    "koss.accounts.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "koss.urls"
WSGI_APPLICATION = "koss.wsgi.application"

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
                "koss.context_processors.site",
                "koss.core.cache.generation_context",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise. PostgreSQL runs through psycopg 3
# with Django's native connection pool, which replaces persistent connections (CONN_MAX_AGE).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 3)
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 8),
        # Wait at most this long for a connection, then fail instead of hanging a worker.
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 3),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): login by e-mail, invitation only, two-factor with TOTP.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "advisory_board:members"
ACCOUNT_ADAPTER = "koss.accounts.AccountAdapter"
MFA_ADAPTER = "koss.accounts.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# The link of an invitation or a password reset logs the person in (with their second factor, if
# they have one); staff without one set it up right there (koss.accounts).
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Every mail's subject starts with the portal's name (koss.core.links.mail_subject).
EMAIL_SUBJECT_PREFIX = "[KOSS-Portal] "
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
# Addresses are the Redaktion's to manage (koss.accounts.email_addresses): one per login.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
# A form, not a password (bandit B105).
ACCOUNT_FORMS = {
    "login": "koss.accounts.LoginForm",
    "reset_password": "koss.accounts.ResetPasswordForm",  # nosec B105
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "KOSS-Portal"
# Passkey assertions whose signature counter does not grow are refused (koss.accounts).
MFA_FORMS = {
    "authenticate_webauthn": "koss.accounts.CountedAuthenticateWebAuthnForm",
    "login_webauthn": "koss.accounts.CountedLoginWebAuthnForm",
    "reauthenticate_webauthn": "koss.accounts.CountedReauthenticateWebAuthnForm",
}
# Passkeys (WebAuthn): a second factor and, with user verification, a login without a password;
# never a sign-up. fido2 accepts only https origins and http://localhost, so the insecure-origin
# switch (MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN, which accepts any origin) stays off everywhere.
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_PASSKEY_SIGNUP_ENABLED = False
# Staff reach the admin only with two-factor authentication (on unless DEBUG).
KOSS_REQUIRE_STAFF_2FA = env_bool("KOSS_REQUIRE_STAFF_2FA", not DEBUG)

# E-mail: every message is stored, one per recipient, and delivered by a task (koss.mail), so
# that no request waits for the mail server and nothing is lost while it is away. The delivery
# itself: printed to the console in development; SMTP from the environment otherwise.
EMAIL_BACKEND = "koss.mail.QueuedEmailBackend"
KOSS_MAIL_DELIVERY_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
# Background tasks (django-tasks, the backport of Django 6's django.tasks): kept in the database
# and run by `manage.py db_worker`; in development they run at once, in the request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "KOSS_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# A task RUNNING this long was left by a killed worker: `manage.py recover_tasks` gives it back to
# the workers. Longer than any task takes (a mail or a meeting book: seconds).
KOSS_TASK_TIMEOUT_MINUTES = env_int("KOSS_TASK_TIMEOUT_MINUTES", 30)
# The pause before a failed mail is tried again; it doubles with every attempt.
KOSS_MAIL_RETRY_SECONDS = env_int("KOSS_MAIL_RETRY_SECONDS", 60)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KOSS-Portal <koss@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Three stores. "default", a table in the database (koss.core.cache_backend.SharedStore), holds what
# guards the portal: allauth's rate limits and used TOTP codes, the meeting book's build locks and
# the content generation; every process and instance shares it, pages never push it out, and an
# outage of Redis does not forget it. "pages" keeps public pages and their parts
# (koss.core.cache): Redis when REDIS_URL is set, else files on this machine; local memory only
# with DEBUG. While Redis is away, "pages" keeps nothing and pages are rendered. "members" keeps
# members' own pages (koss.core.cache.kept_for_person) in the memory of the server process that
# rendered them, never in a store another process or machine reads.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", BASE_DIR / "var" / "cache"))
_shared_store = {
    "BACKEND": "koss.core.cache_backend.SharedStore",
    "LOCATION": "koss_shared_store",
    # Past this many rows, writing deletes the expired ones (never one still valid).
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
if REDIS_URL:
    _pages = {
        "BACKEND": "koss.core.cache_backend.RedisFailOpen",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "koss",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
elif DEBUG:
    _pages = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
else:
    _pages = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_DIR / "pages"),
    }
CACHES = {
    "default": _shared_store,
    "pages": _pages,
    "members": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "koss-members",
        "OPTIONS": {"MAX_ENTRIES": env_int("KOSS_MEMBER_PAGES_KEPT", 200)},
    },
}

# Rates, not passwords (bandit B105 misreads the "reset_password" key). They count per client:
# behind KOSS_TRUSTED_PROXY_COUNT proxies, the client is the address the outermost trusted proxy
# appended to X-Forwarded-For. The production profile (HTTPS) assumes one TLS proxy in front.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("KOSS_TRUSTED_PROXY_COUNT", 1 if HTTPS else 0)
# Comments on draft minutes, per person: "amount/period/user", the period in s, m, h or d
# ("10/10m/user": ten in ten minutes). Counted by allauth's rate limits, beside the login limits.
MINUTES_COMMENT_RATE = os.environ.get("KOSS_MINUTES_COMMENT_RATE", "10/10m/user")
if not re.fullmatch(r"[1-9]\d*/(\d+(\.\d+)?)?[smhd]/user", MINUTES_COMMENT_RATE):
    raise ImproperlyConfigured(
        "KOSS_MINUTES_COMMENT_RATE must read like 10/10m/user (amount/period/user)."
    )
ACCOUNT_RATE_LIMITS = {  # nosec B105
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
    "minutes_comment": MINUTES_COMMENT_RATE,
}

# Monitoring that sends `Authorization: Bearer <token>` sees the details of /health/ from any
# address; others see the status only, unless they are the machine itself. Empty: no token.
KOSS_HEALTH_TOKEN = os.environ.get("KOSS_HEALTH_TOKEN", "")

# How long a rendered public page is kept for anonymous visitors (0 switches the cache off).
KOSS_PAGE_CACHE_SECONDS = env_int("KOSS_PAGE_CACHE_SECONDS", 300)
# How long parts of pages that are the same for everyone (map, filter forms) are kept, for every
# visitor and every page number; 0 switches this off.
KOSS_FRAGMENT_CACHE_SECONDS = env_int("KOSS_FRAGMENT_CACHE_SECONDS", 300)

# Download records of confidential documents are deleted after this many days (GDPR).
KOSS_DOWNLOAD_LOG_RETENTION_DAYS = env_int("KOSS_DOWNLOAD_LOG_RETENTION_DAYS", 365)
# Members who have not replied to a meeting are reminded this many days before it, once, by
# manage.py send_reply_reminders; 0 switches the automatic reminder off.
KOSS_REPLY_REMINDER_DAYS = env_int("KOSS_REPLY_REMINDER_DAYS", 0)
# Versions of content in the admin's history older than this are deleted by prune_history.
KOSS_HISTORY_DAYS = env_int("KOSS_HISTORY_DAYS", 730)

# Flash messages live in the session, so they add no cookie of their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files (logos, documents) live here and are never served directly: every file goes
# through a view that checks who may see it.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# --- Object storage for uploaded files -------------------------------------------------------
# With KOSS_S3_BUCKET set, uploaded files live in that bucket of an S3-compatible object store
# (django-storages with boto3) instead of DJANGO_MEDIA_ROOT, so that several app servers share
# them. The objects stay private: no ACL is sent (the bucket's own policy applies; keep it
# private), every file leaves through the permission-checking views, which stream it, and a URL
# of the storage would be a short-lived signed one. Credentials: KOSS_S3_ACCESS_KEY_ID and
# KOSS_S3_SECRET_ACCESS_KEY, or else whatever boto3 finds itself (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, ~/.aws, an instance role).
KOSS_S3_BUCKET = os.environ.get("KOSS_S3_BUCKET", "").strip()
if KOSS_S3_BUCKET:
    _s3_options = {
        "bucket_name": KOSS_S3_BUCKET,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        # A name that is taken gets a new one, as on the local disk: no upload replaces a file.
        "file_overwrite": False,
        # A file read through the storage (to check an image, say) goes to a temporary file on
        # the local disk beyond this size instead of staying in memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    for _option, _variable in [
        ("endpoint_url", "KOSS_S3_ENDPOINT_URL"),
        ("region_name", "KOSS_S3_REGION"),
        ("access_key", "KOSS_S3_ACCESS_KEY_ID"),
        ("secret_key", "KOSS_S3_SECRET_ACCESS_KEY"),
        ("addressing_style", "KOSS_S3_ADDRESSING_STYLE"),
    ]:
        if os.environ.get(_variable, "").strip():
            _s3_options[_option] = os.environ[_variable].strip()
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
# --- end of object storage ---------------------------------------------------------------------

# With nginx in front, downloads from the local disk are handed to it with X-Accel-Redirect under
# this internal location (e.g. "/geschuetzt/", mapped to DJANGO_MEDIA_ROOT with `internal;`).
# Empty, or with files in object storage: Django streams the file itself.
KOSS_X_ACCEL_REDIRECT_PREFIX = os.environ.get("KOSS_X_ACCEL_REDIRECT_PREFIX", "")

# The portal's public address, for links that leave a request (canonical links, e-mails).
KOSS_BASE_URL = os.environ.get(
    "KOSS_BASE_URL", f"{'https' if HTTPS else 'http'}://{ALLOWED_HOSTS[0].lstrip('.')}"
).rstrip("/")

# Public contact address (contact page, accessibility feedback, security.txt).
KOSS_CONTACT_EMAIL = os.environ.get("KOSS_CONTACT_EMAIL", "koss@example.org")
# The licence of the partner network's open data (CSV, GeoJSON) until staff set one in the admin.
KOSS_OPEN_DATA_LICENCE = os.environ.get(
    "KOSS_OPEN_DATA_LICENCE", "Datenlizenz Deutschland – Namensnennung – 2.0"
)
KOSS_OPEN_DATA_LICENCE_URL = os.environ.get(
    "KOSS_OPEN_DATA_LICENCE_URL", "https://www.govdata.de/dl-de/by-2-0"
)
KOSS_OPEN_DATA_ATTRIBUTION = os.environ.get(
    "KOSS_OPEN_DATA_ATTRIBUTION",
    "KOSS – Kompetenzzentrum Strategische Sozialplanung, LIGA der Freien Wohlfahrtspflege in "
    "Thüringen e.V.",
)

# Largest uploads staff may attach, in bytes.
KOSS_MAX_IMAGE_SIZE = env_int("KOSS_MAX_IMAGE_SIZE", 2 * 1024 * 1024)
# Photos of articles come from cameras and phones; pages show smaller renditions of them.
KOSS_MAX_PHOTO_SIZE = env_int("KOSS_MAX_PHOTO_SIZE", 20 * 1024 * 1024)
KOSS_MAX_DOCUMENT_SIZE = env_int("KOSS_MAX_DOCUMENT_SIZE", 20 * 1024 * 1024)

# Security headers and cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Other sites may not embed any response of this one (koss.middleware.SecurityHeadersMiddleware,
# and WhiteNoise for static files).
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"


def add_static_headers(headers, path, url):
    headers["Cross-Origin-Resource-Policy"] = CROSS_ORIGIN_RESOURCE_POLICY


WHITENOISE_ADD_HEADERS_FUNCTION = add_static_headers
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # "__Host-" cookies are bound to this host, HTTPS and the whole path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # The health check is asked for by the proxy and monitoring over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# The rich-text editor's menu in German: an editor extension of our own (koss/core/richtext.py)
# that adds no HTML of its own to what the sanitiser allows.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("koss/admin/prose-editor-de.js")],
        "extensions": {"GermanMenu": lambda config, shared_config: None},
    }
]

# Content-Security-Policy (django-csp): our own origin only, scripts without 'unsafe-inline'
# (a nonce where a template needs an inline script), no inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # allauth shows the TOTP QR code as a data: image.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}
