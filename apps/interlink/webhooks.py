"""Webhooks: every event is sent signed (HMAC-SHA256 over the timestamp and the body, with the
subscription's secret) and carries its event id, so a receiver verifies it and drops a repeat.

``deliver_webhook(message)`` is the one sender: it raises on any failure. ``enqueue_delivery`` is the one
place that queues a delivery: in the platform's outbox (channel ``interlink.webhook``, at least once),
which retries with back-off.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from apps.core import outbox, tenancy

from .models import FeedEvent, WebhookSubscription

SIGNATURE_HEADER = "X-KZN-Signature"
EVENT_ID_HEADER = "X-KZN-Event-Id"
EVENT_TYPE_HEADER = "X-KZN-Event-Type"
TIMESTAMP_HEADER = "X-KZN-Timestamp"
TIMEOUT_SECONDS = 10
CHANNEL = "interlink.webhook"


class DeliveryFailed(Exception):
    """The receiver did not accept the event (it is sent again later)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>." + body)>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: int | None = None) -> bool:
    """What a receiver does (documented, and used by the tests): the signature matches and is fresh."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or int(time.time())) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def body_of(event: FeedEvent) -> bytes:
    return json.dumps(
        {"id": str(event.event_id), "type": event.event_type, "occurred_at": event.occurred_at, "data": event.payload},
        cls=DjangoJSONEncoder, sort_keys=True,
    ).encode()


def deliver_webhook(message, payload: dict | None = None) -> None:
    """Send one event to one subscription, as the account's user; raises DeliveryFailed when not accepted.

    ``message`` is the delivery's dict (``subscription_id``, ``event_id``, ``user_id``); called by the
    platform outbox as a channel's sender, ``(outbox message, payload)``, the dict is the payload."""
    message = payload if payload is not None else message
    with tenancy.tenant_context(tenancy.TenantState(user_id=int(message["user_id"]))):
        subscription = WebhookSubscription.objects.select_related("account").filter(pk=message["subscription_id"]).first()
        event = FeedEvent.objects.filter(event_id=message["event_id"]).first()
    if subscription is None or event is None or not subscription.is_active or not subscription.account.is_active:
        return  # revoked or removed since: nothing to send
    body = body_of(event)
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (the address was checked: http(s) only)
        subscription.url, data=body, method="POST",
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(subscription.secret, timestamp, body),
            TIMESTAMP_HEADER: str(timestamp),
            EVENT_ID_HEADER: str(event.event_id),
            EVENT_TYPE_HEADER: event.event_type,
            "User-Agent": "KZN-webhook/1",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise DeliveryFailed(f"status {response.status}")
    except OSError as exc:  # refused, timed out, HTTP error statuses (HTTPError is an OSError)
        raise DeliveryFailed(type(exc).__name__) from exc


def enqueue_delivery(event: FeedEvent, subscription: WebhookSubscription) -> None:
    """Record one delivery in the platform's outbox, in the current transaction (one per event and
    subscription: the key). The outbox sends it after the commit and again, with back-off, until the
    receiver accepts it (at least once; the receiver drops a repeat by the event id)."""
    if not getattr(settings, "INTERLINK_WEBHOOKS_ENABLED", True):
        return
    message = {"subscription_id": subscription.pk, "event_id": str(event.event_id), "user_id": subscription.account.user_id}
    outbox.enqueue(CHANNEL, message, kind="interlink.webhook", key=f"interlink.webhook:{event.event_id}:{subscription.pk}",
                   recipient_hint=urlsplit(subscription.url).hostname or "")


outbox.register_channel(CHANNEL, deliver_webhook, at_least_once=True)
