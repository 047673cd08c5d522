"""Building events for the tests through the services."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from apps.core.calendar.ics import BELGRADE
from apps.core.choices import Role
from apps.events.choices import EventKind
from apps.events.models import Event
from apps.events.services import events as services


def day_at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, 0), tzinfo=BELGRADE)


def plan(world, **kwargs) -> Event:
    kwargs.setdefault("user", world.users[Role.COORDINATOR])
    kwargs.setdefault("kind", EventKind.TRAINING)
    kwargs.setdefault("title", "Obuka o proceni rizika (test)")
    kwargs.setdefault("municipality", world.mun_a)
    kwargs.setdefault("starts_at", day_at(7, 9))
    kwargs.setdefault("ends_at", day_at(7, 15))
    kwargs.setdefault("place", "Sala 1, Testna ulica 1")
    kwargs.setdefault("hours", 6)
    kwargs.setdefault("target_groups", ["csr", "police"])
    return services.event_plan(**kwargs)


def held(event, *, days_ago: int = 2) -> Event:
    """Move an event into the past (as if it had happened)."""
    start = day_at(-days_ago, 9)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=6))
    event.refresh_from_db()
    return event
