"""Tasks for agenda preparation and action-item reminders (thin: a service does the work)."""
from celery import shared_task

from .models import Meeting
from .services.actions import action_reminders_send
from .services.agenda import agenda_prepare, agendas_prepare_due


@shared_task(name="conferences.prepare_agendas", time_limit=600, soft_time_limit=540)
def prepare_agendas() -> dict:
    """Prepare the agendas of meetings starting by the end of tomorrow (each meeting once)."""
    results = agendas_prepare_due()
    return {"meetings": len(results), "added": sum(r.added for r in results)}


@shared_task(
    name="conferences.prepare_agenda",
    time_limit=300,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def prepare_agenda(*, meeting_id: int) -> dict:
    """Prepare one meeting's agenda now (adds only cases not yet on it)."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return {}
    return agenda_prepare(meeting=meeting).counts


@shared_task(name="conferences.send_action_reminders", time_limit=300, soft_time_limit=270)
def send_action_reminders() -> dict:
    """Remind owners of action items due soon or overdue (once per item and stage); the e-mails are
    recorded in the outbox with the reminders."""
    run = action_reminders_send()
    return {"reminders": run.reminders_created, "emails": run.emails_queued}
