"""Opening and numbering cases, the status workflow, the team, assigned staff, optimistic locking."""
import threading
import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone, translation

from apps.cases.choices import CaseStatus, ClosureReason, PersonRole, Priority, TeamRole
from apps.cases.models import Case, CaseAssignment, CaseParticipant, CaseStatusChange
from apps.cases.selectors.team import case_team_for
from apps.cases.services.cases import (
    case_add_participant,
    case_assign_user,
    case_change_status,
    case_open,
    case_propose_for_conference,
    case_remove_participant,
    case_unassign_user,
    case_update,
)
from apps.core.choices import AuditAction, Role
from apps.core.locking import VersionConflict, save_with_version
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType

from .factories import Clock, add_person, assess, consent, english, institution, open_case, staff, utc  # noqa: F401


def audit_actions(obj):
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).values_list("action", flat=True)
    )


# --- opening and numbering ---------------------------------------------------------------------


def test_open_numbers_cases_per_municipality_and_year(world):
    worker = world.users[Role.CASEWORKER]
    year = timezone.localdate().year
    first = open_case(worker)
    second = open_case(worker)
    other = open_case(world.users["other_municipality"][Role.CASEWORKER])
    assert first.number == f"{world.mun_a.code}-{year}-00001"
    assert second.number == f"{world.mun_a.code}-{year}-00002"
    assert (second.year, second.sequence) == (year, 2)
    assert other.number == f"{world.mun_b.code}-{year}-00001"


def test_numbering_follows_the_belgrade_year_at_new_year(world, monkeypatch):
    clock = Clock(monkeypatch)
    worker = world.users[Role.CASEWORKER]
    clock.set(utc(2026, 12, 31, 22, 59))  # 23:59 in Belgrade
    last_of_year = open_case(worker, reported_at=utc(2026, 12, 31, 22, 0))
    clock.set(utc(2026, 12, 31, 23, 30))  # 00:30 on 1 January in Belgrade, still 2026 in UTC
    first_of_year = open_case(worker, reported_at=utc(2026, 12, 31, 23, 10))
    assert last_of_year.number == f"{world.mun_a.code}-2026-00001"
    assert first_of_year.number == f"{world.mun_a.code}-2027-00001"


def test_opener_institution_joins_the_team_and_opener_is_case_manager(world):
    police = world.users["police_caseworker"]
    case = open_case(police, lead=world.csr_a, summary="Prijava policije")
    team = set(CaseParticipant.objects.filter(case=case, ended_at__isnull=True).values_list("institution_id", flat=True))
    assert team == {world.csr_a.pk, world.police_a.pk}
    manager = CaseAssignment.objects.get(case=case)
    assert (manager.user, manager.institution, manager.team_role) == (police, world.police_a, TeamRole.CASE_MANAGER)
    assert case.status == CaseStatus.REPORTED and case.priority == Priority.REGULAR
    first_change = CaseStatusChange.objects.get(case=case)
    assert (first_change.from_status, first_change.to_status, first_change.changed_by) == ("", "reported", police)
    assert AuditAction.CREATE in audit_actions(case)
    # the opener and the lead institution's staff see it; the summary is trimmed
    assert Case.objects.visible_to(police).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(world.users[Role.CASEWORKER]).filter(pk=case.pk).exists()


def test_open_is_refused_for_roles_and_places_that_cannot_open(world):
    for user in (world.users[Role.OFFICIAL], world.users[Role.INSTITUTION_ADMIN], world.platform_admin):
        with pytest.raises(PermissionDenied):
            open_case(user, lead=world.csr_a)
    with pytest.raises(PermissionDenied):  # a caseworker of municipality B in municipality A
        open_case(world.users["other_municipality"][Role.CASEWORKER], lead=world.csr_a)
    assert not Case.objects.exists()


def test_open_checks_lead_institution_and_report_time(world):
    worker = world.users[Role.CASEWORKER]
    with pytest.raises(ValidationError) as exc:
        case_open(user=worker, municipality=world.mun_a, lead_institution=world.csr_b, reported_at=timezone.now())
    assert "lead_institution" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        open_case(worker, reported_at=timezone.now() + timedelta(minutes=5))
    assert "future" in exc.value.message_dict["reported_at"][0]
    world.police_a.is_active = False
    world.police_a.save()
    with pytest.raises(ValidationError) as exc:
        open_case(worker, lead=world.police_a)
    assert "lead_institution" in exc.value.message_dict
    assert not Case.objects.exists()
    assert not CaseParticipant.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_openings_at_the_same_moment_get_different_numbers(world):
    """The first opening holds its transaction open; the second must wait for the number lock
    (it would otherwise read the same maximum and collide) and then takes the next number."""
    worker = world.users[Role.CASEWORKER]
    coordinator = world.users[Role.COORDINATOR]
    first_opened, release = threading.Event(), threading.Event()
    results, errors = {}, []

    def first():
        try:
            with transaction.atomic():
                results["first"] = open_case(worker).number
                first_opened.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
            first_opened.set()
        finally:
            connection.close()

    def second():
        try:
            results["second"] = open_case(coordinator).number
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    t1 = threading.Thread(target=first)
    t1.start()
    assert first_opened.wait(10)
    t2 = threading.Thread(target=second)
    t2.start()
    time.sleep(0.5)
    assert t2.is_alive(), "the second opening waits for the first one's number"
    release.set()
    t1.join(10)
    t2.join(10)
    assert not errors
    year = timezone.localdate().year
    assert results == {"first": f"{world.mun_a.code}-{year}-00001", "second": f"{world.mun_a.code}-{year}-00002"}


# --- status workflow ---------------------------------------------------------------------------


def test_status_walks_the_workflow_and_records_who_and_when(world, monkeypatch):
    clock = Clock(monkeypatch)
    worker = world.users[Role.CASEWORKER]
    clock.set(utc(2026, 3, 29, 0, 30))  # 01:30 CET, half an hour before the clocks go forward
    case = open_case(worker, reported_at=utc(2026, 3, 29, 0, 0))
    clock.set(utc(2026, 3, 29, 1, 30))  # 03:30 CEST
    case = case_change_status(user=worker, case=case, to_status=CaseStatus.ASSESSMENT, expected_version=case.version)
    assert case.status_changed_at == utc(2026, 3, 29, 1, 30)
    case = case_change_status(
        user=worker, case=case, to_status=CaseStatus.ACTIVE_PROTECTION, expected_version=case.version
    )
    case = case_change_status(user=worker, case=case, to_status=CaseStatus.MONITORING, expected_version=case.version)
    changes = list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status", "changed_by"))
    assert changes == [
        ("", "reported", worker.pk),
        ("reported", "assessment", worker.pk),
        ("assessment", "active_protection", worker.pk),
        ("active_protection", "monitoring", worker.pk),
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.MONITORING and case.version == 4


def test_status_moves_outside_the_workflow_are_refused(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        case_change_status(user=worker, case=case, to_status=CaseStatus.MONITORING, expected_version=case.version)
    assert "to_status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        case_change_status(user=worker, case=case, to_status=CaseStatus.REPORTED, expected_version=case.version)
    assert "to_status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        case_change_status(user=worker, case=case, to_status="archived", expected_version=case.version)
    assert "to_status" in exc.value.message_dict
    assert CaseStatusChange.objects.filter(case=case).count() == 1


def test_closing_needs_a_reason_and_reopening_goes_back_to_assessment(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        case_change_status(user=worker, case=case, to_status=CaseStatus.CLOSED, expected_version=case.version)
    assert "closure_reason" in exc.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED and case.version == 1
    case = case_change_status(
        user=worker,
        case=case,
        to_status=CaseStatus.CLOSED,
        expected_version=case.version,
        closure_reason=ClosureReason.NOT_DOMESTIC_VIOLENCE,
    )
    assert case.closed_at is not None and case.closure_reason == ClosureReason.NOT_DOMESTIC_VIOLENCE
    # nothing new on a closed case
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case)
    assert "closed" in str(exc.value)
    with pytest.raises(ValidationError):
        case_change_status(user=worker, case=case, to_status=CaseStatus.ACTIVE_PROTECTION, expected_version=case.version)
    case = case_change_status(
        user=worker, case=case, to_status=CaseStatus.ASSESSMENT, expected_version=case.version, note="Nova prijava"
    )
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.closed_at) == (CaseStatus.ASSESSMENT, "", None)
    assert CaseStatusChange.objects.filter(case=case).last().note == "Nova prijava"


def test_a_stale_status_change_is_refused_and_nothing_is_written(world):
    worker, coordinator = world.users[Role.CASEWORKER], world.users[Role.COORDINATOR]
    case = open_case(worker)
    seen = case.version
    case_change_status(user=coordinator, case=case, to_status=CaseStatus.ASSESSMENT, expected_version=seen)
    with pytest.raises(VersionConflict) as exc:
        case_change_status(
            user=worker, case=case, to_status=CaseStatus.CLOSED, expected_version=seen, closure_reason=ClosureReason.OTHER
        )
    assert "status" in exc.value.changed_fields
    assert exc.value.current.status == CaseStatus.ASSESSMENT
    assert CaseStatusChange.objects.filter(case=case).count() == 2
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT and case.version == 2


def test_services_answer_404_to_users_who_cannot_reach_the_case(world):
    case = open_case(world.users[Role.CASEWORKER])
    for user in (
        world.users["other_municipality"][Role.COORDINATOR],
        world.users[Role.OFFICIAL],
        world.platform_admin,
    ):
        with pytest.raises(Http404):
            case_change_status(user=user, case=case, to_status=CaseStatus.ASSESSMENT, expected_version=1)
        with pytest.raises(Http404):
            add_person(user, case)
        with pytest.raises(Http404):
            case_propose_for_conference(user=user, case=case)


# --- editing with optimistic locking ----------------------------------------------------------------


def test_case_update_saves_with_the_seen_version(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    before = case.last_activity_at
    case = case_update(user=worker, case=case, expected_version=1, summary="  Fizičko nasilje, prijava komšije  ")
    case.refresh_from_db()
    assert case.summary == "Fizičko nasilje, prijava komšije" and case.version == 2
    assert case.last_activity_at >= before
    assert AuditAction.UPDATE in audit_actions(case)


def test_second_edit_of_the_same_version_is_refused_with_what_changed(world):
    worker, coordinator = world.users[Role.CASEWORKER], world.users[Role.COORDINATOR]
    case = open_case(worker)
    case_update(user=coordinator, case=case, expected_version=1, summary="Verzija koordinatora")
    with pytest.raises(VersionConflict) as exc:
        case_update(user=worker, case=case, expected_version=1, summary="Verzija radnice")
    conflict = exc.value
    assert conflict.changed_fields == ["summary"]
    assert conflict.current.summary == "Verzija koordinatora" and conflict.current_version == 2
    with translation.override("en"):
        message = conflict.messages[0]
    assert "Changed: summary." in message and "Nothing was saved" in message
    case.refresh_from_db()
    assert case.summary == "Verzija koordinatora"


def test_save_with_version_refuses_a_missing_version(world):
    case = open_case(world.users[Role.CASEWORKER])
    with pytest.raises(ValidationError) as exc:
        save_with_version(case, None, ["summary"])
    assert "version" in exc.value.message_dict
    with pytest.raises(ValidationError):
        save_with_version(case, "abc", ["summary"])


def test_restricting_and_changing_the_lead_is_for_the_lead_institution_or_coordinators(world):
    worker = world.users[Role.CASEWORKER]
    police = world.users["police_caseworker"]
    case = open_case(worker)
    victim = add_person(worker, case)
    consent(worker, case, victim, [world.police_a])
    case_add_participant(user=worker, case=case, institution=world.police_a)
    with pytest.raises(PermissionDenied):
        case_update(user=police, case=case, expected_version=case.version, is_restricted=True)
    case = case_update(user=world.users[Role.COORDINATOR], case=case, expected_version=case.version, is_restricted=True)
    case.refresh_from_db()
    assert case.is_restricted
    assert not Case.objects.visible_to(police).filter(pk=case.pk).exists()


def test_lead_change_to_another_sector_needs_consent(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    ngo = institution(world, InstitutionType.NGO, "Testna ženska organizacija")
    with pytest.raises(ValidationError) as exc:
        case_update(user=worker, case=case, expected_version=case.version, lead_institution=ngo)
    assert "institution" in exc.value.message_dict
    case.refresh_from_db()
    assert case.lead_institution == world.csr_a and case.version == 1
    victim = add_person(worker, case)
    consent(worker, case, victim, [ngo])
    case = case_update(user=worker, case=case, expected_version=case.version, lead_institution=ngo)
    case.refresh_from_db()
    assert case.lead_institution == ngo
    assert CaseParticipant.objects.filter(case=case, institution=ngo, ended_at__isnull=True).exists()
    with pytest.raises(ValidationError) as exc:
        case_update(
            user=world.users[Role.COORDINATOR], case=case, expected_version=case.version, lead_institution=world.csr_b
        )
    assert "lead_institution" in exc.value.message_dict


# --- the case team ------------------------------------------------------------------------------------


def test_same_sector_institution_joins_without_consent(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    safe_house = institution(world, InstitutionType.SAFE_HOUSE, "Testna sigurna kuća")
    participant = case_add_participant(user=worker, case=case, institution=safe_house)
    assert participant.added_by == worker and participant.joined_at is not None
    assert participant.consent_override_reason == ""
    assert AuditAction.CREATE in audit_actions(participant)


def test_other_sector_joins_only_with_valid_consent_naming_it(world):
    worker = world.users[Role.CASEWORKER]
    school = institution(world, InstitutionType.SCHOOL, "Testna osnovna škola")
    case = open_case(worker)
    victim = add_person(worker, case)
    with pytest.raises(ValidationError) as exc:
        case_add_participant(user=worker, case=case, institution=school)
    assert "consent" in exc.value.message_dict["institution"][0]
    consent(worker, case, victim, [world.police_a])  # names another institution
    with pytest.raises(ValidationError):
        case_add_participant(user=worker, case=case, institution=school)
    expired = consent(
        worker, case, victim, [school], given_at=date.today() - timedelta(days=40), expires_at=date.today() - timedelta(days=1)
    )
    assert expired.pk
    with pytest.raises(ValidationError):
        case_add_participant(user=worker, case=case, institution=school)
    assert not CaseParticipant.objects.filter(case=case, institution=school).exists()
    consent(worker, case, victim, [school])
    participant = case_add_participant(user=worker, case=case, institution=school)
    assert participant.consent_override_reason == ""
    with pytest.raises(ValidationError) as exc:
        case_add_participant(user=worker, case=case, institution=school)
    assert "already" in exc.value.message_dict["institution"][0]


def test_consent_of_a_person_who_is_not_the_victim_does_not_count(world):
    worker = world.users[Role.CASEWORKER]
    school = institution(world, InstitutionType.SCHOOL)
    case = open_case(worker)
    add_person(worker, case)
    perpetrator = add_person(worker, case, PersonRole.PERPETRATOR, first_name="Test", last_name="Učinilac")
    with pytest.raises(ValidationError) as exc:
        consent(worker, case, perpetrator, [school])
    assert "person" in exc.value.message_dict
    with pytest.raises(ValidationError):
        case_add_participant(user=worker, case=case, institution=school)


def test_immediate_danger_lets_another_sector_join_with_a_recorded_reason(world):
    worker = world.users[Role.CASEWORKER]
    health = institution(world, InstitutionType.HEALTH_CENTRE, "Testni dom zdravlja")
    case = open_case(worker)
    add_person(worker, case)
    assess(worker, case, immediate_danger=True)
    with pytest.raises(ValidationError) as exc:
        case_add_participant(user=worker, case=case, institution=health)
    assert "override_reason" in exc.value.message_dict
    participant = case_add_participant(
        user=worker, case=case, institution=health, override_reason="Povrede, hitan pregled žrtve"
    )
    assert participant.consent_override_reason == "Povrede, hitan pregled žrtve"
    entry = AuditEntry.objects.get(object_type="cases.caseparticipant", object_id=str(participant.pk))
    assert entry.details["consent_override"] is True and "Povrede" not in str(entry.details)
    # the reason is shown to the lead institution, not to the others on the team
    lead_view = {m.institution_name: m for m in case_team_for(worker, case)}
    assert lead_view["Testni dom zdravlja"].override_reason == "Povrede, hitan pregled žrtve"
    assert lead_view["Testni dom zdravlja"].without_consent
    health_worker = staff(health)
    other_view = {m.institution_name: m for m in case_team_for(health_worker, case)}
    assert other_view["Testni dom zdravlja"].override_reason == ""
    assert other_view["Testni dom zdravlja"].without_consent


def test_an_override_is_not_possible_once_the_danger_is_over(world):
    worker = world.users[Role.CASEWORKER]
    health = institution(world, InstitutionType.HEALTH_CENTRE)
    case = open_case(worker)
    assess(worker, case, immediate_danger=True, assessed_at=timezone.now() - timedelta(hours=1))
    assess(worker, case, immediate_danger=False, lower_reason="Učinilac u pritvoru (test)")
    with pytest.raises(ValidationError) as exc:
        case_add_participant(user=worker, case=case, institution=health, override_reason="Hitno")
    assert "institution" in exc.value.message_dict


def test_team_is_limited_to_the_municipality(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        case_add_participant(user=worker, case=case, institution=world.csr_b)
    assert "institution" in exc.value.message_dict


def test_removing_an_institution_ends_its_access_and_assignments(world):
    worker = world.users[Role.CASEWORKER]
    police = world.users["police_caseworker"]
    case = open_case(worker)
    victim = add_person(worker, case)
    consent(worker, case, victim, [world.police_a])
    case_add_participant(user=worker, case=case, institution=world.police_a)
    case_assign_user(user=worker, case=case, assignee=police)
    assert Case.objects.visible_to(police).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError) as exc:
        case_remove_participant(user=worker, case=case, institution=world.csr_a)
    assert "lead" in exc.value.message_dict["institution"][0]
    case_remove_participant(user=worker, case=case, institution=world.police_a)
    assert CaseAssignment.objects.get(case=case, user=police).ended_at is not None
    police.refresh_access()
    assert not Case.objects.visible_to(police).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError):
        case_remove_participant(user=worker, case=case, institution=world.police_a)
    # rejoining later reuses the team row
    participant = case_add_participant(user=worker, case=case, institution=world.police_a)
    assert participant.ended_at is None
    assert CaseParticipant.objects.filter(case=case, institution=world.police_a).count() == 1


# --- assigned staff ---------------------------------------------------------------------------------


def test_only_active_staff_of_team_institutions_can_be_assigned(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    for outsider in (
        world.users["police_caseworker"],  # police not (yet) on the team
        world.users["other_municipality"][Role.CASEWORKER],
        world.users[Role.OFFICIAL],  # on the team's institution, but not a case role
    ):
        with pytest.raises(ValidationError) as exc:
            case_assign_user(user=worker, case=case, assignee=outsider)
        assert "assignee" in exc.value.message_dict
    colleague = staff(world.csr_a)
    colleague.is_active = False
    colleague.save()
    with pytest.raises(ValidationError):
        case_assign_user(user=worker, case=case, assignee=colleague)
    coordinator = world.users[Role.COORDINATOR]
    assignment = case_assign_user(user=worker, case=case, assignee=coordinator)
    assert (assignment.institution, assignment.team_role, assignment.assigned_by) == (world.csr_a, TeamRole.MEMBER, worker)
    with pytest.raises(ValidationError) as exc:
        case_assign_user(user=worker, case=case, assignee=coordinator)
    assert "already" in exc.value.message_dict["assignee"][0]


def test_a_new_case_manager_replaces_the_old_one(world):
    worker, coordinator = world.users[Role.CASEWORKER], world.users[Role.COORDINATOR]
    case = open_case(worker)
    case_assign_user(user=worker, case=case, assignee=coordinator, team_role=TeamRole.CASE_MANAGER)
    roles = dict(CaseAssignment.objects.filter(case=case, ended_at__isnull=True).values_list("user_id", "team_role"))
    assert roles == {worker.pk: TeamRole.MEMBER, coordinator.pk: TeamRole.CASE_MANAGER}


def test_unassigning_keeps_someone_on_a_restricted_case(world):
    worker, coordinator = world.users[Role.CASEWORKER], world.users[Role.COORDINATOR]
    case = open_case(worker, is_restricted=True)
    with pytest.raises(ValidationError) as exc:
        case_unassign_user(user=worker, case=case, assignee=worker)
    assert "assignee" in exc.value.message_dict
    case_assign_user(user=worker, case=case, assignee=coordinator)
    assignment = case_unassign_user(user=coordinator, case=case, assignee=worker)
    assert assignment.ended_at is not None
    worker.refresh_access()
    assert not Case.objects.visible_to(worker).filter(pk=case.pk).exists()
    with pytest.raises(Http404):
        case_unassign_user(user=worker, case=case, assignee=coordinator)


def test_propose_for_conference_records_who_and_when_once(world):
    worker, coordinator = world.users[Role.CASEWORKER], world.users[Role.COORDINATOR]
    case = open_case(worker)
    case = case_propose_for_conference(user=worker, case=case)
    first = case.proposed_for_conference_at
    assert first is not None and case.proposed_for_conference_by == worker
    case = case_propose_for_conference(user=coordinator, case=case)
    case.refresh_from_db()
    assert case.proposed_for_conference_at == first and case.proposed_for_conference_by == worker


def test_writes_bump_last_activity(world, monkeypatch):
    clock = Clock(monkeypatch)
    worker = world.users[Role.CASEWORKER]
    clock.set(utc(2026, 10, 25, 0, 30))  # 02:30 CEST, the night the clocks go back
    case = open_case(worker, reported_at=utc(2026, 10, 25, 0, 0))
    assert case.last_activity_at == utc(2026, 10, 25, 0, 30)
    clock.set(utc(2026, 10, 25, 1, 15))  # 02:15 CET: later, although the wall clock shows earlier
    add_person(worker, case)
    case.refresh_from_db()
    assert case.last_activity_at == utc(2026, 10, 25, 1, 15)


# --- demo data -----------------------------------------------------------------------------------------


def test_a_case_shared_by_a_grant_is_worked_on_but_not_steered(world):
    from apps.cases.models import CaseUserGrant
    from apps.core.grants import grant_object_permission

    from .factories import add_incident

    worker = world.users[Role.CASEWORKER]
    receiver = world.users["other_municipality"][Role.CASEWORKER]
    case = open_case(worker)
    grant_object_permission(
        grant_model=CaseUserGrant, obj=case, codename="view_case", granted_by=worker, reason="Uput", user=receiver
    )
    receiver.refresh_access()
    assert add_incident(receiver, case).recorded_by == receiver
    with pytest.raises(PermissionDenied):
        case_change_status(user=receiver, case=case, to_status=CaseStatus.ASSESSMENT, expected_version=case.version)
    with pytest.raises(PermissionDenied):
        case_assign_user(user=receiver, case=case, assignee=receiver)
    with pytest.raises(PermissionDenied):
        case_update(user=receiver, case=case, expected_version=case.version, summary="Tuđa izmena")
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED and case.summary == ""
