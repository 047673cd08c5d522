"""Agenda preparation: every table filled from case data, each case once, idempotent."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases.choices import CaseStatus
from apps.cases.models import Case
from apps.conferences.choices import AgendaOrigin, AgendaSection, MeetingKind
from apps.conferences.models import AgendaItem, Meeting
from apps.conferences.services.agenda import agenda_prepare, agendas_prepare_due
from tests.cases.factories import english  # noqa: F401 - fixture
from tests.cases.factories_measures import emergency
from tests.factories import InstitutionFactory, member

from .factories import AreaFactory, MeetingFactory, next_week_at
from .factories_minutes import action, couple, held_meeting, incident, make_case, on_agenda

pytestmark = pytest.mark.django_db


def sections(meeting):
    return dict(AgendaItem.objects.filter(meeting=meeting).values_list("case__number", "section"))


@pytest.fixture
def agenda_world(world):
    now = timezone.now()
    coordinator = world.users["coordinator"]
    opener = world.users["caseworker"]
    csr = world.csr_a
    old = now - timedelta(days=40)
    previous = held_meeting(world.mun_a, created_by=coordinator, starts_at=now - timedelta(days=20))
    meeting = MeetingFactory(municipality=world.mun_a, created_by=coordinator, starts_at=next_week_at(10, days=1))
    c = {}
    c["new"] = make_case(institution=csr, opened_by=opener)
    c["review"] = make_case(institution=csr, opened_by=opener, reported_at=old)
    on_agenda(previous, c["review"], discussed=True, next_review_on=timezone.localdate(meeting.starts_at))
    c["not_yet"] = make_case(institution=csr, opened_by=opener, reported_at=old)
    on_agenda(previous, c["not_yet"], discussed=True, next_review_on=timezone.localdate(meeting.starts_at) + timedelta(days=30))
    c["measure"] = make_case(institution=csr, opened_by=opener, reported_at=old)
    emergency(c["measure"], ordered_by=world.police_a, recorded_by=opener, delivered_at=now - timedelta(hours=2))
    c["proposed"] = make_case(institution=csr, opened_by=opener, reported_at=old,
                              proposed_for_conference_at=now - timedelta(days=2))
    c["proposed_discussed"] = make_case(institution=csr, opened_by=opener, reported_at=old,
                                        proposed_for_conference_at=now - timedelta(days=30))
    on_agenda(previous, c["proposed_discussed"], discussed=True)
    c["actions"] = make_case(institution=csr, opened_by=opener, reported_at=old)
    action(on_agenda(previous, c["actions"], discussed=True), owner=csr, created_by=coordinator)
    # Repeat: the couple of a case discussed 20 days ago is back with new violence in a new case.
    c["earlier"] = make_case(institution=csr, opened_by=opener, reported_at=old)
    couple(c["earlier"])
    on_agenda(previous, c["earlier"], discussed=True)
    c["repeat"] = make_case(institution=csr, opened_by=opener)
    couple(c["repeat"])
    incident(c["repeat"], forms=["physical"], recorded_by=opener)
    c["closed"] = make_case(institution=csr, opened_by=opener, status=CaseStatus.CLOSED)
    c["restricted"] = make_case(institution=csr, opened_by=opener, is_restricted=True)
    c["old_quiet"] = make_case(institution=csr, opened_by=opener, reported_at=old)
    other_staff = world.users["other_municipality"]["caseworker"]
    c["other_municipality"] = make_case(institution=world.csr_b, opened_by=other_staff)
    return meeting, {k: Case.objects.get(pk=v.pk) for k, v in c.items()}


def test_each_table_is_filled_from_case_data(at_each_moment, agenda_world):
    meeting, c = agenda_world

    result = agenda_prepare(meeting=meeting)

    got = sections(meeting)
    assert got == {
        c["new"].number: AgendaSection.NEW,
        c["review"].number: AgendaSection.REVIEW,
        c["measure"].number: AgendaSection.MEASURES,
        c["proposed"].number: AgendaSection.PROPOSED,
        c["actions"].number: AgendaSection.ACTIONS,
        c["repeat"].number: AgendaSection.REPEAT,
    }
    assert result.counts == {"repeat": 1, "measures": 1, "new": 1, "proposed": 1, "review": 1, "actions": 1}
    assert result.added == 6
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    # Tables in the minutes' order (new, current, measures, repeat, actions, proposed), numbered 1..n.
    assert [i.section for i in items] == ["new", "review", "measures", "repeat", "actions", "proposed"]
    assert [i.position for i in items] == [1, 2, 3, 4, 5, 6]
    assert all(i.origin == AgendaOrigin.AUTOMATIC and i.reason for i in items)
    # The reason is stored as codes (the job runs in no one's language) and read in the reader's.
    new_item = items[0]
    assert new_item.reason == "new_case"
    from django.utils import translation

    with translation.override("en"):
        assert new_item.reason_display == "New case reported since the last meeting"
    with translation.override("sr-latn"):
        assert new_item.reason_display == "Novi slučaj prijavljen od prethodnog sastanka"
    with translation.override("sr-cyrl"):
        assert new_item.reason_display == "Нови случај пријављен од претходног састанка"
    assert all(i.municipality_id == meeting.municipality_id and i.presenter_id == i.case.lead_institution_id for i in items)
    meeting.refresh_from_db()
    assert meeting.agenda_prepared_at is not None


def test_running_again_adds_nothing_twice(agenda_world):
    meeting, c = agenda_world
    agenda_prepare(meeting=meeting)
    before = list(AgendaItem.objects.filter(meeting=meeting).values_list("case_id", "section", "position"))

    again = agenda_prepare(meeting=meeting)

    assert again.added == 0 and again.already_on_agenda == 6
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("case_id", "section", "position")) == before


def test_the_beat_run_prepares_each_meeting_once_and_keeps_removals(agenda_world):
    meeting, c = agenda_world
    far = MeetingFactory(municipality=meeting.municipality, created_by=meeting.created_by, starts_at=next_week_at(10, days=5))

    first = agendas_prepare_due()
    assert [r.meeting_id for r in first] == [meeting.pk]
    # The coordinator takes a case off the agenda; the next beat run does not put it back.
    AgendaItem.objects.filter(meeting=meeting, case=c["new"]).delete()
    second = agendas_prepare_due()

    assert second == []
    assert not AgendaItem.objects.filter(meeting=meeting, case=c["new"]).exists()
    assert not AgendaItem.objects.filter(meeting=far).exists()
    assert Meeting.objects.get(pk=far.pk).agenda_prepared_at is None


def test_coordination_group_meeting_takes_cases_of_every_area_municipality(world):
    coordinator = world.users["coordinator"]
    area = AreaFactory(municipality=world.mun_a, municipalities=[world.mun_b])
    meeting = MeetingFactory(municipality=world.mun_a, created_by=coordinator, kind=MeetingKind.COORDINATION_GROUP,
                             area=area, starts_at=next_week_at(10, days=1))
    own = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    other = make_case(institution=world.csr_b, opened_by=world.users["other_municipality"]["caseworker"])
    outside_institution = InstitutionFactory()
    outside = make_case(institution=outside_institution, opened_by=member("caseworker", outside_institution))

    agenda_prepare(meeting=meeting)

    got = AgendaItem.objects.filter(meeting=meeting)
    assert set(got.values_list("case_id", flat=True)) == {own.pk, other.pk}
    assert outside.pk not in set(got.values_list("case_id", flat=True))
    # Each agenda item belongs to its case's municipality.
    assert got.get(case=other).municipality_id == world.mun_b.pk


def test_repeat_needs_the_same_couple_within_twelve_months(at_each_moment, world):
    now = timezone.now()
    coordinator, opener = world.users["coordinator"], world.users["caseworker"]
    long_ago = held_meeting(world.mun_a, created_by=coordinator, starts_at=now - timedelta(days=400))
    earlier = make_case(institution=world.csr_a, opened_by=opener, reported_at=now - timedelta(days=420))
    couple(earlier)
    on_agenda(long_ago, earlier, discussed=True)
    meeting = MeetingFactory(municipality=world.mun_a, created_by=coordinator, starts_at=next_week_at(10, days=1))
    stranger = make_case(institution=world.csr_a, opened_by=opener)
    couple(stranger, perpetrator_name=("Drugi", "Primerović"))
    incident(stranger, forms=["physical"], recorded_by=opener)
    late = make_case(institution=world.csr_a, opened_by=opener)
    couple(late)
    incident(late, forms=["psychological"], recorded_by=opener)

    agenda_prepare(meeting=meeting)

    got = sections(meeting)
    # Another perpetrator is not a repeat; the same couple 13 months after the conference is not either.
    assert got[stranger.number] == AgendaSection.NEW
    assert got[late.number] == AgendaSection.NEW


def test_cancelled_meeting_gets_no_agenda(agenda_world):
    meeting, _c = agenda_world
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")
    meeting.refresh_from_db()

    result = agenda_prepare(meeting=meeting)

    assert result.added == 0
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
