"""Account tasks: invitation housekeeping (e-mail goes through the outbox, apps/core/outbox.py)."""
from celery import shared_task
from django.utils import timezone

from .models import Invitation


@shared_task(name="accounts.expire_invitations", time_limit=120)
def expire_invitations() -> int:
    """Count pending invitations whose link has expired (they stay for the record; the link is dead)."""

    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now()).count()
