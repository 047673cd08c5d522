"""Settings shared by every environment; every difference comes from environment variables."""
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import unquote

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-dev-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "formtools",
    "apps.core",
    "apps.municipalities",
    "apps.institutions",
    "apps.accounts",
    "apps.cases",
    "apps.conferences",
    "apps.protocols",
    "apps.action_plans",
    "apps.surveys",
    "apps.events",
    "apps.interlink",
    "apps.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # One transaction per request, stating whose request it is (row-level security, README).
    "apps.core.middleware.TenantContextMiddleware",
    "apps.core.middleware.NoStoreMiddleware",
    "apps.accounts.middleware.OTPMiddleware",
    "apps.accounts.middleware.SessionLifetimeMiddleware",
    "apps.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "apps.core.context_processors.platform",
            ],
        },
    },
    {
        # Compiled templates for the hot fragments (apps/core/jinja_env.py).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "apps.core.jinja_env.environment"},
    },
]

# Database: an explicit DATABASE_URL, or the embedded PostgreSQL started by scripts/embedded.py,
# which always exports DATABASE_URL before Django starts.

def database_config(url: str) -> dict:
    """The one database configuration, for every settings module (production.py calls it too)."""
    config = env.db_url_config(url)
    # A Unix-socket host arrives percent-encoded in the URL (the embedded server listens on a socket).
    config["HOST"] = unquote(config.get("HOST", ""))
    config["ATOMIC_REQUESTS"] = False
    config["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    # No JIT for the platform's short index scans: at national scale it spent about 500 ms compiling
    # two conference-panel queries on every case page and work queue (docs/decisions.md).
    # Prepared statements (only the fixed statements of apps/core/fixed_sql.py are prepared; the ORM
    # binds on the client) use their generic plan: planned once per connection, not re-planned per
    # execution. No parallel workers: a page's statements read a few dozen rows, and a worker costs
    # 15-20 ms to start; with the row-level security policies the work queue's generic plan for its
    # emergency measures chose a Gather Merge of two workers (21.9 ms instead of 0.2 ms, decision 54).
    config.setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0"
    )
    return config


DATABASES = {"default": database_config(env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/kzn"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Row-level security (apps/core/tenancy.py): every transaction of a request or task switches to this
# role (SET LOCAL ROLE), which owns no table and does not bypass row-level security. In production the
# app connects as this role (DATABASE_URL) and migrations run as the owner (README, "Row-level security").
DATABASE_APP_ROLE = env.str("DB_APP_ROLE", default="kzn_app")
# Platform-wide jobs: the only tasks that run in the audited bypass (every municipality), by task name.
TENANCY_PLATFORM_TASKS = {
    "accounts.expire_invitations": "expire invitations",
    "core.expire_grants": "expire grants",
    "cases.send_deadline_reminders": "deadline reminders",
    "cases.sweep_orphan_attachments": "sweep orphan attachments",
    "cases.delete_expired_drafts": "delete expired drafts",
    "cases.propose_retention": "propose retention",
    "conferences.prepare_agendas": "prepare agendas",
    "conferences.send_action_reminders": "action item reminders",
    "protocols.agreement_reminders": "agreement renewal reminders",
    "action_plans.send_reminders": "action plan reminders",
    # Lists the machine accounts, then reads each one's events as that account's own user.
    "interlink.collect_events": "collect events for machine accounts",
    "reports.produce_report": "monthly report",
    "reports.fail_report": "monthly report failed",
    "reports.monthly_reports": "monthly reports",
    "reports.refresh_figures": "refresh figures",
    "reports.refresh_national": "national figures",
    "reports.national_report": "national report",
}
# Webhooks to plain http:// addresses (local test receivers only; production sends https://).
INTERLINK_WEBHOOK_ALLOW_HTTP = env.bool("INTERLINK_WEBHOOK_ALLOW_HTTP", default=False)
MACHINE_TOKEN_TTL_DAYS = env.int("MACHINE_TOKEN_TTL_DAYS", default=180)
# The statements run on every request (access context, session user and device) are prepared on the
# server (apps/core/fixed_sql.py). Turn off behind a transaction-mode connection pooler.
FIXED_SQL_PREPARED = env.bool("DB_PREPARED_STATEMENTS", default=True)

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        "BACKEND": "apps.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="kzn"),
        # A Redis that does not answer costs half a second, then the cache is left out for a few seconds.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
    }
}
# While Redis cannot be reached the cache answers as a miss, and is asked again after this many seconds.
REDIS_RETRY_SECONDS = env.int("REDIS_RETRY_SECONDS", default=5)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.EmailOrUsernameBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Sessions: 30 minutes idle (renewed on every request), 12 hours absolute (SessionLifetimeMiddleware).
# In the database with Redis in front: read from Redis, written to both; while Redis is down they are
# read from the database, so nobody is signed out and no save is lost (apps/core/cache.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "default"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
# Activity renews the idle expiry at most once a minute (apps/accounts/middleware.py), not by writing
# the session on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "kzn_session"
CSRF_COOKIE_NAME = "kzn_csrftoken"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Two-factor: demo users may skip it only when this is on (never in production).
DEMO_SKIP_2FA = env.bool("DEMO_SKIP_2FA", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="KZN platforma")

# Lockout: 5 failures per person + IP address, 15 minutes, stored in PostgreSQL. The person is the
# account the typed name resolves to (e-mail or username, any case), else a keyed hash of the name
# (apps/core/login_identity.py): no fresh tries by re-spelling, no typed text stored.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "apps.core.login_identity.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "apps.core.client_ip.client_ip"

# Reverse proxies in front of the app, for the client address of the lockout and the audit log
# (apps/core/client_ip.py). 0: X-Forwarded-For is ignored. AXES_PROXY_COUNT is the earlier name.
PROXY_COUNT = env.int("PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
# Optional: addresses or networks the nearest proxy connects from; others' forwarded headers are ignored.
PROXY_TRUSTED_IPS = env.list("PROXY_TRUSTED_IPS", default=[])
for _network in PROXY_TRUSTED_IPS:
    ip_network(_network, strict=False)  # a mistyped entry stops the start, not the first login

# Content-Security-Policy: no inline scripts, no outside hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# django-guardian: object grants only, never global permissions standing in for object ones.
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# Internationalisation: Serbian Latin by default, Serbian Cyrillic and English.
LANGUAGE_CODE = "sr-latn"
LANGUAGES = [
    ("sr-latn", "Srpski (latinica)"),
    ("sr-cyrl", "Српски (ћирилица)"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Belgrade"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "kzn_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://" + str(VAR_DIR / "mail"))
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_BACKEND") == "django.core.mail.backends.filebased.EmailBackend":
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="KZN platforma <no-reply@kzn.example.org>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Closed cases are anonymised this many years after closure unless the municipality sets its own period.
CASE_RETENTION_YEARS = env.int("CASE_RETENTION_YEARS", default=10)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
CASE_ATTACHMENT_MAX_BYTES = env.int("CASE_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)

# Celery
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that queues a task while the broker is down must not hang: a short retry, then the outbox
# keeps the task (apps/core/outbox.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}

# The outbox (apps/core/outbox.py): "celery" delivers through the worker; "inline" in the process that
# committed (tests). Failed deliveries are retried with back-off this many times.
OUTBOX_DELIVERY = env.str("OUTBOX_DELIVERY", default="celery")
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# A delivery still "sending" after this many seconds was interrupted (longer than any send's time limit).
OUTBOX_SENDING_TIMEOUT = env.int("OUTBOX_SENDING_TIMEOUT", default=600)
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)
CELERY_BEAT_SCHEDULE = {
    "expire-invitations": {"task": "accounts.expire_invitations", "schedule": 60 * 60},
    "expire-grants": {"task": "core.expire_grants", "schedule": 15 * 60},
    "seal-audit": {"task": "core.seal_audit", "schedule": 5 * 60},
    # Delivers what waited for the broker or for a retry; settles deliveries a dead process left.
    "outbox-sweep": {"task": "core.outbox_sweep", "schedule": 60},
    "clear-expired-sessions": {"task": "core.clear_expired_sessions", "schedule": 6 * 60 * 60},
    "cases-deadline-reminders": {"task": "cases.send_deadline_reminders", "schedule": 15 * 60},
    "cases-sweep-orphan-attachments": {"task": "cases.sweep_orphan_attachments", "schedule": 24 * 60 * 60},
    "cases-delete-expired-drafts": {"task": "cases.delete_expired_drafts", "schedule": 60 * 60},
    "cases-propose-retention": {"task": "cases.propose_retention", "schedule": 24 * 60 * 60},
    # Idempotent: prepares tomorrow's agendas once each, and action-item reminders once per stage.
    "conferences-prepare-agendas": {"task": "conferences.prepare_agendas", "schedule": 30 * 60},
    "conferences-action-reminders": {"task": "conferences.send_action_reminders", "schedule": 15 * 60},
    # Idempotent: one reminder per agreement, coordinator and stage (60 and 30 days before expiry).
    "protocols-agreement-reminders": {"task": "protocols.agreement_reminders", "schedule": 6 * 60 * 60},
    # Idempotent: each reminder or flag once per period (apps/action_plans/services/alerts.py).
    "action-plans-reminders": {"task": "action_plans.send_reminders", "schedule": 6 * 60 * 60},
    # Idempotent: one feed event per key (apps/interlink/services/events.py).
    "interlink-collect-events": {"task": "interlink.collect_events", "schedule": 5 * 60},
    # Idempotent: the summary tables of this year, and last month's report of every municipality on the
    # 1st (one run per municipality and month); the national summary each quarter's first day as well.
    "reports-refresh-figures": {"task": "reports.refresh_figures", "schedule": 60 * 60},
    "reports-monthly": {"task": "reports.monthly_reports", "schedule": crontab(minute=30, hour=5, day_of_month=1)},
    "reports-national-quarterly": {"task": "reports.national_report",
                                   "schedule": crontab(minute=0, hour=5, day_of_month=1, month_of_year="1,4,7,10")},
}
# The founding programme's target for case conferences over all municipalities (DOMAIN.md).
CONFERENCE_PROGRAMME_TARGET = env.int("CONFERENCE_PROGRAMME_TARGET", default=78)

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.core.api.authentication.TokenAuthentication",
        "apps.core.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=90)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KZN platform API",
    "DESCRIPTION": "Coordinated community response to domestic violence: scoped, audited API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.api.schema.nullable_references",
        "apps.core.api.schema.blank_formats",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    # One name per choice set where several fields share it or share a field name.
    "ENUM_NAME_OVERRIDES": {
        "RatingEnum": "apps.conferences.choices.Rating",
        "MeetingKindEnum": "apps.conferences.choices.MeetingKind",
        "MeetingStatusEnum": "apps.conferences.choices.MeetingStatus",
        "MinutesStatusEnum": "apps.conferences.choices.MinutesStatus",
        "ActionStatusEnum": "apps.conferences.choices.ActionStatus",
        "InviteeRoleEnum": "apps.conferences.choices.InviteeRole",
        "InvitationResponseEnum": "apps.conferences.choices.InvitationResponse",
        "AgendaSectionEnum": "apps.conferences.choices.AgendaSection",
        "RoleEnum": "apps.core.choices.Role",
        "OutsideInviteeRoleEnum": ["victim", "representative", "guest"],
        "EventKindEnum": "apps.events.choices.EventKind",
        "EventStatusEnum": "apps.events.choices.EventStatus",
        "MaterialKindEnum": "apps.events.choices.MaterialKind",
        "EventMediaKindEnum": "apps.events.choices.MediaKind",
        "InboundRecordKindEnum": "apps.interlink.choices.RecordKind",
        "InterlinkEventTypeEnum": "apps.interlink.choices.EventType",
        "EmergencyMeasureKindEnum": "apps.cases.choices.EmergencyMeasureKind",
        "ProtectiveMeasureKindEnum": "apps.cases.choices.ProtectiveMeasureKind",
    },
}

# Field encryption keys (MultiFernet: first key encrypts, all decrypt; rotate by prepending).
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["ZGV2LW9ubHkta2V5LW5ldmVyLWluLXByb2R1Y3Rpb24="]
)
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY", default="dev-hash-key-do-not-use-in-production")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every PDF (and of its default style sheet when imported) at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}

# Anonymous questionnaires (apps/surveys): the helplines on the thank-you page (national ones, then
# per municipality slug), the neutral site of the quick exit, and the abuse controls of the public page.
SURVEY_HELPLINES = {
    "national": [
        ("SOS", "0800 100 007"),
        ("Policija / Police", "192"),
    ],
}
# The public answer page opens its own tenant context around each database access (apps/surveys/
# public.py); without a session cookie its requests get no request-wide transaction (apps/core/middleware.py).
TENANT_CONTEXT_SELF_MANAGED_PATHS = ("/surveys/a/",)
SURVEY_EXIT_URL = env.str("SURVEY_EXIT_URL", default="https://www.google.com/")
SURVEY_POW_BITS = env.int("SURVEY_POW_BITS", default=14)
SURVEY_DAILY_LIMIT = env.int("SURVEY_DAILY_LIMIT", default=60)
SURVEY_DAILY_LIMIT_NO_WORK = env.int("SURVEY_DAILY_LIMIT_NO_WORK", default=10)
# The anonymous certificate check (/events/verify/): checks per client address and window in seconds.
EVENTS_VERIFY_RATE = (env.int("EVENTS_VERIFY_LIMIT", default=30), env.int("EVENTS_VERIFY_WINDOW", default=600))
