"""The one settings module. It reads the environment here and nowhere else.

Environment:
- ``DATABASE_URL``: ``sqlite:////abs/path.sqlite3`` or ``postgres://user:pw@host:port/name``;
  default an embedded SQLite file in ``CASEWORK_DATA_DIR``. In HTTPS mode a PostgreSQL server
  reached over the network needs ``?sslmode=verify-full`` (and ``sslrootcert=...``); one on the
  same machine is reached through its Unix socket (``postgres://user@%2Fvar%2Frun%2Fpostgresql/name``).
- ``CASEWORK_DATA_DIR``: where the SQLite file and the generated secret key live
  (default ``$XDG_DATA_HOME/casework`` or ``~/.local/share/casework``).
- ``CASEWORK_SECRET_KEY``: the signing key; generated once into the data dir when unset.
- ``CASEWORK_DEBUG``: ``1`` for development only.
- ``CASEWORK_ALLOWED_HOSTS``: comma-separated host names.
- ``CASEWORK_TIME_ZONE``: the agency's time zone (default ``America/New_York``); "today" and
  "overdue" are computed in it.
- ``CASEWORK_HTTPS``: ``1`` in production behind TLS: secure ``__Host-`` cookies, HSTS, HTTP
  redirected to HTTPS (the API refuses plain HTTP instead).
- ``CASEWORK_TRUST_X_FORWARDED_PROTO``: ``1`` when a reverse proxy that sets
  ``X-Forwarded-Proto`` terminates TLS.
- ``CASEWORK_IDLE_MINUTES``: sign-out after this much inactivity (default 15, at most 30).
- ``CASEWORK_UNSAFE_DURABILITY_FOR_TESTS``: ``1`` lets ``casework serve`` start on a database
  that does not flush every commit (``core/durability.py``); for test rigs only.
- ``CASEWORK_MFA_FOR_ALL``: ``1`` to require the second factor of every user (it is always
  required of administrators).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def _data_dir() -> Path:
    explicit = os.environ.get("CASEWORK_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "casework"


def _secret_key(data_dir: Path) -> str:
    explicit = os.environ.get("CASEWORK_SECRET_KEY")
    if explicit:
        return explicit
    # A generated key kept beside the database keeps sessions valid across restarts
    # without ever shipping a default secret.
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


DATA_DIR = _data_dir()
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _env_bool("CASEWORK_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CASEWORK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(
        ","
    )
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "casework.core",
    "casework.audit",
    "casework.accounts",
    "casework.staff",
    "casework.clients",
    "casework.cases",
    "casework.risk",
    "casework.careplans",
    "casework.transitions",
    "casework.instruments",
    "casework.privacy",
    "casework.web",
]

MIDDLEWARE = [
    # First: the request id and the acting request for audit rows, then headers on every answer.
    "casework.audit.middleware.RequestContextMiddleware",
    "casework.accounts.hardening.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The web workspace's language (switcher cookie, else the browser's); after sessions.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casework.accounts.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "casework.accounts.mfa.RequireSecondFactorMiddleware",
    # The access matrix for web pages (the API applies it in its authentication).
    "casework.accounts.pages.PageAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # A busy database is a 503 with Retry-After, not a 500 (its view rolled back whole).
    "casework.core.busy.BusyDatabaseMiddleware",
    # Last: wraps the view in the transaction that its audit row joins.
    "casework.audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The Django admin's look (admin/base_site.html); before the apps' own templates.
        "DIRS": [BASE_DIR / "web" / "overrides" / "templates"],
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


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'casework.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            # WAL lets readers work during a write; FULL makes an acknowledged commit durable;
            # IMMEDIATE takes the write lock at BEGIN so two writers never deadlock mid-transaction.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        # Reused connections: each new PostgreSQL connection costs more than the query.
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "casework.accounts.hashers.CaseworkArgon2PasswordHasher",
    # The FIPS option (1,000,000 iterations in Django 5.2); older hashes upgrade at sign-in.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# At least 8 characters, at most 128 (so 64 are accepted), common passwords refused, no
# composition rules (NIST SP 800-63B, ASVS 6.2).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "casework.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses any attempt while the name or address is locked out; then the password check.
    "casework.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Lock-out after repeated failed sign-ins (django-axes): per name and, separately, per address,
# for 15 minutes; the answer is the same whether the name exists or not.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.accounts.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit trail
AXES_VERBOSE = False

# Second factor (TOTP): 30-second codes, one step of drift either way, each code used once.
OTP_TOTP_ISSUER = "Casework"
CASEWORK_MFA_FOR_ALL = _env_bool("CASEWORK_MFA_FOR_ALL", False)

# The privacy officer, told of every emergency access and emergency disclosure (PRIV-05).
# Mail goes through SMTP when CASEWORK_SMTP_HOST is set, else into files in DATA_DIR/outbox.
CASEWORK_PRIVACY_OFFICER_EMAILS = [
    a.strip() for a in os.environ.get("CASEWORK_PRIVACY_OFFICER", "").split(",") if a.strip()
]
DEFAULT_FROM_EMAIL = os.environ.get("CASEWORK_MAIL_FROM", "casework@localhost")
if os.environ.get("CASEWORK_SMTP_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["CASEWORK_SMTP_HOST"]
    EMAIL_PORT = int(os.environ.get("CASEWORK_SMTP_PORT", "587"))
    EMAIL_USE_TLS = True
    EMAIL_HOST_USER = os.environ.get("CASEWORK_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("CASEWORK_SMTP_PASSWORD", "")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "outbox")

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = os.environ.get("CASEWORK_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Server-side session limits, checked on casework.core.clock (accounts/sessions.py).
_IDLE_MINUTES = int(os.environ.get("CASEWORK_IDLE_MINUTES", "15"))
CASEWORK_IDLE_TIMEOUT_SECONDS = 60 * min(30, max(1, _IDLE_MINUTES))
CASEWORK_SESSION_MAX_SECONDS = SESSION_COOKIE_AGE

# Production behind TLS. The "__Host-" prefix makes browsers refuse the cookie unless it is
# Secure, host-only and for path "/", so a subdomain cannot plant or read it.
CASEWORK_HTTPS = _env_bool("CASEWORK_HTTPS", False)
if CASEWORK_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = True
    # The API answers plain HTTP with 403 (accounts/hardening.py) rather than a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^api/"]
CASEWORK_UNSAFE_DURABILITY_FOR_TESTS = _env_bool("CASEWORK_UNSAFE_DURABILITY_FOR_TESTS", False)
if _env_bool("CASEWORK_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Request bodies above this are refused before any parsing (oversized input is bad input).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

NINJA_PAGINATION_PER_PAGE = 25
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Line breaks in messages are escaped, so request text cannot forge a log line.
    "formatters": {
        "safe": {
            "()": "casework.audit.logsafe.SafeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "safe"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
