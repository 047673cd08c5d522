"""Consent: recording, validity by Belgrade calendar day, withdrawal, and its effect on the team."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from apps.cases.choices import PersonRole
from apps.cases.models import Consent
from apps.cases.services.cases import case_add_participant
from apps.cases.services.consent import consent_withdraw, needs_consent, valid_consent_institutions
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType

from .factories import Clock, add_person, consent, english, institution, open_case, utc  # noqa: F401


@pytest.fixture
def setting(world, monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(utc(2026, 6, 15, 10, 0))
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 6, 15, 8, 0))
    victim = add_person(worker, case)
    school = institution(world, InstitutionType.SCHOOL, "Testna škola")
    return clock, worker, case, victim, school


def test_consent_is_recorded_with_its_institutions(world, setting):
    _clock, worker, case, victim, school = setting
    recorded = consent(worker, case, victim, [school, world.police_a], expires_at=date(2026, 12, 31))
    assert set(recorded.institutions.all()) == {school, world.police_a}
    assert recorded.recorded_by == worker and recorded.given_at == date(2026, 6, 15)
    assert valid_consent_institutions(case) == {school.pk, world.police_a.pk}
    entry = AuditEntry.objects.get(object_type="cases.consent", object_id=str(recorded.pk))
    assert entry.action == AuditAction.CREATE


def test_consent_input_is_checked(world, setting):
    _clock, worker, case, victim, school = setting
    with pytest.raises(ValidationError) as exc:
        consent(worker, case, victim, [], scope=" ", given_at=date(2026, 6, 16), expires_at=date(2026, 6, 1))
    assert set(exc.value.message_dict) == {"institutions", "scope", "given_at", "expires_at"}
    other_case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        consent(worker, other_case, victim, [school])
    assert "person" in exc.value.message_dict
    child = add_person(worker, case, PersonRole.CHILD)
    with pytest.raises(ValidationError) as exc:
        consent(worker, case, child, [school])
    assert "person" in exc.value.message_dict
    assert not Consent.objects.exists()


def test_consent_is_valid_through_its_expiry_day_in_belgrade(world, setting):
    clock, worker, case, victim, school = setting
    consent(worker, case, victim, [school], given_at=date(2026, 6, 1), expires_at=date(2026, 6, 30))
    assert valid_consent_institutions(case, date(2026, 5, 31)) == set()
    assert valid_consent_institutions(case, date(2026, 6, 1)) == {school.pk}
    assert valid_consent_institutions(case, date(2026, 6, 30)) == {school.pk}
    assert valid_consent_institutions(case, date(2026, 7, 1)) == set()
    clock.set(utc(2026, 6, 30, 21, 59))  # 23:59 on 30 June in Belgrade: still valid
    assert valid_consent_institutions(case) == {school.pk}
    clock.set(utc(2026, 6, 30, 22, 1))  # 00:01 on 1 July in Belgrade, still 30 June in UTC
    assert valid_consent_institutions(case) == set()
    with pytest.raises(ValidationError) as exc:
        case_add_participant(user=worker, case=case, institution=school)
    assert "institution" in exc.value.message_dict


def test_consent_across_the_autumn_clock_change(world, setting):
    clock, worker, case, victim, school = setting
    consent(worker, case, victim, [school], given_at=date(2026, 6, 1), expires_at=date(2026, 10, 25))
    clock.set(utc(2026, 10, 25, 22, 30))  # 23:30 CET on 25 October (22:30 UTC; an hour later than in summer)
    assert valid_consent_institutions(case) == {school.pk}
    participant = case_add_participant(user=worker, case=case, institution=school)
    assert participant.consent_override_reason == ""


def test_withdrawal_ends_the_consent_from_that_day(world, setting):
    clock, worker, case, victim, school = setting
    recorded = consent(worker, case, victim, [school], given_at=date(2026, 6, 1))
    with pytest.raises(ValidationError) as exc:
        consent_withdraw(user=worker, consent=recorded, withdrawn_at=date(2026, 5, 31))
    assert "withdrawn_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        consent_withdraw(user=worker, consent=recorded, withdrawn_at=date(2026, 6, 16))
    assert "future" in exc.value.message_dict["withdrawn_at"][0]
    consent_withdraw(user=worker, consent=recorded)
    recorded.refresh_from_db()
    assert recorded.withdrawn_at == date(2026, 6, 15)
    assert valid_consent_institutions(case, date(2026, 6, 14)) == {school.pk}
    assert valid_consent_institutions(case, date(2026, 6, 15)) == set()
    with pytest.raises(ValidationError):
        consent_withdraw(user=worker, consent=recorded)
    with pytest.raises(ValidationError):
        case_add_participant(user=worker, case=case, institution=school)
    assert AuditEntry.objects.filter(object_type="cases.consent", action=AuditAction.UPDATE).count() == 1


def test_consent_services_check_who_may_reach_the_case(world, setting):
    _clock, worker, case, victim, school = setting
    outsider = world.users["other_municipality"][Role.COORDINATOR]
    with pytest.raises(Http404):
        consent(outsider, case, victim, [school])
    recorded = consent(worker, case, victim, [school])
    with pytest.raises(Http404):
        consent_withdraw(user=outsider, consent=recorded)


def test_which_institutions_need_consent(world, setting):
    _clock, _worker, case, _victim, school = setting
    assert needs_consent(case, school) and needs_consent(case, world.police_a)
    assert not needs_consent(case, institution(world, InstitutionType.SAFE_HOUSE))
    assert not needs_consent(case, institution(world, InstitutionType.CSR, "Drugi testni CSR"))
