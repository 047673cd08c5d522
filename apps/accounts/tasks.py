"""Account tasks: e-mail delivery and invitation housekeeping."""
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from .models import Invitation


@shared_task(
    name="accounts.send_email",
    time_limit=60,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email(*, subject: str, body: str, to: list[str], attachments: list | None = None) -> int:
    """Send one plain-text e-mail (retried when the mail server is unreachable)."""
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    return message.send()


@shared_task(
    name="accounts.send_invitation",
    time_limit=60,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation(*, invitation_id: int, token: str, language: str) -> int:
    """E-mail one invitation link; a sent, accepted or revoked invitation is not sent again."""
    # cycle: accounts.invitations -> accounts.tasks -> accounts.invitations
    from .invitations import invitation_email

    invitation = Invitation.objects.select_related("institution").filter(pk=invitation_id).first()
    if invitation is None or invitation.sent_at is not None or not invitation.is_usable:
        return 0
    subject, body = invitation_email(invitation, token, language)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[invitation.email])
    sent = message.send()
    Invitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent


@shared_task(name="accounts.expire_invitations", time_limit=120)
def expire_invitations() -> int:
    """Count pending invitations whose link has expired (they stay for the record; the link is dead)."""

    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now()).count()
