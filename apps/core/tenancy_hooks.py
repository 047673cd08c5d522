"""Where the tenant context comes from outside a request: logins, Celery tasks, ``migrate``.

A task runs in the context of whoever queued it (a header on the message); a task named in
``TENANCY_PLATFORM_TASKS`` runs in the audited platform-wide bypass; a task sent with no context
(from a shell, or by beat) runs in an empty one and reads nothing. A task called as a function or
applied eagerly runs in its caller's context.
"""
from __future__ import annotations

from celery.signals import before_task_publish
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import tenancy

HEADER = "kzn_tenant"


@receiver(user_logged_in)
def _bind_login(sender, request, user, **kwargs):
    tenancy.bind_user(user)


@receiver(user_logged_out)
def _bind_logout(sender, request, user, **kwargs):
    tenancy.bind_user(None)


@before_task_publish.connect
def _stamp_message(sender=None, headers=None, **kwargs):
    """The message carries the context of the code that queued it."""
    state = tenancy.current()
    if headers is not None and state is not None:
        headers[HEADER] = state.as_header()


def _header(request):
    value = getattr(request, HEADER, None)
    if value is None:
        value = (getattr(request, "headers", None) or {}).get(HEADER)
    return value


def task_context(task):
    """The context manager a task runs in (None: the caller's, for eager and direct calls). Entered
    by the base task class (config/celery_app.py) around the task body, after Celery's own prerun
    handlers (which may close a stale database connection) and left with it: a failed or retried
    task rolls back."""
    if getattr(task, "tenant_free", False):
        return None  # outside any tenant transaction (the outbox's tasks, apps/core/tasks.py)
    platform_tasks = getattr(settings, "TENANCY_PLATFORM_TASKS", {})
    if task.name in platform_tasks:
        return tenancy.platform(platform_tasks[task.name] or task.name)
    request = task.request
    header = _header(request)
    if header is None and (request.is_eager or request.called_directly):
        return None
    state = tenancy.TenantState.from_header(header)
    if state.platform:
        return tenancy.platform(state.platform)
    return tenancy.tenant_context(state)
