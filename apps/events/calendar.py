"""Events as calendar entries for the shared scheduling of apps.core.calendar (invitations, updates,
cancellations and the private feed): no personal data, only kind, host, time, place and a link."""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from apps.core.calendar import ics as core_ics
from apps.core.calendar.entry import CalendarEntry

from .choices import EventStatus

TEMPLATES = {
    "subject_template": "core/emails/invitation_subject.txt",
    "body_template": "core/emails/invitation_body.txt",
}


def event_url(event) -> str:
    return core_ics.absolute_url(reverse("events:event_detail", kwargs={"pk": event.pk}))


def entry(event, *, sequence: int | None = None, with_link: bool = True) -> CalendarEntry:
    """The event as a calendar entry in the current language."""
    return CalendarEntry(
        uid=event.uid,
        sequence=event.sequence if sequence is None else sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=f"{event.get_kind_display()} · {core_ics.host_name(event)}",
        kind=str(event.get_kind_display()),
        host=core_ics.host_name(event),
        place=event.place,
        online_url=event.online_url,
        url=event_url(event) if with_link else "",
        cancelled=event.status == EventStatus.CANCELLED,
        page_label=_t("Event page: %(url)s"),
    )


def feed_entries(user):
    """The feed source of events: those the user is invited to or planned, of the last 90 days and
    the next 400 (registered on apps.core.calendar.feed in the app's ready())."""
    # cycle: models -> querysets -> this module's callers
    from .models import Event, Participant

    now = timezone.now()
    mine = Q(created_by_id=user.pk) | Q(pk__in=Participant.objects.filter(user_id=user.pk).values("event_id"))
    events = (
        Event.objects.visible_to(user).filter(mine)
        .filter(starts_at__gte=now - timedelta(days=90), starts_at__lte=now + timedelta(days=400))
        .select_related("municipality", "area")
    )
    return [entry(event) for event in events]
