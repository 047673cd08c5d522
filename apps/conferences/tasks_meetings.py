"""Tasks for invitations and calendar updates (thin: ids in, a service does the work; the sending
itself is the shared apps.core.calendar.invitations)."""
from celery import shared_task

from .services.invitations import send_invitations, send_uninvite


@shared_task(
    name="conferences.send_meeting_invitations",
    time_limit=120,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_meeting_invitations(*, meeting_id: int, only_new: bool = False) -> int:
    """Send the meeting's invitations, updates or cancellations to invitees who lack the current revision."""
    return send_invitations(meeting_id=meeting_id, only_new=only_new)


@shared_task(
    name="conferences.send_meeting_uninvite",
    time_limit=60,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_meeting_uninvite(*, meeting_id: int, sealed: str, sequence: int) -> int:
    """Tell a removed invitee (encrypted addresses) that the meeting is cancelled for them."""
    return send_uninvite(meeting_id=meeting_id, sealed=sealed, sequence=sequence)
