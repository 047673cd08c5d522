"""Celery application; broker and backend come from REDIS_URL via Django settings.

Run with ``celery -A config worker`` and ``celery -A config beat`` (the package exposes ``celery_app``).
"""
import os

from celery import Celery
from celery import Task as BaseTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


class Task(BaseTask):
    """Runs in the tenant context of whoever queued it; a task that declares only a hard time limit
    gets a soft limit just below it.

    The global soft limit (CELERY_TASK_SOFT_TIME_LIMIT) is larger than the hard limit of short tasks
    (e-mail, ping); Celery refuses to send a task whose soft limit exceeds its hard limit.
    """

    def __call__(self, *args, **kwargs):
        """The task body runs in its tenant context (row-level security, apps/core/tenancy_hooks.py)."""
        # Not at the top: this module is imported (config/__init__.py) before Django's apps are loaded,
        # and the tenancy hooks import models.
        from apps.core.tenancy_hooks import task_context

        manager = task_context(self)
        if manager is None:
            return super().__call__(*args, **kwargs)
        with manager:
            return super().__call__(*args, **kwargs)

    @classmethod
    def on_bound(cls, app):
        super().on_bound(app)
        if cls.time_limit and cls.soft_time_limit and cls.soft_time_limit >= cls.time_limit:
            cls.soft_time_limit = max(1, int(cls.time_limit * 0.8))


app = Celery("kzn", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
