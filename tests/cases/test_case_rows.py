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
