"""Rows of a case read by the case page's sections (``of_case``, ``case_rows``): one check of the
case, then the rows; a case not checked for this very user in this request is checked again."""
from apps.cases.choices import Visibility
from apps.cases.models import Case, CaseNote, CaseParticipant, Incident
from apps.cases.querysets import mark_visible, on_team
from apps.cases.selectors.case_rows import case_rows
from apps.core.choices import Role

from .factories import add_incident, add_person, open_case, staff
from .factories_records import note


def _case(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    add_person(worker, case)
    add_incident(worker, case)
    note(case, author=worker, institution=world.csr_a, text="Za tim")
    note(case, author=worker, institution=world.csr_a, text="Samo CSR", visibility=Visibility.OWN_INSTITUTION)
    return case


def test_a_marked_case_gives_its_rows_with_the_row_rules(world):
    case = _case(world)
    worker = world.users[Role.CASEWORKER]
    loaded = mark_visible(Case.objects.visible_to(worker).get(pk=case.pk), worker)
    assert [i.case_id for i in Incident.objects.of_case(worker, loaded)] == [case.pk]
    assert {n.text for n in CaseNote.objects.of_case(worker, loaded)} == {"Za tim", "Samo CSR"}
    # Rows shared by the page's sections are read once per request.
    first = case_rows(worker, loaded, CaseNote)
    assert case_rows(worker, loaded, CaseNote) is first
    assert on_team(worker, loaded)


def test_own_institution_notes_stay_hidden_from_another_institution_on_the_team(world):
    case = _case(world)
    police = world.users["police_caseworker"]
    CaseParticipant.objects.create(  # police joins the team
        municipality=case.municipality, case=case, institution=world.police_a, added_by=world.users[Role.CASEWORKER]
    )
    loaded = mark_visible(Case.objects.visible_to(police).get(pk=case.pk), police)
    assert {n.text for n in CaseNote.objects.of_case(police, loaded)} == {"Za tim"}


def test_a_case_marked_for_someone_else_is_checked_again(world):
    case = _case(world)
    worker = world.users[Role.CASEWORKER]
    outsider = world.users["other_municipality"][Role.CASEWORKER]
    loaded = mark_visible(Case.objects.visible_to(worker).get(pk=case.pk), worker)
    # The same case object handed to another user (or another request's user object) proves nothing.
    assert not Incident.objects.of_case(outsider, loaded).exists()
    assert case_rows(outsider, loaded, CaseNote) == []
    assert not on_team(outsider, loaded)
    same_person_new_request = type(worker).objects.get(pk=worker.pk)
    colleague_elsewhere = staff(world.csr_b)
    assert not Incident.objects.of_case(colleague_elsewhere, loaded).exists()
    assert Incident.objects.of_case(same_person_new_request, loaded).count() == 1  # checked again, still visible


def test_an_unmarked_case_goes_through_visible_to(world):
    case = _case(world)
    outsider = world.users["other_municipality"][Role.CASEWORKER]
    unchecked = Case.objects.get(pk=case.pk)
    assert not Incident.objects.of_case(outsider, unchecked).exists()
    assert not CaseNote.objects.of_case(outsider, unchecked).exists()


def test_the_case_page_read_gives_the_same_rows_as_each_table_read(world, django_assert_max_num_queries):
    """load_case_record (one probe, the tables that hold rows, staff and institutions read once,
    fixed statements built once) hands each reader exactly what of_case would, names included."""
    from apps.accounts.models import User
    from apps.cases.models import Consent
    from apps.cases.selectors.case_rows import LOADS, load_case_record

    from .factories import assess, consent

    worker = world.users[Role.CASEWORKER]
    case = _case(world)
    victim = case_person = Case.objects.get(pk=case.pk).persons.first()
    assess(worker, case)
    consent(worker, case, victim, [world.police_a])
    police = world.users["police_caseworker"]
    CaseParticipant.objects.create(municipality=case.municipality, case=case, institution=world.police_a, added_by=worker)

    for reader in (worker, police):
        fresh = User.objects.get(pk=reader.pk)
        expected = {}
        for model in LOADS:
            loaded = mark_visible(Case.objects.visible_to(fresh).get(pk=case.pk), fresh)
            expected[model] = [row.pk for row in case_rows(fresh, loaded, model)]
        fresh = User.objects.get(pk=reader.pk)
        loaded = mark_visible(Case.objects.visible_to(fresh).get(pk=case.pk), fresh)
        load_case_record(fresh, loaded)
        # Everything is in memory now: the readers ask nothing more, names and places included.
        with django_assert_max_num_queries(0):
            for model in LOADS:
                assert [row.pk for row in case_rows(fresh, loaded, model)] == expected[model], model.__name__
            notes = case_rows(fresh, loaded, CaseNote)
            names = {n.author.get_full_name() for n in notes} | {n.institution.name for n in notes}
            given = case_rows(fresh, loaded, Consent)
            assert given and given[0].person.pk == case_person.pk
            assert [i.name for i in given[0].institutions.all()] == [world.police_a.name]
        assert worker.get_full_name() in names and world.csr_a.name in names
    # The police, on the team, never get the centre's own-institution note (the row rule still applies).
    assert {n.text for n in case_rows(fresh, loaded, CaseNote)} == {"Za tim"}


# --- the case page's own statements ---------------------------------------------------------------


def _everyone(world):
    users = [u for u in world.users.values() if not isinstance(u, dict)]
    users += list(world.users["other_municipality"].values())
    return [*users, world.platform_admin]


def test_the_case_statement_applies_exactly_the_visible_to_rule(world):
    """``load_visible_case`` (one fixed statement) sees the same cases as ``visible_to`` and gives the
    same team answer as ``listed_for``, for every kind of user and case: led, joined, restricted,
    assigned, another municipality's, shared by a user grant, a group grant and an expired grant."""
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from apps.cases.models import CaseGroupGrant, CaseUserGrant
    from apps.cases.selectors.case_rows import load_visible_case
    from apps.cases.services.cases import case_assign_user
    from apps.core.grants import grant_object_permission

    worker = world.users[Role.CASEWORKER]
    elsewhere = world.users["other_municipality"][Role.CASEWORKER]
    led = _case(world)
    joined = open_case(worker)
    CaseParticipant.objects.create(municipality=joined.municipality, case=joined, institution=world.police_a, added_by=worker)
    restricted = open_case(worker, is_restricted=True)
    assigned = open_case(worker, is_restricted=True)
    colleague = staff(world.csr_a)
    case_assign_user(user=worker, case=assigned, assignee=colleague)
    theirs = open_case(elsewhere)
    shared = open_case(worker)
    grant_object_permission(
        grant_model=CaseUserGrant, obj=shared, codename="view_case", user=elsewhere, granted_by=worker, reason="Test"
    )
    expired = open_case(worker)
    grant = grant_object_permission(
        grant_model=CaseUserGrant, obj=expired, codename="view_case", user=elsewhere, granted_by=worker, reason="Test",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    CaseUserGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    group_shared = open_case(worker)
    group = Group.objects.get(name=f"institution-{world.csr_b.pk}:staff")
    grant_object_permission(
        grant_model=CaseGroupGrant, obj=group_shared, codename="view_case", group=group, granted_by=worker, reason="Test"
    )
    cases = [led, joined, restricted, assigned, theirs, shared, expired, group_shared]
    seen = 0
    for user in [*_everyone(world), colleague, staff(world.csr_b)]:
        for case in cases:
            user.refresh_access()
            expected = Case.objects.visible_to(user).filter(pk=case.pk).first()
            team = Case.objects.listed_for(user).filter(pk=case.pk).exists()
            user.refresh_access()
            applies, loaded = load_visible_case(user, case.pk)
            assert applies
            assert (loaded is not None) == (expected is not None), (user.email, case.number)
            if loaded is None:
                continue
            seen += 1
            assert on_team(user, loaded) == team, (user.email, case.number)
            assert loaded.number == expected.number and loaded.summary == expected.summary
            assert loaded.reported_at == expected.reported_at and loaded.is_restricted == expected.is_restricted
            assert loaded.lead_institution.name == expected.lead_institution.name
            assert loaded.opened_by.email == expected.opened_by.email
            assert loaded.municipality.pk == expected.municipality_id
            assert loaded.proposed_for_conference_by_id == expected.proposed_for_conference_by_id
            assert case_rows(user, loaded, CaseNote) == list(CaseNote.objects.of_case(user, loaded))
    assert seen >= 10
    assert load_visible_case(worker, 987654321) == (True, None)


def test_the_page_read_shows_each_institution_only_its_own_notes(world):
    """The fixed per-table statement keeps the notes' own rule (shared with the team, or written by
    one of the user's institutions), as ``of_case`` does."""
    from apps.cases.selectors.case_rows import load_case_record, load_visible_case

    case = _case(world)
    worker = world.users[Role.CASEWORKER]
    police = world.users["police_caseworker"]
    CaseParticipant.objects.create(municipality=case.municipality, case=case, institution=world.police_a, added_by=worker)
    for user, texts in ((worker, {"Za tim", "Samo CSR"}), (police, {"Za tim"})):
        user.refresh_access()
        _applies, loaded = load_visible_case(user, case.pk)
        load_case_record(user, loaded)
        assert {n.text for n in case_rows(user, loaded, CaseNote)} == texts
        assert all(n.author.pk == worker.pk and n.institution.name == world.csr_a.name for n in case_rows(user, loaded, CaseNote))
