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
