"""Reading meetings: the list, the meeting page's agenda and invitees, and "my meetings" for the feed."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from ..choices import AgendaSection, MeetingStatus
from ..models import AgendaItem, Meeting, MeetingInvitee

LIST_SELECT = ("municipality", "area", "chair")


def meeting_list(user, *, when: str = "upcoming", kind: str = ""):
    """Meetings the user sees, upcoming (soonest first) or past (latest first), with their counts."""
    now = timezone.now()
    qs = Meeting.objects.visible_to(user).select_related(*LIST_SELECT).annotate(
        invitee_count=Count("invitees", distinct=True),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if when == "past":
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return qs.filter(ends_at__gte=now).order_by("starts_at", "id")


@dataclass
class AgendaView:
    """The agenda as one user may read it: visible items per table, and how many are not shown."""

    sections: list[tuple[str, str, list[AgendaItem]]] = field(default_factory=list)
    hidden_count: int = 0
    total_minutes: int = 0
    items: list[AgendaItem] = field(default_factory=list)


def agenda_for(user, meeting: Meeting) -> AgendaView:
    """Visible agenda items grouped by table in the order of AgendaSection (two queries)."""
    items = list(
        AgendaItem.objects.visible_to(user).filter(meeting_id=meeting.pk)
        .select_related("case", "presenter").order_by("position", "id")
    )
    total = AgendaItem.objects.filter(meeting_id=meeting.pk).count()
    by_section: dict[str, list[AgendaItem]] = {}
    for item in items:
        by_section.setdefault(item.section, []).append(item)
    sections = [(value, label, by_section[value]) for value, label in AgendaSection.choices if value in by_section]
    return AgendaView(
        sections=sections,
        hidden_count=max(total - len(items), 0),
        total_minutes=sum(item.planned_minutes for item in items),
        items=items,
    )


def invitees_of(meeting: Meeting) -> list[MeetingInvitee]:
    """The meeting's invitees with their institution and person (one query)."""
    return list(MeetingInvitee.objects.filter(meeting_id=meeting.pk).select_related("user", "institution").order_by("id"))


def my_meetings(user):
    """The user's own meetings: chaired, supervised, organised, or invited to (personally or through
    an institution), among those the user may still see."""
    access = user.access
    institutions = access.institution_ids()
    invited = Q(user_id=user.pk)
    if institutions:
        invited |= Q(user__isnull=True, institution_id__in=institutions)
    invited_meetings = MeetingInvitee.objects.filter(invited).values("meeting_id")
    mine = Q(chair_id=user.pk) | Q(supervisor_id=user.pk) | Q(created_by_id=user.pk) | Q(pk__in=invited_meetings)
    return Meeting.objects.visible_to(user).filter(mine).select_related("municipality", "area")


def feed_meetings(user, *, days_back: int = 90, days_ahead: int = 400):
    """What the private calendar feed serves."""
    now = timezone.now()
    return my_meetings(user).filter(
        starts_at__gte=now - timedelta(days=days_back), starts_at__lte=now + timedelta(days=days_ahead)
    ).order_by("starts_at", "id")


def is_active(meeting: Meeting) -> bool:
    """Scheduled and not over yet."""
    return meeting.status == MeetingStatus.SCHEDULED and meeting.ends_at >= timezone.now()
