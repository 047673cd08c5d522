"""Tasks of the events app (thin: ids in, a service does the work)."""
from celery import shared_task


@shared_task(name="events.send_event_invitations", time_limit=120, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_event_invitations(*, event_id: int, only_new: bool = False) -> int:
    """Send the event's invitations, updates or cancellation (the shared calendar sending)."""
    # cycle: services.events -> tasks -> services
    from .services.invitations import send_invitations

    return send_invitations(event_id=event_id, only_new=only_new)


@shared_task(name="events.send_event_uninvite", time_limit=60, autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_event_uninvite(*, event_id: int, sealed: str, sequence: int) -> int:
    """Tell a removed participant that they are no longer expected."""
    # cycle: services.events -> tasks -> services
    from .services.invitations import send_uninvite

    return send_uninvite(event_id=event_id, sealed=sealed, sequence=sequence)


@shared_task(name="events.issue_certificates", time_limit=300)
def issue_certificates(*, run_id: int) -> int:
    """Issue the certificates of one run, updating its visible progress."""
    # cycle: services.certificates -> tasks -> services
    from .services.certificates import run_certificates

    return run_certificates(run_id=run_id)
