"""Benchmark and load-test settings: production-like (DEBUG off, real middleware, Redis cache and
sessions), served over plain HTTP on the loopback, static files without a manifest."""
from .base import *  # noqa: F401,F403
from .base import ALLOWED_HOSTS, INSTALLED_APPS, env

DEBUG = False
# The scale tooling's commands: seed_scale, run_benchmarks (benchmarks/management/commands).
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
DEMO_SKIP_2FA = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {
        "BACKEND": "apps.core.cache.ResilientRedisCache",
        "LOCATION": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "kzn-bench",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
    }
}
# Many simulated users come from one address in the load test: no lockout noise.
AXES_ENABLED = False
# JIT is off for every connection of the platform (config/settings/base.py, docs/decisions.md).
