"""Builders for the minutes, action-item, PDF and targets tests. Every name is obviously fictional."""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.conferences.choices import ActionStatus, MeetingKind, MeetingStatus, MinutesStatus
from apps.conferences.models import ActionItem, Minutes
from tests.cases.factories_measures import make_case
from tests.cases.factories_records import incident, person

from .factories import AgendaItemFactory, InviteeFactory, MeetingFactory


def past_meeting(municipality, *, created_by, days_ago: int = 1, **fields):
    """A meeting that started ``days_ago`` days ago (scheduled unless ``status`` says otherwise)."""
    starts = timezone.now() - timedelta(days=days_ago)
    fields.setdefault("kind", MeetingKind.CASE_CONFERENCE)
    return MeetingFactory(municipality=municipality, created_by=created_by, starts_at=starts,
                          ends_at=starts + timedelta(hours=2), **fields)


def held_meeting(municipality, *, created_by, starts_at, kind=MeetingKind.CASE_CONFERENCE, **fields):
    """A held meeting at ``starts_at``."""
    return MeetingFactory(municipality=municipality, created_by=created_by, starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=2), kind=kind, status=MeetingStatus.HELD, **fields)


def on_agenda(meeting, case, **fields):
    """Put a case on a meeting's agenda."""
    return AgendaItemFactory(meeting=meeting, case=case, **fields)


def draft_minutes(meeting, *, recorded_by, **fields):
    """Started (draft) minutes."""
    return Minutes.objects.create(municipality=meeting.municipality, meeting=meeting, recorded_by=recorded_by, **fields)


def approved_minutes(meeting, *, recorded_by, approved_by=None):
    """Minutes approved an hour after the meeting started."""
    return Minutes.objects.create(
        municipality=meeting.municipality, meeting=meeting, recorded_by=recorded_by, status=MinutesStatus.APPROVED,
        approved_by=approved_by or recorded_by, approved_at=meeting.starts_at + timedelta(hours=1),
    )


def action(agenda_item, *, owner, created_by, due_on=None, status=ActionStatus.OPEN, **fields):
    """An action item stored directly."""
    return ActionItem.objects.create(
        municipality=agenda_item.municipality, meeting=agenda_item.meeting, agenda_item=agenda_item,
        case=agenda_item.case, description=fields.pop("description", "Testna radnja: kućna poseta"),
        owner_institution=owner, due_on=due_on or timezone.localdate() + timedelta(days=7),
        status=status, created_by=created_by, **fields,
    )


def couple(case, *, victim_name=("Primer", "Žrtvić"), perpetrator_name=("Primer", "Učinilović"), jmbg_hashes=("", "")):
    """The victim and perpetrator of a case."""
    v = person(case, *victim_name, jmbg_hash=jmbg_hashes[0])
    p = person(case, *perpetrator_name, role="perpetrator", jmbg_hash=jmbg_hashes[1])
    return v, p


__all__ = [
    "InviteeFactory", "action", "approved_minutes", "couple", "draft_minutes", "held_meeting", "incident",
    "make_case", "on_agenda", "past_meeting",
]
