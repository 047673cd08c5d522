"""Local development: the embedded PostgreSQL and Redis, debug on, demo users may skip 2FA."""
from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
DEMO_SKIP_2FA = env.bool("DEMO_SKIP_2FA", default=True)
