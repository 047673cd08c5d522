"""Test settings: real PostgreSQL and Redis from the environment, fast hashing, no lockout noise."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Sessions in the cache only: the isolation matrix undoes every request it sends (a rolled-back
# transaction), which would leave the database and the cache of the production engine (cached_db) apart.
# The production engine is what the fault tests use (tests/core/test_redis_down.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# E-mail recorded in the outbox is delivered in the test process after the commit (the real-worker
# tests switch to "celery", tests/conftest_celery.py).
OUTBOX_DELIVERY = env.str("OUTBOX_DELIVERY", default="inline")
DEMO_SKIP_2FA = False
CACHES = {
    "default": {
        "BACKEND": "apps.core.cache.ResilientRedisCache",
        "LOCATION": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "kzn-test-" + env.str("PYTEST_XDIST_WORKER", default="main"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The isolation matrix checks the certificate page from one address many times per run; the tests of
# the limit itself set a small one (tests/events/test_verify.py).
EVENTS_VERIFY_RATE = (100000, 600)

# The real-worker tests (marker `celery`) start a Celery worker with these settings and need it to
# deliver e-mail to the SMTP server the test runs; every other test keeps the locmem outbox.
if env.bool("TEST_SMTP", default=False):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST", default="127.0.0.1")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_USE_TLS = False
    EMAIL_USE_SSL = False
    EMAIL_HOST_USER = ""
    EMAIL_HOST_PASSWORD = ""

# A worker of the fault tests takes over a message a killed worker left unacknowledged after this many
# seconds (tests/core/test_faults.py); every other test worker keeps the broker's default.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": env.int("KZN_TEST_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

# The scale tooling's commands (seed_scale, run_benchmarks) for tests/benchmarks; never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]  # noqa: F405
