"""Celery tasks of the action plans (thin: they call a service)."""
from celery import shared_task

from .services.alerts import alerts_send


@shared_task(name="action_plans.send_reminders", time_limit=300, soft_time_limit=270)
def send_reminders() -> dict:
    """Daily: progress-report reminders 7 days before due, late activities and indicators off track."""
    run = alerts_send()
    return {"alerts": run.created, "emails": run.emails}
