"""One settings module, driven by the environment.

With no environment at all the site runs on the embedded default: SQLite in WAL mode,
in-memory channel layer, locmem cache, eager Celery, console e-mail, local media,
embedded search and manual payouts. Each production service switches on when its
variable is present (see README.md, "Production configuration").
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"
# pytest imports settings before any conftest runs, so the test run is recognised here.
TESTING = env.bool("DJANGO_TESTING", default="pytest" in sys.modules)

# --- Secrets and hosts -----------------------------------------------------------------
# Production refuses to start without its secrets rather than run on a guessable key,
# saying why in one line.
DEVELOPMENT_SECRET_KEY = "dev-only-key-never-used-in-production-0123456789abcdef"


def _refuse(reason: str):
    sys.stderr.write(f"Refusing to start with DJANGO_ENV=production: {reason}\n")
    raise SystemExit(1)


if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        _refuse("set DJANGO_SECRET_KEY (50 characters or more).")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        _refuse("DJANGO_SECRET_KEY is the public development key; generate a secret one.")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        _refuse("set DJANGO_ALLOWED_HOSTS (comma-separated host names).")
    if not env.str("SITE_URL", default="").startswith("https://"):
        _refuse("set SITE_URL to the site's public https:// address (used in e-mail links).")
    DEBUG = False
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
    DEBUG = env.bool("DJANGO_DEBUG", default=not TESTING)

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "特別区 関係人口・シビックテック"

# --- Applications ----------------------------------------------------------------------
INSTALLED_APPS = [
    # daphne first: `runserver` then serves HTTP and WebSocket through ASGI.
    "daphne",
    "core",
    "accounts",
    "moderation",
    "marketplace",
    "contests",
    "messaging",
    "search",
    "notifications",
    "insights",
    "api",
    "cms",
    "frontend",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.WagtailUsersConfig",  # wagtail.users, its forms without role switches
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "channels",
    "corsheaders",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, so its redirects carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SiteCSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.two_factor.StaffTwoFactorMiddleware",
    "accounts.login_throttle.TrustedDeviceMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees what the views raise first: domain errors become 404/403/409/429.
    "core.middleware.DomainErrorMiddleware",
]

if PRODUCTION:
    # Serves the collected, hashed static files; in development runserver does that.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "messaging.context_processors.unread_messages",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------
# SQLite in WAL mode lets the dev server read while a write is in flight; IMMEDIATE
# transactions take the write lock up front so concurrent writers queue instead of
# failing with "database is locked" half-way through.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    if TESTING:
        # A file, not memory: the ASGI server processes of the chat tests (daphne, started
        # by the tests) must see the same test database. One per test run, so runs side by
        # side never share one.
        DATABASES["default"]["TEST"] = {
            "NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")
        }
# Connections are kept between requests (SQLite too: opening one and running the pragmas
# above cost more than most queries; the chat socket's database thread would pay it on
# every message).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, channel layer, background work --------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Parallel test workers (pytest-xdist, bin/test) share one Redis but not a database: each
# keeps its own cache keys and channel groups, or one worker's conversation 1 would hear
# the other's. Servers a test starts inherit the variable and so the worker's prefix.
_TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "") if TESTING else ""
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="kj") + _TEST_WORKER,
        }
    }
    # Search results (search.results_cache), shared by every process.
    CACHES["search"] = CACHES["default"]
    # Redis pub/sub: one PUBLISH per broadcast and messages pushed to each process, where
    # the list-based RedisChannelLayer needs about four round trips to send and four more
    # to receive each one (its per-process inbox is drained one message at a time). Pub/sub
    # keeps nothing for a process that is not listening; nothing depends on that here:
    # broadcasts are hints, the database has every message, and clients sync by seq.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                # redis-py 8 gives every read a 5 s socket timeout by default; a quiet
                # subscription must not count as a dead connection.
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": env.str("CHANNEL_LAYER_PREFIX", default="kj") + _TEST_WORKER,
            },
        }
    }
else:
    # Files, not process memory, so `run_periodic` beside the dev server sees who is online.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / "var" / "cache"),
            # Past MAX_ENTRIES every write lists the directory and deletes a third of
            # it; 300 (the default) is fewer than the searches a busy hour repeats.
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }
    # Search results in each process's memory: storing one in the file cache lists the
    # directory (Django's culling), 15 ms at 5,000 entries. What may be read from it is
    # still decided by the generation number in the shared cache above.
    CACHES["search"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "search-results",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# With no broker configured, tasks run in-process at the call site: the embedded default
# needs no worker, and the same code path is exercised as in production.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_BEAT_SCHEDULE = {
    "board-housekeeping": {"task": "marketplace.tasks.board_housekeeping", "schedule": 60 * 60},
    "message-emails": {"task": "messaging.tasks.send_message_emails", "schedule": 60},
    "data-exports": {"task": "accounts.tasks.delete_expired_data_exports", "schedule": 60 * 60},
    "unverified-accounts": {
        "task": "accounts.tasks.purge_unverified_accounts",
        "schedule": 24 * 60 * 60,
    },
    "stalled-payouts": {"task": "contests.tasks.resend_stalled_payouts", "schedule": 5 * 60},
    # The e-mail digests, at 07:00 Tokyo time (CELERY_TIMEZONE): every day, and on Mondays.
    "daily-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "weekly-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
        "args": ("weekly",),
    },
}

# --- Messaging -------------------------------------------------------------------------
# Database threads per server process for socket work (core.realtime.run_sync); 0 picks
# one for SQLite (one writer at a time) and two for PostgreSQL (core/realtime.py says why).
SOCKET_DATABASE_THREADS = env.int("SOCKET_DATABASE_THREADS", default=0)
# At most this many messages per sender in the window (seconds), across all conversations.
MESSAGING_SEND_LIMIT = env.int("MESSAGING_SEND_LIMIT", default=30)
MESSAGING_SEND_WINDOW = env.int("MESSAGING_SEND_WINDOW", default=60)
# An unread message is e-mailed once it has waited this long and its reader is offline;
# after an e-mail, that conversation stays quiet for MESSAGING_EMAIL_INTERVAL.
MESSAGING_EMAIL_DELAY = env.int("MESSAGING_EMAIL_DELAY", default=60)
MESSAGING_EMAIL_INTERVAL = env.int("MESSAGING_EMAIL_INTERVAL", default=15 * 60)
# A user counts as online while one of their pages pinged a socket within this many seconds.
PRESENCE_TTL = 75

# --- Search, payments ------------------------------------------------------------------
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
SEARCH_BACKEND = env.str(
    "SEARCH_BACKEND",
    default="search.backends.elasticsearch.ElasticsearchBackend"
    if ELASTICSEARCH_URL
    else "search.backends.embedded.EmbeddedBackend",
)
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="kankei")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Hosts of CKAN catalogs on a private network that organizers may import from; every
# other private address is refused (contests.ckan), so a typed URL cannot probe inside.
CKAN_PRIVATE_HOSTS = env.list("CKAN_PRIVATE_HOSTS", default=[])

STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")  # a local stand-in in tests
# Fernet keys sealing winners' bank details (contests.payouts.vault), newest first; put a
# new one in front, run `manage.py rotate_payout_keys`, then drop the old one.
PAYOUT_ENCRYPTION_KEYS = env.list("PAYOUT_ENCRYPTION_KEYS", default=[])
if PRODUCTION and not PAYOUT_ENCRYPTION_KEYS:
    _refuse("set PAYOUT_ENCRYPTION_KEYS (a Fernet key: manage.py rotate_payout_keys --new-key).")
# No global payout provider: each contest names its own (core.providers); the Stripe
# provider is offered where STRIPE_SECRET_KEY is set, the manual one always.

# --- Authentication --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
if TESTING:
    # A test-only app that plugs into search and messaging through their registries only.
    INSTALLED_APPS.append("tests.plugin_app")
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The public read API (api/) is open to any site's scripts, for reading only: no
# cookies are sent along, so nothing a signed-in user could see leaks to another origin.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

LOGIN_URL = "account_login"
# The CMS admin signs in through allauth too, so the same rate limits and MFA apply.
WAGTAILADMIN_LOGIN_URL = "account_login"
# One password-reset path for everyone, staff included: allauth's, with its rate limits
# and SITE_URL-based links (config.urls sends /admin/password_reset/ there).
WAGTAIL_PASSWORD_RESET_ENABLED = False
LOGIN_REDIRECT_URL = "marketplace:dashboard"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[特別区 関係人口] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_SESSION_REMEMBER = None
# Failed log-ins are limited per client address here and per account, without locking
# out the owner, by accounts.login_throttle; both count in the cache, which is Redis in
# production so every process sees the same counters.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# The proxies (addresses or networks) in front of the site, e.g. the load balancer's
# subnet: only from them is X-Forwarded-For believed (accounts.login_throttle.client_ip).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "accounts.two_factor.MFAAdapter"
# Staff (accounts.needs_two_factor in the policy table) reach these only with a second
# factor enrolled; accounts.two_factor sends them to the enrolment guide first.
TWO_FACTOR_REQUIRED_PATHS = ["/admin/", "/django-admin/"]
MFA_TOTP_ISSUER = "特別区 関係人口"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION

# --- Internationalisation ------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: it would send a hash of every editor's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "json", "txt", "xlsx", "zip"]

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [
    BASE_DIR / "frontend" / "static",
    # npm packages the site serves itself: nothing the running site needs comes from a CDN.
    (
        "vendor/design-tokens",
        BASE_DIR / "node_modules" / "@digital-go-jp" / "design-tokens" / "dist",
    ),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
    # Message attachments are private: outside MEDIA_ROOT, served only through a view that
    # checks the reader (messaging.views.attachment).
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")),
            "base_url": None,
        },
    },
}
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible object storage for uploads (install django-storages[s3] alongside).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],
            "location": "private",
            "default_acl": "private",
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="特別区 関係人口 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security --------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

_SITE = urlsplit(SITE_URL)
_SOCKET_ORIGIN = f"{'wss' if _SITE.scheme == 'https' else 'ws'}://{_SITE.netloc}"
# Everything the site loads comes from itself; Wagtail's admin needs inline styles and
# scripts of its own, so the policy is relaxed for /admin/ only (see core.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        # Sockets to this site only ('self' covers them in CSP 3 browsers; the explicit
        # origin is for the older ones): never `wss:` to any host.
        "connect-src": ["'self'", _SOCKET_ORIGIN],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Browser features the site never uses are switched off for it and anything it embeds;
# WebAuthn (security keys, passkeys) stays on for the site itself (core.middleware).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "hid": [],
    "browsing-topics": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}

# --- Logging ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Eager tasks log every success; with no broker kombu warns about the empty URL.
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},
        "django.channels.server": {"level": "WARNING"},
    },
}

SILENCED_SYSTEM_CHECKS: list[str] = []

# The site name in every e-mail and page title (kept out of the template layer so
# notifications sent by workers use the same one).
PRODUCT_NAME = _("Tokyo Special Wards Skills Board")
