"""Account tasks: e-mail delivery and invitation housekeeping."""
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage


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
