"""Incidents: forms of violence, times (also across the daylight-saving change), reporting institution."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.cases.choices import PlaceType, ReportChannel, ViolenceForm
from apps.cases.models import Incident
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry

from .factories import Clock, add_incident, english, open_case, utc  # noqa: F401


def test_incident_is_recorded_with_its_details(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    incident = add_incident(
        worker,
        case,
        forms=[ViolenceForm.PHYSICAL, ViolenceForm.PSYCHOLOGICAL, ViolenceForm.PHYSICAL],
        reporting_institution=world.police_a,
        police_event_number="TEST-PU-2026-001",
        injuries=True,
        injuries_note="Modrice na rukama",
        weapon_involved=True,
        children_present=True,
        children_witnessed=True,
    )
    incident.refresh_from_db()
    assert incident.forms == ["physical", "psychological"]
    assert incident.reporting_institution == world.police_a and incident.recorded_by == worker
    assert (incident.injuries, incident.weapon_involved, incident.weapon_owned) == (True, True, False)
    assert AuditEntry.objects.filter(
        object_type="cases.incident", object_id=str(incident.pk), action=AuditAction.CREATE
    ).exists()


@pytest.mark.parametrize("forms", [[], None, ["physical", "shouting"]])
def test_forms_of_violence_are_required_and_from_the_list(world, forms):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_incident(worker, case, forms=forms)
    assert "forms" in exc.value.message_dict
    assert not Incident.objects.exists()


def test_place_and_channel_must_be_valid(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_incident(worker, case, place_type="moon", channel="pigeon")
    assert set(exc.value.message_dict) == {"place_type", "channel"}


def test_an_incident_cannot_happen_after_it_was_reported_or_in_the_future(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_incident(worker, case, occurred_at=case.reported_at + timedelta(minutes=1))
    assert "after it was reported" in exc.value.message_dict["occurred_at"][0]
    with pytest.raises(ValidationError) as exc:
        add_incident(
            worker, case, occurred_at=timezone.now() + timedelta(hours=1), reported_at=timezone.now() + timedelta(hours=2)
        )
    assert "future" in exc.value.message_dict["occurred_at"][0]
    assert "future" in exc.value.message_dict["reported_at"][0]
    assert not Incident.objects.exists()


def test_times_compare_as_instants_when_the_clocks_go_back(world, monkeypatch):
    """25 October 2026: 02:30 CEST (00:30 UTC) comes before 02:15 CET (01:15 UTC)."""
    Clock(monkeypatch).set(utc(2026, 10, 25, 6, 0))
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 10, 25, 1, 15))
    incident = add_incident(worker, case, occurred_at=utc(2026, 10, 25, 0, 30), reported_at=utc(2026, 10, 25, 1, 15))
    assert timezone.localtime(incident.occurred_at).strftime("%H:%M") == "02:30"
    assert timezone.localtime(incident.reported_at).strftime("%H:%M") == "02:15"
    # the other way round the wall clock looks fine (02:15 before 02:45) but it happened after the report
    with pytest.raises(ValidationError) as exc:
        add_incident(worker, case, occurred_at=utc(2026, 10, 25, 1, 15), reported_at=utc(2026, 10, 25, 0, 45))
    assert "occurred_at" in exc.value.message_dict


def test_an_incident_just_before_midnight_reported_just_after(world, monkeypatch):
    Clock(monkeypatch).set(utc(2026, 3, 29, 8, 0))  # the day the clocks go forward
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 3, 28, 23, 5))  # 00:05 on 29 March in Belgrade
    incident = add_incident(worker, case, occurred_at=utc(2026, 3, 28, 22, 55), reported_at=utc(2026, 3, 28, 23, 5))
    assert timezone.localtime(incident.occurred_at).date().isoformat() == "2026-03-28"
    assert timezone.localtime(incident.reported_at).date().isoformat() == "2026-03-29"


def test_naive_times_are_refused(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_incident(worker, case, occurred_at=(case.reported_at - timedelta(hours=1)).replace(tzinfo=None))
    assert "occurred_at" in exc.value.message_dict


def test_reporting_institution_must_be_visible_to_the_user(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_incident(worker, case, reporting_institution=world.csr_b)
    assert "reporting_institution" in exc.value.message_dict
    assert add_incident(worker, case, reporting_institution=world.police_a).pk


def test_injuries_description_needs_the_injuries_box(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_incident(worker, case, injuries=False, injuries_note="Ogrebotine")
    assert "injuries_note" in exc.value.message_dict


def test_incident_marks_activity_on_the_case(world, monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(utc(2026, 6, 1, 8, 0))
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 6, 1, 7, 0))
    clock.set(utc(2026, 7, 15, 9, 0))
    add_incident(worker, case, place_type=PlaceType.PUBLIC_PLACE, channel=ReportChannel.PHONE)
    case.refresh_from_db()
    assert case.last_activity_at == utc(2026, 7, 15, 9, 0)
