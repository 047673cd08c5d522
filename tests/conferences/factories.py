"""Factories for the conference tests: coordination areas, meetings, invitees and agenda items.

Meetings default to next week at 10:00-12:00 Belgrade time in a new municipality (pass
``municipality=`` and ``created_by=``). Every name is obviously fictional.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from apps.conferences.choices import AgendaSection, InviteeRole, MeetingKind
from apps.conferences.models import (
    AgendaItem,
    AreaMember,
    AreaMunicipality,
    CoordinationArea,
    Meeting,
    MeetingInvitee,
)
from tests.factories import MunicipalityFactory, UserFactory

BELGRADE = ZoneInfo("Europe/Belgrade")


def belgrade(day, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime at a Belgrade wall-clock time on ``day`` (a date)."""
    return datetime.combine(day, time(hour, minute), tzinfo=BELGRADE)


def next_week_at(hour: int = 10, minute: int = 0, days: int = 7) -> datetime:
    """``days`` from today at a Belgrade wall-clock time."""
    return belgrade(timezone.localdate() + timedelta(days=days), hour, minute)


class AreaFactory(factory.django.DjangoModelFactory):
    """A coordination area seated in ``municipality`` (which is also made a member municipality)."""

    class Meta:
        model = CoordinationArea
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Testno područje OJT {n}")
    name_cyrl = factory.Sequence(lambda n: f"Тестно подручје ОЈТ {n}")
    meeting_interval_days = 15

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        """Member municipalities: the seat plus any passed as ``municipalities=[...]``."""
        if not create:
            return
        members = [obj.municipality, *(extracted or [])]
        for municipality in dict.fromkeys(members):
            AreaMunicipality.objects.get_or_create(area=obj, municipality=municipality)

    @factory.post_generation
    def institutions(obj, create, extracted, **kwargs):
        """Permanent member institutions passed as ``institutions=[...]``."""
        if create and extracted:
            for institution in extracted:
                AreaMember.objects.get_or_create(area=obj, institution=institution,
                                                 defaults={"municipality_id": institution.municipality_id})


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled case conference next week, 10:00-12:00 Belgrade time."""

    class Meta:
        model = Meeting

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = MeetingKind.CASE_CONFERENCE
    starts_at = factory.LazyFunction(lambda: next_week_at(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Sala za sastanke, Testna ulica 1"
    created_by = factory.SubFactory(UserFactory)


class InviteeFactory(factory.django.DjangoModelFactory):
    """An invitee of ``meeting``: pass ``user=``, ``institution=`` or ``name``/``email`` for an outside person."""

    class Meta:
        model = MeetingInvitee

    meeting = factory.SubFactory(MeetingFactory)
    municipality = factory.LazyAttribute(lambda o: o.meeting.municipality)
    role = InviteeRole.MEMBER
    user = factory.SubFactory(UserFactory)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    """A case on a meeting's agenda (``municipality`` follows the case); pass ``case=`` and ``meeting=``."""

    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    municipality = factory.LazyAttribute(lambda o: o.case.municipality)
    section = AgendaSection.OTHER
    position = factory.Sequence(lambda n: n + 1)
    planned_minutes = 15


__all__ = ["AgendaItemFactory", "AreaFactory", "InviteeFactory", "MeetingFactory", "belgrade", "next_week_at"]
