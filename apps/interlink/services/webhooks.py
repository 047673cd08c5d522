"""Webhook subscriptions of a machine account."""
from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import EventType, Scope
from ..models import MachineAccount, WebhookSubscription

MAX_PER_ACCOUNT = 5


def _check_url(url: str) -> str:
    parsed = urlparse(url or "")
    allowed = ("https", "http") if getattr(settings, "INTERLINK_WEBHOOK_ALLOW_HTTP", False) else ("https",)
    if parsed.scheme not in allowed or not parsed.hostname:
        raise ValidationError({"url": _("Enter an https:// address.")})
    return url


@transaction.atomic
def webhook_create(*, account: MachineAccount, by, url: str, secret: str, event_types) -> WebhookSubscription:
    """Subscribe an address of the account's system to some event types."""
    if not account.has_scope(Scope.MANAGE_WEBHOOKS) and by.pk == account.user_id:
        raise ValidationError({"url": _("This machine account may not manage webhooks.")})
    if WebhookSubscription.objects.filter(account=account, is_active=True).count() >= MAX_PER_ACCOUNT:
        raise ValidationError({"url": _("At most %(max)d webhooks per account.") % {"max": MAX_PER_ACCOUNT}})
    types = list(dict.fromkeys(event_types or []))
    if not types or any(t not in EventType.values for t in types):
        raise ValidationError({"event_types": _("Choose event types from the list.")})
    if len(secret or "") < 24:
        raise ValidationError({"secret": _("The secret must be at least 24 characters long.")})
    subscription = WebhookSubscription(
        municipality_id=account.municipality_id, account=account, url=_check_url(url), secret=secret,
        event_types=types, created_by=by,
    )
    subscription.full_clean()
    subscription.save()
    audit_log(action=AuditAction.CREATE, actor=by, obj=subscription, details={"types": types})
    return subscription


@transaction.atomic
def webhook_delete(*, subscription: WebhookSubscription, by) -> None:
    """Stop sending to this address."""
    audit_log(action=AuditAction.DELETE, actor=by, obj=subscription)
    subscription.delete()
