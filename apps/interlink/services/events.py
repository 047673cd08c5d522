"""What happened for a machine account's institution becomes feed events, read as the account's own
user (the same ``visible_to`` as for a person of that institution: never more than it may see), with
case numbers and the minimum the receiving system needs: no names, no free texts about persons."""
from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from apps.cases.models import Case, EmergencyMeasure, Referral
from apps.conferences.choices import MinutesStatus
from apps.conferences.models import ActionItem, AgendaItem
from apps.core import tenancy

from ..choices import EventType, Scope
from ..models import FeedEvent, MachineAccount, WebhookSubscription
from ..webhooks import enqueue_delivery

LOOK_BACK = timedelta(days=2)  # changes older than this were collected by an earlier run
DEADLINE_AHEAD = timedelta(hours=24)


def _numbers(user, case_ids) -> dict:
    return dict(Case.objects.visible_to(user, "view").filter(pk__in=set(case_ids)).values_list("pk", "number"))


def _measure_deadlines(user, now):
    soon = now + DEADLINE_AHEAD
    measures = list(EmergencyMeasure.objects.visible_to(user, "view").filter(
        Q(expires_at__gt=now, expires_at__lte=soon)
        | Q(extension_proposal_due__gt=now, extension_proposal_due__lte=soon, extension_proposed_at__isnull=True)
    ))
    numbers = _numbers(user, [m.case_id for m in measures])
    for m in measures:
        if m.case_id not in numbers:
            continue
        for deadline, due in (("expiry", m.expires_at), ("extension_proposal", m.extension_proposal_due)):
            if due and now < due <= soon and (deadline == "expiry" or m.extension_proposed_at is None):
                yield (f"measure:{m.pk}:{deadline}:{due:%Y%m%d%H%M}", EventType.MEASURE_DEADLINE, {
                    "case_number": numbers[m.case_id], "order_number": m.order_number, "measure_kind": m.kind,
                    "deadline": deadline, "due_at": due.isoformat(),
                })


def _conference_decisions(user, now, institution_id):
    items = list(AgendaItem.objects.visible_to(user, "view").filter(
        meeting__minutes__status=MinutesStatus.APPROVED, meeting__minutes__approved_at__gte=now - LOOK_BACK,
    ).select_related("meeting", "meeting__minutes"))
    numbers = _numbers(user, [i.case_id for i in items])
    for item in items:
        if item.case_id not in numbers:
            continue
        minutes = item.meeting.minutes
        yield (f"decision:{item.pk}:{minutes.version}", EventType.CONFERENCE_DECISION, {
            "case_number": numbers[item.case_id], "meeting_on": item.meeting.starts_at.date().isoformat(),
            "risk_level": item.risk_level, "next_review_on": item.next_review_on.isoformat() if item.next_review_on else None,
            "action_items_for_institution": item.action_items.filter(owner_institution_id=institution_id).count(),
        })


def _action_items(user, now, institution_id):
    items = list(ActionItem.objects.visible_to(user, "view").filter(
        owner_institution_id=institution_id, updated_at__gte=now - LOOK_BACK
    ))
    numbers = _numbers(user, [i.case_id for i in items])
    for item in items:
        if item.case_id not in numbers:
            continue
        yield (f"action:{item.pk}:v{item.version}:{item.status}", EventType.ACTION_ITEM, {
            "case_number": numbers[item.case_id], "action_item": item.pk, "action": item.description,
            "due_on": item.due_on.isoformat(), "status": item.status,
        })


def _referrals(user, now, institution_id):
    referrals = list(Referral.objects.visible_to(user, "view").filter(
        Q(from_institution_id=institution_id) | Q(to_institution_id=institution_id), updated_at__gte=now - LOOK_BACK
    ))
    numbers = _numbers(user, [r.case_id for r in referrals])
    for r in referrals:
        if r.case_id not in numbers:
            continue
        yield (f"referral:{r.pk}:{r.status}", EventType.REFERRAL, {
            "case_number": numbers[r.case_id], "referral": r.pk, "status": r.status, "urgency": r.urgency,
            "direction": "sent" if r.from_institution_id == institution_id else "received",
            "sent_at": r.sent_at.isoformat(), "answered_at": r.answered_at.isoformat() if r.answered_at else None,
        })


def emit(account: MachineAccount, key: str, event_type: str, payload: dict, *, now=None) -> FeedEvent | None:
    """Keep one event (a key seen before is no new event) and queue its webhook deliveries."""
    try:
        with transaction.atomic():
            event = FeedEvent.objects.create(
                municipality_id=account.municipality_id, account=account, key=key[:160], event_type=event_type,
                payload=payload, occurred_at=now or timezone.now(),
            )
    except IntegrityError:
        return None
    for subscription in WebhookSubscription.objects.filter(account=account, is_active=True):
        if event_type in subscription.event_types:
            enqueue_delivery(event, subscription)
    return event


def collect_for(account: MachineAccount, *, now=None) -> int:
    """New events of one account, read as its user."""
    now = now or timezone.now()
    user = account.user
    count = 0
    with tenancy.user_context(user):
        user.refresh_access()
        for source in (_measure_deadlines(user, now), _conference_decisions(user, now, account.institution_id),
                       _action_items(user, now, account.institution_id), _referrals(user, now, account.institution_id)):
            for key, event_type, payload in source:
                if emit(account, key, event_type, payload, now=now) is not None:
                    count += 1
    return count


def collect_all(*, now=None) -> int:
    """Every active account that reads the feed or has a webhook (run in the platform-wide job)."""
    total = 0
    accounts = MachineAccount.objects.filter(is_active=True).select_related("user")
    for account in accounts:
        if account.has_scope(Scope.READ_EVENTS) or WebhookSubscription.objects.filter(account=account, is_active=True).exists():
            total += collect_for(account, now=now)
    return total
