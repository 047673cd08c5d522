"""Production: everything from the environment, HTTPS only, no demo shortcuts.

Every variable without a default below is required: the process refuses to start without it
(django-environ raises ImproperlyConfigured). README.md, "Running in production", lists them all.
"""
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import database_config, env

# The development defaults of base.py: never acceptable here, even when set explicitly.
DEV_SECRET_KEY = "insecure-dev-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
DEV_FIELD_ENCRYPTION_KEYS = ["ZGV2LW9ubHkta2V5LW5ldmVyLWluLXByb2R1Y3Rpb24="]
DEV_FIELD_HASH_KEY = "dev-hash-key-do-not-use-in-production"

DEBUG = False
DEMO_SKIP_2FA = False  # never from the environment: demo users do not skip 2FA in production

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith(("insecure-", "django-insecure-")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is the development key; generate a new one.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL")

# The same database options as every other settings module (jit off, generic plans...): what was
# benchmarked is what runs.
DATABASES = {"default": database_config(env.str("DATABASE_URL"))}

REDIS_URL = env.str("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "apps.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="kzn"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
    }
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Field encryption: real keys only; a key that is not a Fernet key fails now, not at the first read.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
FIELD_HASH_KEY = env.str("FIELD_HASH_KEY")
if not FIELD_ENCRYPTION_KEYS or set(FIELD_ENCRYPTION_KEYS) & set(DEV_FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold production keys, not the development key.")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key.encode())
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS: every key must be 32 url-safe base64-encoded bytes (Fernet.generate_key())."
        ) from None
if FIELD_HASH_KEY == DEV_FIELD_HASH_KEY or len(FIELD_HASH_KEY) < 32:
    raise ImproperlyConfigured("FIELD_HASH_KEY must be a random value of at least 32 characters.")

# HTTPS: behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The container health check asks over plain HTTP from inside the host.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# Static files: collected at image build (collectstatic) and served by WhiteNoise with hashed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
