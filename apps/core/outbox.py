"""The outbox: every e-mail, notification and after-commit task goes through one table.

A message is written in the transaction that causes it (a reminder and its e-mail are saved together
or not at all), and delivered after the commit by the task ``core.deliver_outbox``. When the broker is
down at that moment nothing is lost: the row waits, and the sweep (``core.outbox_sweep``, every minute)
delivers what is due once the worker runs again.

Delivery per channel:
- ``email`` is **at most once**. The row is marked ``sending`` and committed before the mail server is
  called. An error that proves the mail was not accepted (refused connection, refused recipient, an
  error reply) puts it back to wait with back-off; after ``OUTBOX_MAX_ATTEMPTS`` it is ``failed``. A
  process that dies while sending leaves the row ``sending``; the sweep marks it ``uncertain`` and never
  sends it again by itself: a person decides on the deliveries page whether to send it again.
- ``task`` (a Celery task that could not be queued because the broker was down) and channels that
  other apps register with ``at_least_once=True`` (webhooks, whose receivers de-duplicate by the message
  id) are sent again after such a death.

The content (addresses, subject, body, attachments) is encrypted with the field keys and cleared once
sent; what stays is the kind, a masked recipient, the times and the history of attempts.
"""
from __future__ import annotations

import base64
import json
import logging
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import tenancy
from .choices import OutboxStatus
from .models import OutboxMessage

logger = logging.getLogger(__name__)

EMAIL = "email"
TASK = "task"
HISTORY_KEEP = 20
TENANT_HEADER = "kzn_tenant"  # the header apps/core/tenancy_hooks.py reads


def dumps(value: dict) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def loads(value: str) -> dict:
    return json.loads(value) if value else {}


@dataclass(frozen=True)
class Channel:
    """How one kind of message leaves the platform."""

    name: str
    send: Callable[[OutboxMessage, dict], None]
    at_least_once: bool
    # Errors after which the message certainly did not leave, so a later attempt cannot duplicate it.
    not_sent: tuple[type[BaseException], ...] = ()


CHANNELS: dict[str, Channel] = {}


def register_channel(name: str, sender: Callable[[OutboxMessage, dict], None], *, at_least_once: bool,
                     not_sent: tuple[type[BaseException], ...] = ()) -> None:
    """Register how messages of a channel are sent: ``sender(message, payload)`` raises on failure.
    An at-least-once channel retries every error (its receivers must de-duplicate by message id); an
    at-most-once channel retries only the errors in ``not_sent``."""
    CHANNELS[name] = Channel(name=name, send=sender, at_least_once=at_least_once, not_sent=not_sent)


def _max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: 1, 2, 4 ... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


# --- writing ---------------------------------------------------------------------------------

def enqueue(channel: str, payload: dict, *, kind: str, key: str | None = None, recipient_hint: str = "",
            municipality_id: int | None = None) -> OutboxMessage | None:
    """Record one message in the current transaction; delivered after the commit. With ``key``, a
    message already recorded under that key is not recorded again (returns None)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    message = OutboxMessage(channel=channel, kind=kind[:60], key=key[:200] if key else None,
                            payload=dumps(payload), recipient_hint=recipient_hint[:120],
                            origin_municipality=municipality_id)
    if key:
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return None
    else:
        message.save()
    transaction.on_commit(partial(dispatch, message.pk))
    return message


def _mask(address: str) -> str:
    name, _, domain = (address or "").partition("@")
    return f"{name[:1]}•••@{domain}" if domain else "•••"


def recipient_hint(addresses: list[str]) -> str:
    """The first address masked, and how many more: enough to tell messages apart, not to read them."""
    addresses = [a for a in addresses if a]
    if not addresses:
        return ""
    more = f" +{len(addresses) - 1}" if len(addresses) > 1 else ""
    return _mask(addresses[0]) + more


def _attachment(item) -> dict:
    if not isinstance(item, tuple):  # a MIMEBase part: kept whole
        return {"mime": base64.b64encode(item.as_bytes()).decode()}
    name, content, mimetype = item
    if isinstance(content, bytes):
        return {"name": name, "b64": base64.b64encode(content).decode(), "mimetype": mimetype}
    return {"name": name, "text": content, "mimetype": mimetype}


def email_payload(message: EmailMessage) -> dict:
    """A Django e-mail as data (what ``email_from_payload`` rebuilds)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to), "cc": list(message.cc), "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": [_attachment(item) for item in message.attachments],
    }


def email_from_payload(payload: dict) -> EmailMultiAlternatives:
    """The e-mail recorded by ``email_payload``."""
    message = EmailMultiAlternatives(
        subject=payload["subject"], body=payload["body"], from_email=payload.get("from_email"),
        to=payload.get("to") or [], cc=payload.get("cc") or [], bcc=payload.get("bcc") or [],
        reply_to=payload.get("reply_to") or [], headers=payload.get("headers") or {},
    )
    for content, mimetype in payload.get("alternatives") or []:
        message.attach_alternative(content, mimetype)
    for item in payload.get("attachments") or []:
        if "mime" in item:
            message.attach(message_from_bytes(base64.b64decode(item["mime"])))
        elif "b64" in item:
            message.attach(item["name"], base64.b64decode(item["b64"]), item["mimetype"])
        else:
            message.attach(item["name"], item["text"], item["mimetype"])
    return message


def send_message(message: EmailMessage, *, kind: str, key: str | None = None,
                 municipality_id: int | None = None) -> int:
    """Record a built e-mail for delivery after the commit; returns 1 when recorded, 0 when its key was
    recorded before or it has no recipient."""
    if not message.recipients():
        return 0
    recorded = enqueue(EMAIL, email_payload(message), kind=kind, key=key,
                       recipient_hint=recipient_hint(message.recipients()), municipality_id=municipality_id)
    return 1 if recorded is not None else 0


def send_email(*, subject: str, body: str, to: list[str], kind: str, key: str | None = None,
               attachments: list | None = None, municipality_id: int | None = None) -> int:
    """Record one plain-text e-mail for delivery after the commit."""
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    return send_message(message, kind=kind, key=key, municipality_id=municipality_id)


def after_commit(task, /, *, queue: str | None = None, **kwargs) -> None:
    """Queue a Celery task when the current transaction commits. If the broker cannot take it then,
    it is kept in the outbox (with the tenant context it was queued in) and queued by the sweep."""
    transaction.on_commit(partial(_publish_or_keep, task.name, kwargs, queue))


def _publish_or_keep(name: str, kwargs: dict, queue: str | None) -> None:
    state = tenancy.current()
    header = state.as_header() if state is not None else None
    try:
        _publish(name, kwargs, queue, header)
    except Exception as exc:  # noqa: BLE001 - any broker failure: keep the task for the sweep
        logger.warning("broker unavailable (%s); task %s kept in the outbox", type(exc).__name__, name)
        with transaction.atomic():
            message = OutboxMessage(channel=TASK, kind=name[:60],
                                    payload=dumps({"task": name, "kwargs": kwargs, "queue": queue, "header": header}))
            message.save()


def _publish(name: str, kwargs: dict, queue: str | None, header: dict | None) -> None:
    task = current_app.tasks.get(name)
    if task is not None and current_app.conf.task_always_eager:  # as apply_async does (tests, scripts)
        task.apply(kwargs=kwargs)
        return
    options = {"queue": queue} if queue else {}
    headers = {TENANT_HEADER: header} if header is not None else {}
    current_app.send_task(name, kwargs=kwargs, headers=headers, **options)


def dispatch(message_id: int) -> None:
    """After the commit: deliver now (``OUTBOX_DELIVERY = "inline"``) or queue the delivery task. A
    broker that is down leaves the message to the sweep."""
    if getattr(settings, "OUTBOX_DELIVERY", "celery") == "inline":
        deliver(message_id)
        return
    try:
        _publish("core.deliver_outbox", {"message_id": message_id}, None, None)
    except Exception as exc:  # noqa: BLE001 - the sweep delivers it once the broker is back
        logger.warning("broker unavailable (%s); outbox message %s left for the sweep", type(exc).__name__, message_id)


# --- delivering --------------------------------------------------------------------------------

def _error_text(exc: BaseException) -> str:
    """The kind of error and the server's reply code: never the addresses the server may echo."""
    code = getattr(exc, "smtp_code", None) or getattr(exc, "errno", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(v[0]) for v in exc.recipients.values()})
        return f"{type(exc).__name__} ({', '.join(codes)})"
    return f"{type(exc).__name__}" + (f" ({code})" if code else "")


def _record(message_id: int, outcome: str, error: str = "", **fields) -> None:
    row = OutboxMessage.objects.filter(pk=message_id).values("history").first()
    history = (row["history"] if row else [])[-(HISTORY_KEEP - 1):]
    history.append({"at": timezone.now().isoformat(timespec="seconds"), "outcome": outcome, "error": error})
    OutboxMessage.objects.filter(pk=message_id).update(history=history, last_error=error[:300], **fields)


def deliver(message_id: int) -> str:
    """Send one message if it is due; returns its status afterwards ("" when it was not ours to send)."""
    now = timezone.now()
    # The claim is its own committed statement: a second delivery of the same row finds it taken.
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now,
    ).update(status=OutboxStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return ""
    message = OutboxMessage.objects.get(pk=message_id)
    channel = CHANNELS.get(message.channel)
    try:
        if channel is None:
            raise LookupError(f"no channel {message.channel}")
        channel.send(message, loads(message.payload))
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        error = _error_text(exc)
        retry = channel is not None and (channel.at_least_once or isinstance(exc, channel.not_sent))
        if retry and message.attempts < _max_attempts():
            _record(message_id, "retry", error, status=OutboxStatus.PENDING,
                    next_attempt_at=timezone.now() + backoff(message.attempts))
            return OutboxStatus.PENDING
        status = OutboxStatus.FAILED if retry or channel is None else OutboxStatus.UNCERTAIN
        logger.warning("outbox message %s (%s) %s: %s", message_id, message.kind, status, error)
        _record(message_id, status, error, status=status)
        return status
    _record(message_id, "sent", status=OutboxStatus.SENT, sent_at=timezone.now(), payload=dumps({}))
    logger.info("outbox message %s (%s) sent", message_id, message.kind)
    return OutboxStatus.SENT


def sweep(*, limit: int = 500) -> dict:
    """Settle what died while sending, deliver what is due, forget what was sent long ago."""
    now = timezone.now()
    stale = now - timedelta(seconds=int(getattr(settings, "OUTBOX_SENDING_TIMEOUT", 600)))
    counts = {"uncertain": 0, "requeued": 0, "delivered": 0, "purged": 0}
    for message in OutboxMessage.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=stale).only("pk", "channel"):
        channel = CHANNELS.get(message.channel)
        if channel is not None and channel.at_least_once:
            _record(message.pk, "interrupted", status=OutboxStatus.PENDING, next_attempt_at=now)
            counts["requeued"] += 1
        else:
            _record(message.pk, "interrupted", status=OutboxStatus.UNCERTAIN)
            counts["uncertain"] += 1
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    for message_id in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        if deliver(message_id) == OutboxStatus.SENT:
            counts["delivered"] += 1
    keep = now - timedelta(days=int(getattr(settings, "OUTBOX_KEEP_DAYS", 30)))
    counts["purged"], _ = OutboxMessage.objects.filter(
        status__in=[OutboxStatus.SENT, OutboxStatus.DISCARDED], created_at__lt=keep,
    ).delete()
    return counts


def send_again(message: OutboxMessage) -> bool:
    """A person decided to send a failed or uncertain message again."""
    changed = OutboxMessage.objects.filter(
        pk=message.pk, status__in=[OutboxStatus.FAILED, OutboxStatus.UNCERTAIN],
    ).update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now())
    if changed:
        transaction.on_commit(partial(dispatch, message.pk))
    return bool(changed)


def discard(message: OutboxMessage) -> bool:
    """A person decided a failed or uncertain message will not be sent; its content is removed."""
    return bool(OutboxMessage.objects.filter(
        pk=message.pk, status__in=[OutboxStatus.FAILED, OutboxStatus.UNCERTAIN, OutboxStatus.PENDING],
    ).update(status=OutboxStatus.DISCARDED, payload=dumps({})))


# --- the two channels of the core --------------------------------------------------------------

def _send_email(message: OutboxMessage, payload: dict) -> None:
    email_from_payload(payload).send(fail_silently=False)


def _send_task(message: OutboxMessage, payload: dict) -> None:
    _publish(payload["task"], payload.get("kwargs") or {}, payload.get("queue"), payload.get("header"))


register_channel(
    EMAIL, _send_email, at_least_once=False,
    # The mail server certainly did not take the message: no connection, or an error reply.
    not_sent=(ConnectionRefusedError, socket.gaierror, smtplib.SMTPConnectError, smtplib.SMTPHeloError,
              smtplib.SMTPAuthenticationError, smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused,
              smtplib.SMTPDataError, smtplib.SMTPNotSupportedError),
)
register_channel(TASK, _send_task, at_least_once=True)
