"""Minutes: recording, the chair's approval (once), the lock, amendments, the risk write-back,
the meeting becoming held."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from apps.cases.models import Case, RiskAssessment
from apps.conferences.choices import MeetingStatus, MinutesStatus
from apps.conferences.models import AgendaItem, Meeting, MinutesAmendment
from apps.conferences.services.minutes import (
    agenda_item_record,
    meeting_mark_held,
    minutes_amend,
    minutes_approve,
    minutes_save,
)
from tests.cases.factories import assess, english  # noqa: F401 - fixture
from tests.factories import member

from .factories import InviteeFactory
from .factories_minutes import make_case, on_agenda, past_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    coordinator = world.users["coordinator"]
    chair = member("coordinator", world.csr_a)
    meeting = past_meeting(world.mun_a, created_by=coordinator, chair=chair, days_ago=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    meeting.refresh_from_db()
    case = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    assess(world.users["caseworker"], case)  # all "unknown": the checklist gives low
    item = on_agenda(meeting, case)
    return meeting, item, coordinator, chair


def record(item, user, **kwargs):
    kwargs.setdefault("discussed", True)
    kwargs.setdefault("discussion", "Razgovarano o bezbednosti; škola prati dete.")
    return agenda_item_record(user=user, item=item, **kwargs)


def test_recording_attendance_and_a_case(setup, world):
    meeting, item, coordinator, chair = setup
    present = InviteeFactory(meeting=meeting, user=world.users["police_caseworker"])
    absent = InviteeFactory(meeting=meeting, user=world.users["supervisor"])

    minutes = minutes_save(user=coordinator, meeting=meeting, attendance={present.pk: True, absent.pk: False},
                           attendance_note="Predstavnica škole", general_notes="Sednica počela na vreme.")
    record(item, coordinator, decisions="Poseta porodici.", next_review_on=timezone.localdate() + timedelta(days=30))

    present.refresh_from_db(), absent.refresh_from_db(), item.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    assert minutes.recorded_by == coordinator and minutes.attendance_note == "Predstavnica škole"
    assert item.discussed and item.decisions == "Poseta porodici."


def test_only_those_who_run_the_meeting_record(setup, world):
    meeting, item, *_ = setup
    with pytest.raises(Http404):
        record(item, world.users["caseworker"])
    with pytest.raises(Http404):
        minutes_save(user=world.users["other_municipality"]["coordinator"], meeting=meeting, general_notes="x")


def test_next_review_must_be_after_the_meeting(setup):
    meeting, item, coordinator, _chair = setup
    with pytest.raises(ValidationError) as error:
        record(item, coordinator, next_review_on=timezone.localdate() - timedelta(days=1))
    assert "next_review_on" in error.value.message_dict


def test_the_chair_approves_once_and_the_minutes_lock(setup):
    meeting, item, coordinator, chair = setup
    record(item, coordinator)

    with pytest.raises(PermissionDenied):
        minutes_approve(user=coordinator, meeting=meeting)  # a chair is set: only the chair approves
    minutes = minutes_approve(user=chair, meeting=meeting)

    meeting.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_by == chair
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(ValidationError) as twice:
        minutes_approve(user=chair, meeting=meeting)
    assert "already approved" in " ".join(twice.value.message_dict["status"])
    with pytest.raises(ValidationError) as locked:
        record(item, coordinator, discussion="Naknadna izmena")
    assert "locked" in " ".join(locked.value.messages)
    with pytest.raises(ValidationError):
        minutes_save(user=coordinator, meeting=meeting, general_notes="Naknadno")
    item.refresh_from_db()
    assert item.discussion == "Razgovarano o bezbednosti; škola prati dete."


def test_a_coordinator_approves_when_no_chair_is_set(setup, world):
    meeting, item, coordinator, _chair = setup
    Meeting.objects.filter(pk=meeting.pk).update(chair=None)
    record(item, coordinator)
    invited = world.users["police_caseworker"]
    InviteeFactory(meeting=meeting, user=invited)
    with pytest.raises(PermissionDenied):
        minutes_approve(user=invited, meeting=meeting)  # sees the meeting, but neither chair nor coordinator

    minutes = minutes_approve(user=coordinator, meeting=Meeting.objects.get(pk=meeting.pk))

    assert minutes.approved_by == coordinator


def test_amendments_need_approved_minutes_and_a_reason(setup):
    meeting, item, coordinator, chair = setup
    record(item, coordinator)
    with pytest.raises(ValidationError):
        minutes_amend(user=coordinator, meeting=meeting, text="Ispravka", reason="Greška u zapisniku")
    minutes_approve(user=chair, meeting=meeting)

    with pytest.raises(ValidationError) as no_reason:
        minutes_amend(user=coordinator, meeting=meeting, text="Ispravka", reason="  ")
    assert "reason" in no_reason.value.message_dict
    assert not MinutesAmendment.objects.exists()
    amendment = minutes_amend(user=coordinator, meeting=meeting, agenda_item=item,
                              text="Ispravka: poseta je zakazana za ponedeljak.", reason="Pogrešan dan u zapisniku")

    assert amendment.agenda_item == item and amendment.author == coordinator
    item.refresh_from_db()
    assert item.discussion == "Razgovarano o bezbednosti; škola prati dete."  # the approved text stays


def test_risk_level_is_written_back_at_approval(setup):
    meeting, item, coordinator, chair = setup
    case = item.case
    with pytest.raises(ValidationError) as no_reason:
        record(item, coordinator, risk_level="high")
    assert "risk_reason" in no_reason.value.message_dict
    record(item, coordinator, risk_level="high", risk_reason="Pretnje posle izlaska iz pritvora.")
    assert RiskAssessment.objects.filter(case=case).count() == 1  # nothing written before approval

    minutes_approve(user=chair, meeting=meeting)

    latest = RiskAssessment.objects.filter(case=case).order_by("-assessed_at", "-id").first()
    assert latest.source == "conference" and latest.level == "high" and latest.computed_level == "low"
    assert latest.raise_reason == "Pretnje posle izlaska iz pritvora."
    assert Case.objects.get(pk=case.pk).risk_level == "high"
    assert AgendaItem.objects.get(pk=item.pk).risk_assessment == latest


def test_the_conference_never_goes_below_the_checklist_nor_lowers_silently(setup, world):
    meeting, item, coordinator, chair = setup
    case = item.case
    assess(world.users["caseworker"], case, items={"strangling": "yes"})  # a red flag: high
    with pytest.raises(ValidationError) as lowered:
        record(item, coordinator, risk_level="medium", risk_reason="Smirilo se.")
    assert "risk_level" in lowered.value.message_dict

    other = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    assess(world.users["caseworker"], other, level="high", raise_reason="Procena stručnjaka.")
    other_item = on_agenda(meeting, other)
    with pytest.raises(ValidationError) as silent:
        record(other_item, coordinator, risk_level="low")
    assert "risk_reason" in silent.value.message_dict
    record(other_item, coordinator, risk_level="low", risk_reason="Učinilac se odselio, zabrana poštovana.")
    minutes_approve(user=chair, meeting=meeting)
    assert Case.objects.get(pk=other.pk).risk_level == "low"


def test_a_failed_write_back_saves_nothing(setup, world):
    meeting, item, coordinator, chair = setup
    record(item, coordinator, risk_level="high", risk_reason="Eskalacija.")
    Case.objects.filter(pk=item.case_id).update(status="closed")

    with pytest.raises(ValidationError) as error:
        minutes_approve(user=chair, meeting=meeting)

    assert item.case.number in " ".join(error.value.message_dict["risk_level"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.minutes.status == MinutesStatus.DRAFT
    assert RiskAssessment.objects.filter(case=item.case, source="conference").count() == 0


def test_mark_held_only_after_the_start(setup, world):
    meeting, _item, coordinator, _chair = setup
    future = past_meeting(world.mun_a, created_by=coordinator, days_ago=-3)
    with pytest.raises(ValidationError) as early:
        meeting_mark_held(user=coordinator, meeting=future)
    assert "status" in early.value.message_dict

    meeting_mark_held(user=coordinator, meeting=meeting)

    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    with pytest.raises(ValidationError):
        meeting_mark_held(user=coordinator, meeting=meeting)
