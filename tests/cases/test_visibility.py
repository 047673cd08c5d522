"""Who sees which case and what hangs off it (Case.objects.visible_to / listed_for / shared_with)."""
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from apps.cases.choices import ContactKind, Visibility
from apps.cases.models import (
    Case,
    CaseGroupGrant,
    CaseNote,
    CaseParticipant,
    CasePerson,
    CaseStatusChange,
    CaseUserGrant,
    Incident,
    RiskAssessment,
)
from apps.cases.services.cases import case_add_participant, case_assign_user, case_remove_participant
from apps.core.choices import Role
from apps.core.grants import grant_object_permission
from apps.institutions.choices import InstitutionType

from .factories import add_incident, add_person, assess, consent, english, institution, open_case, staff  # noqa: F401


def sees(user, case) -> bool:
    user.refresh_access()
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def listed(user, case) -> bool:
    user.refresh_access()
    return Case.objects.listed_for(user).filter(pk=case.pk).exists()


@pytest.fixture
def case(world):
    """A case led by CSR A with a victim, an incident and an assessment."""
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    add_person(worker, case)
    add_incident(worker, case)
    assess(worker, case)
    return case


def join_police(world, case):
    worker = world.users[Role.CASEWORKER]
    victim = CasePerson.objects.get(case=case, role="victim")
    consent(worker, case, victim, [world.police_a])
    return case_add_participant(user=worker, case=case, institution=world.police_a)


def test_staff_of_a_participating_institution_see_the_case(world, case):
    colleague = staff(world.csr_a)  # not assigned, same institution
    assert sees(colleague, case) and listed(colleague, case)
    supervisor = world.users[Role.SUPERVISOR]
    assert sees(supervisor, case)


def test_staff_of_an_institution_not_on_the_team_do_not(world, case):
    police = world.users["police_caseworker"]
    assert not sees(police, case) and not listed(police, case)
    join_police(world, case)
    assert sees(police, case) and listed(police, case)
    case_remove_participant(user=world.users[Role.CASEWORKER], case=case, institution=world.police_a)
    assert not sees(police, case)


def test_coordinator_sees_the_whole_municipality_except_restricted_cases(world, case):
    coordinator_police = staff(world.police_a, Role.COORDINATOR)
    assert sees(coordinator_police, case) and listed(coordinator_police, case)
    restricted = open_case(world.users[Role.CASEWORKER], is_restricted=True)
    assert not sees(coordinator_police, restricted) and not listed(coordinator_police, restricted)
    assert not sees(world.users[Role.COORDINATOR], restricted)


def test_a_restricted_case_is_seen_by_assigned_staff_only(world):
    worker = world.users[Role.CASEWORKER]
    restricted = open_case(worker, is_restricted=True)
    colleague = staff(world.csr_a)
    assert sees(worker, restricted) and listed(worker, restricted)
    assert not sees(colleague, restricted)
    case_assign_user(user=worker, case=restricted, assignee=colleague)
    assert sees(colleague, restricted) and listed(colleague, restricted)


def test_officials_institution_admins_and_platform_admins_never_see_a_case(world, case):
    for user in (world.users[Role.OFFICIAL], world.users[Role.INSTITUTION_ADMIN], world.platform_admin):
        assert not sees(user, case) and not listed(user, case)
        assert not Case.objects.shared_with(user).exists()
        assert not CasePerson.objects.visible_to(user).exists()


def test_another_municipality_never_sees_the_case(world, case):
    for role in (Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR):
        user = world.users["other_municipality"][role]
        assert not sees(user, case) and not listed(user, case)
        assert not Incident.objects.visible_to(user).exists()


def test_a_group_grant_shares_the_case_in_its_own_branch(world, case):
    """An accepted referral grants the case to the staff group of the receiving institution."""
    safe_house_b = institution(world, InstitutionType.SAFE_HOUSE, "Testna sigurna kuća B", municipality=world.mun_b)
    receiver = staff(safe_house_b)
    group = Group.objects.get(name=f"institution-{safe_house_b.pk}:staff")
    assert receiver in group.user_set.all(), "staff join their institution's group with their membership"
    assert not sees(receiver, case)
    grant_object_permission(
        grant_model=CaseGroupGrant,
        obj=case,
        codename="view_case",
        granted_by=world.users[Role.CASEWORKER],
        reason="Uput u sigurnu kuću",
        group=group,
        expires_at=timezone.now() + timedelta(days=30),
    )
    assert sees(receiver, case)
    receiver.refresh_access()
    assert Case.objects.shared_with(receiver).filter(pk=case.pk).exists()
    assert not listed(receiver, case)  # the main list is the scoped branch only
    assert CasePerson.objects.visible_to(receiver).filter(case=case).exists()
    # a member of another institution's group does not get it
    assert not sees(world.users["other_municipality"][Role.CASEWORKER], case)


def test_an_expired_grant_shares_nothing(world, case):
    receiver = world.users["other_municipality"][Role.CASEWORKER]
    grant = grant_object_permission(
        grant_model=CaseUserGrant,
        obj=case,
        codename="view_case",
        granted_by=world.users[Role.CASEWORKER],
        reason="Konsultacija",
        user=receiver,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert sees(receiver, case)
    CaseUserGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not sees(receiver, case)
    receiver.refresh_access()
    assert not Case.objects.shared_with(receiver).exists()


@pytest.mark.parametrize("model", [CasePerson, Incident, RiskAssessment, CaseStatusChange, CaseParticipant])
def test_rows_of_a_case_follow_the_case(world, case, model):
    rows = model.objects.filter(case=case)
    assert rows.exists()
    police = world.users["police_caseworker"]
    police.refresh_access()
    assert not model.objects.visible_to(police).filter(case=case).exists()
    for user in (world.users[Role.CASEWORKER], world.users[Role.COORDINATOR]):
        user.refresh_access()
        assert model.objects.visible_to(user).filter(case=case).count() == rows.count()
    for user in (world.users[Role.OFFICIAL], world.platform_admin, world.users["other_municipality"][Role.COORDINATOR]):
        user.refresh_access()
        assert not model.objects.visible_to(user).filter(case=case).exists()


def test_notes_for_the_own_institution_stay_inside_it(world, case):
    worker = world.users[Role.CASEWORKER]
    police = world.users["police_caseworker"]
    join_police(world, case)

    def note(visibility):
        return CaseNote.objects.create(
            municipality=case.municipality, case=case, kind=ContactKind.INTERVIEW, text="Savetodavni razgovor",
            visibility=visibility, author=worker, institution=world.csr_a,
        )

    own, team = note(Visibility.OWN_INSTITUTION), note(Visibility.TEAM)
    police.refresh_access()
    assert set(CaseNote.objects.visible_to(police).filter(case=case)) == {team}
    colleague = staff(world.csr_a)
    assert set(CaseNote.objects.visible_to(colleague).filter(case=case)) == {own, team}
    coordinator_police = staff(world.police_a, Role.COORDINATOR)
    assert set(CaseNote.objects.visible_to(coordinator_police).filter(case=case)) == {team}
