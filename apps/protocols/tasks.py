"""Celery tasks of the protocols app (thin: a service does the work). The reminder task runs in the
audited platform-wide context (TENANCY_PLATFORM_TASKS)."""
from celery import shared_task

from .services.reminders import agreement_reminders_send


@shared_task(name="protocols.agreement_reminders", time_limit=300, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=3)
def agreement_reminders() -> int:
    """Renewal reminders 60 and 30 days before an agreement expires (idempotent)."""
    return agreement_reminders_send()
