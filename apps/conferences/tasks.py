"""Celery tasks of the conferences app (Celery discovers this module)."""
from .tasks_meetings import *  # noqa: F401,F403
from .tasks_minutes import *  # noqa: F401,F403
