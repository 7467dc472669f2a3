"""Foorumix settings: one file, driven by environment variables.

Development needs no configuration (SQLite, console email, an embedded Celery broker).
Production sets DEBUG=false and the variables listed in README.md. A malformed value
stops start-up with a message naming the variable (see foorumix/env.py).
"""

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from foorumix.env import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)
from foorumix.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime files of a development install (SQLite database, embedded broker, mail
# files, generated keys). Git-ignored.
VAR_DIR = Path(env_str("FOORUMIX_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters when DEBUG is false.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The public address used in links inside emails and calendar feeds.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "members",
    "forums",
    "sessions_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, before everything that makes a page: see its docstring.
    "foorumix.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Coordinators, HR viewers and staff reach no page before their second factor.
    "members.middleware.MFARequiredMiddleware",
    "members.middleware.UserLanguageMiddleware",
    "forums.middleware.AgreementMiddleware",
]

ROOT_URLCONF = "foorumix.urls"
WSGI_APPLICATION = "foorumix.wsgi.application"

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
                "foorumix.navigation.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "foorumix.sqlite3")},
    )
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", 0, minimum=0))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache backs allauth's rate limits. It lives in the database so that limits hold
# across processes and web pages never block on Redis (Redis carries only Celery).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "foorumix_cache",
    }
}

# --- People and authentication ----------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts (members/accounts.py; the invitation-only signup in forums/signup.py): email
# login, one address per account. An address proves itself only through a link sent to
# it, and an invitation link is such a link. A change of address takes effect once its
# owner, signed in, opens the link sent to the new address; the old address is told.
ACCOUNT_ADAPTER = "forums.signup.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "forums.signup.InvitationSignupForm",
    "reset_password": "members.forms.ResetPasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Changing the address or the second factor asks for the password again (within 5 min).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Foorumix] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Rate limits, "amount/period/per" (allauth): "ip" counts per client address (see
# FOORUMIX_TRUSTED_PROXIES), "key" per the action's key. For failed sign-ins the adapter
# makes the key the account *and* the client address together, so guessing from one place
# stops that place without locking the owner out anywhere else; per address alone they
# stop one client guessing many accounts. The same limits guard the second factor.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    # Also the password (and code) that confirms deleting one's account.
    "reauthenticate": "5/m/user",
}
# How many proxies in front of the app append the client's address to X-Forwarded-For.
# 0 (the default) ignores that header and counts the connection's own address, which
# behind an unconfigured proxy is the proxy's: everyone would share one limit.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("FOORUMIX_TRUSTED_PROXIES", 0, minimum=0, maximum=5)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Foorumix"
# Coordinators, HR viewers and staff must sign in with TOTP (members/mfa.py; enforced
# before any of their pages by members.middleware.MFARequiredMiddleware). Required
# whenever DEBUG is off unless turned off explicitly (the deploy check then warns).
FOORUMIX_MFA_REQUIRED = env_bool("FOORUMIX_MFA_REQUIRED", not DEBUG)
# Sessions keep no readable secret at rest: keys as digests, data encrypted
# (members/sessions.py).
SESSION_ENGINE = "members.sessions"

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["foorumix.formats"]  # English dates as "12 Jan 2027", 24-hour clock
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email ----------------------------------------------------------------------------
_email = env_email("EMAIL_URL", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
globals().update(_email)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Foorumix <noreply@foorumix.example.org>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # Short timeouts so that nothing in a request path hangs while Redis is down.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 1,
        "socket_connect_timeout": 1,
        "max_retries": 1,
        "visibility_timeout": 3600,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
    CELERY_REDIS_SOCKET_TIMEOUT = 1
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
else:
    # Embedded broker for development: messages are files under var/broker, so the
    # worker and beat of `make run` need no Redis.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
# Exactly one beat process runs these. The outbox sweep is the only scheduler of mail:
# reminders are database rows, never Celery ETAs (see foorumix/outbox.py).
# The outbox's row model (foorumix/outbox.py imports no app, so it is named here).
FOORUMIX_OUTBOX_MODEL = "sessions_app.OutboxMessage"
FOORUMIX_OUTBOX_SWEEP_SECONDS = env_int("FOORUMIX_OUTBOX_SWEEP_SECONDS", 60, minimum=1)
FOORUMIX_OUTBOX_STUCK_SECONDS = env_int("FOORUMIX_OUTBOX_STUCK_SECONDS", 600, minimum=1)
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "foorumix.tasks.heartbeat", "schedule": 60.0},
    "outbox-sweep": {
        "task": "foorumix.outbox.outbox_sweep",
        "schedule": float(FOORUMIX_OUTBOX_SWEEP_SECONDS),
    },
}

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# No inline scripts or styles anywhere: templates load static files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging ----------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}."
    )
# Every handler replaces secret links with <token> (foorumix/logs.py, logging_config).
LOGGING = logging_config(LOG_LEVEL)

# --- Foorumix ---------------------------------------------------------------------------
FOORUMIX_INVITATION_DAYS = env_int("FOORUMIX_INVITATION_DAYS", 14, minimum=1)
FOORUMIX_INVITATIONS_PER_HOUR = env_int("FOORUMIX_INVITATIONS_PER_HOUR", 60, minimum=1)

# --- Personal data (GDPR): retention (forums/retention.py) and the statements' controller
FOORUMIX_ACCOUNT_RETENTION_MONTHS = env_int("FOORUMIX_ACCOUNT_RETENTION_MONTHS", 24, minimum=2)
FOORUMIX_AUDIT_RETENTION_MONTHS = env_int("FOORUMIX_AUDIT_RETENTION_MONTHS", 24, minimum=1)
FOORUMIX_OPERATOR_NAME = env_str("FOORUMIX_OPERATOR_NAME", "Foorumix")
FOORUMIX_OPERATOR_EMAIL = env_str("FOORUMIX_OPERATOR_EMAIL", "tietosuoja@foorumix.example.org")
FOORUMIX_OPERATOR_ADDRESS = env_str("FOORUMIX_OPERATOR_ADDRESS", "")
FOORUMIX_ACCESSIBILITY_EMAIL = env_str("FOORUMIX_ACCESSIBILITY_EMAIL", FOORUMIX_OPERATOR_EMAIL)

# --- Session notes encryption ---
# Notes and MFA secrets are encrypted with keys of their own (foorumix/crypto.py):
# FOORUMIX_NOTES_KEYS = comma-separated Fernet keys, the first encrypts, all decrypt.
# Required when DEBUG is false; in development a key is generated into var/notes-key.
from celery.schedules import crontab  # noqa: E402

from foorumix.crypto import load_note_keys  # noqa: E402

FOORUMIX_NOTES_KEYS = load_note_keys(env_str("FOORUMIX_NOTES_KEYS"), debug=DEBUG, var_dir=VAR_DIR)
MFA_ADAPTER = "members.mfa_adapter.MFAAdapter"
# Daily, at night: delete notes past their forum's retention period.
CELERY_BEAT_SCHEDULE["delete-expired-notes"] = {
    "task": "sessions_app.tasks.delete_expired_notes",
    "schedule": crontab(hour=3, minute=15),
}
# Every quarter hour (first run just after midnight, when batches become due): write
# staged pulse answers whose batch is complete (sessions_app/pulse/services.py).
CELERY_BEAT_SCHEDULE["release-pulse-answers"] = {
    "task": "sessions_app.tasks.release_pulse_answers",
    "schedule": crontab(minute="*/15"),
}
# Nightly (members/tasks.py, forums/retention.py, sessions_app/retention.py): lost
# erasures, expired sessions, account/invitation/audit retention, old emails and receipts.
CELERY_BEAT_SCHEDULE |= {
    "erase-requested-accounts": {"task": "members.tasks.erase_requested_accounts",
                                 "schedule": crontab(hour=2, minute=30)},
    "clear-expired-sessions": {"task": "members.tasks.clear_expired_sessions",
                               "schedule": crontab(hour=2, minute=40)},
    "apply-retention": {"task": "forums.tasks.apply_retention",
                        "schedule": crontab(hour=2, minute=45)},
    "forget-old-records": {"task": "sessions_app.tasks.forget_old_records",
                           "schedule": crontab(hour=3, minute=0)},
}  # fmt: skip
# Five minutes after each release: the HR reports of the current year, into the cache,
# so that new data never makes an HR viewer wait for the disclosure-control search.
CELERY_BEAT_SCHEDULE["prepare-hr-reports"] = {
    "task": "sessions_app.tasks.prepare_hr_reports",
    "schedule": crontab(minute="5-59/15"),
}

# --- HR aggregates ---
# The anonymity threshold: no HR figure or pulse average rests on fewer people (or
# answers) than this, see sessions_app/hr/suppression.py. Below 3 a "group" would be one or
# two people whose answers their peers could tell apart, so start-up refuses it.
FOORUMIX_MIN_GROUP_SIZE = env_int("FOORUMIX_MIN_GROUP_SIZE", 5, minimum=3)
