"""Periodic work of the case record (thin: each task calls one service)."""
from celery import shared_task

from .services.attachments import attachments_sweep_orphans
from .services.drafts import drafts_delete_expired
from .services.reminders import deadline_reminders_send
from .services.retention import anonymise_run, propose_all


@shared_task(
    name="cases.send_deadline_reminders",
    time_limit=300,
    soft_time_limit=240,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def send_deadline_reminders() -> dict:
    """Remind responsible institutions of expiring and overdue deadlines (idempotent; run by beat)."""
    run = deadline_reminders_send()
    return {"reminders": run.reminders_created, "emails": run.emails_queued}


@shared_task(name="cases.sweep_orphan_attachments", time_limit=600, soft_time_limit=540)
def sweep_orphan_attachments() -> int:
    """Delete stored files no attachment references (left by rolled-back uploads); run daily by beat."""
    return attachments_sweep_orphans()


@shared_task(name="cases.delete_expired_drafts", time_limit=300, soft_time_limit=240)
def delete_expired_drafts() -> int:
    """Delete the case forms' drafts past their expiry, of every user; run hourly by beat."""
    return drafts_delete_expired()


@shared_task(name="cases.propose_retention", time_limit=600, soft_time_limit=540)
def propose_retention() -> int:
    """The daily dry run: per municipality, the closed cases past retention, for the coordinator to confirm."""
    return propose_all()


@shared_task(name="cases.anonymise_retention_run", time_limit=3600, soft_time_limit=3500, acks_late=True)
def anonymise_retention_run(run_id: int) -> int:
    """Anonymise the cases of a confirmed retention run (in the confirming coordinator's context)."""
    return anonymise_run(run_id)
