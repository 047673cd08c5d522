"""Celery application; broker and backend come from REDIS_URL via Django settings."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("kzn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
