"""Notes and contacts: who writes them for which institution, who sees them, 24-hour corrections."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from apps.accounts.services import membership_create
from apps.cases.choices import ContactKind, Visibility
from apps.cases.models import Case, CaseNote
from apps.cases.services.notes import note_add, note_update
from apps.core import context
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from tests.factories import InstitutionFactory

from .factories_records import join, make_case


@pytest.fixture
def case(world):
    c = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    join(c, world.police_a, added_by=world.users["caseworker"])
    return c


def test_caseworker_records_a_home_visit(world, case):
    user = world.users["caseworker"]
    before = Case.objects.get(pk=case.pk).last_activity_at
    when = timezone.now() - timedelta(hours=3)

    note = note_add(user=user, case=case, kind=ContactKind.HOME_VISIT, occurred_at=when, text="Kućna poseta: sve u redu.")

    note.refresh_from_db()
    assert note.text == "Kućna poseta: sve u redu."
    assert note.kind == ContactKind.HOME_VISIT
    assert note.occurred_at == when
    assert note.institution_id == world.csr_a.pk
    assert note.author == user
    assert Case.objects.get(pk=case.pk).last_activity_at > before
    entry = AuditEntry.objects.get(object_type="cases.casenote", object_id=str(note.pk))
    assert entry.action == AuditAction.CREATE
    assert entry.actor == user
    assert "Kućna" not in str(entry.details)


def test_note_text_is_encrypted_at_rest(world, case):
    note = note_add(user=world.users["caseworker"], case=case, text="Poverljiv sadržaj beleške")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_casenote WHERE id = %s", [note.pk])
        (stored,) = cursor.fetchone()
    assert "Poverljiv" not in stored
    assert CaseNote.objects.get(pk=note.pk).text == "Poverljiv sadržaj beleške"


def test_contact_in_the_future_is_refused_and_nothing_saved(world, case):
    with pytest.raises(ValidationError) as exc:
        note_add(
            user=world.users["caseworker"], case=case, text="Poziv", kind=ContactKind.PHONE_CALL,
            occurred_at=timezone.now() + timedelta(days=1),
        )
    assert "occurred_at" in exc.value.message_dict
    assert not CaseNote.objects.exists()
    assert not AuditEntry.objects.filter(object_type="cases.casenote").exists()


def test_empty_text_is_refused_naming_the_field(world, case):
    with pytest.raises(ValidationError) as exc:
        note_add(user=world.users["caseworker"], case=case, text="   ")
    assert "text" in exc.value.message_dict
    assert not CaseNote.objects.exists()


def test_unknown_kind_is_refused(world, case):
    with pytest.raises(ValidationError) as exc:
        note_add(user=world.users["caseworker"], case=case, text="x", kind="telepathy")
    assert "kind" in exc.value.message_dict


@pytest.mark.parametrize("who", ["other_municipality", "official"])
def test_users_who_cannot_see_the_case_cannot_add_notes(world, case, who):
    user = world.users["other_municipality"]["caseworker"] if who == "other_municipality" else world.users["official"]
    with pytest.raises(Http404):
        note_add(user=user, case=case, text="Ne bi smelo")
    assert not CaseNote.objects.exists()


def test_own_institution_note_is_hidden_from_the_police_on_the_team(world, case):
    csr = world.users["caseworker"]
    police = world.users["police_caseworker"]
    private = note_add(user=csr, case=case, text="Savetodavni razgovor", visibility=Visibility.OWN_INSTITUTION)
    shared = note_add(user=csr, case=case, text="Za ceo tim")

    assert set(CaseNote.objects.visible_to(police).values_list("pk", flat=True)) == {shared.pk}
    assert set(CaseNote.objects.visible_to(csr).values_list("pk", flat=True)) == {private.pk, shared.pk}
    assert set(CaseNote.objects.visible_to(world.users["coordinator"]).values_list("pk", flat=True)) == {
        private.pk, shared.pk,
    }


def test_police_note_is_written_for_the_police(world, case):
    note = note_add(user=world.users["police_caseworker"], case=case, text="Policijska beleška")
    assert note.institution_id == world.police_a.pk


def test_author_institution_is_the_one_taking_part_in_the_case(world, case):
    """A user with a membership outside the case team writes for the institution on the team."""
    school = InstitutionFactory(municipality=world.mun_a, name="Testna škola")
    user = world.users["police_caseworker"]
    membership_create(user=user, institution=school, role=Role.CASEWORKER)
    user.refresh_access()
    # The active membership (request context) is the school, which is not on the team.
    token = context.set_current(context.RequestContext(user_id=user.pk, institution_id=school.pk))
    try:
        note = note_add(user=user, case=case, text="Beleška")
    finally:
        context.reset(token)
    assert note.institution_id == world.police_a.pk


def test_active_membership_wins_when_both_institutions_take_part(world, case):
    user = world.users["police_caseworker"]
    membership_create(user=user, institution=world.csr_a, role=Role.CASEWORKER)
    user.refresh_access()
    token = context.set_current(context.RequestContext(user_id=user.pk, institution_id=world.csr_a.pk))
    try:
        note = note_add(user=user, case=case, text="Beleška")
    finally:
        context.reset(token)
    assert note.institution_id == world.csr_a.pk


def test_author_corrects_a_note_within_24_hours(world, case):
    user = world.users["caseworker"]
    note = note_add(user=user, case=case, text="Prvi tekst")
    note_update(user=user, note=note, text="Ispravljen tekst", kind=ContactKind.INTERVIEW)
    note.refresh_from_db()
    assert note.text == "Ispravljen tekst"
    assert note.kind == ContactKind.INTERVIEW
    entry = AuditEntry.objects.get(object_type="cases.casenote", object_id=str(note.pk), action=AuditAction.UPDATE)
    assert sorted(entry.details["fields"]) == ["kind", "text"]
    assert "Ispravljen" not in str(entry.details)


def test_only_the_author_may_correct_a_note(world, case):
    note = note_add(user=world.users["caseworker"], case=case, text="Prvi tekst")
    with pytest.raises(PermissionDenied):
        note_update(user=world.users["coordinator"], note=note, text="Tuđa ispravka")
    note.refresh_from_db()
    assert note.text == "Prvi tekst"
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE, object_type="cases.casenote").exists()


def test_note_older_than_24_hours_cannot_be_corrected(world, case):
    user = world.users["caseworker"]
    note = note_add(user=user, case=case, text="Stari tekst")
    CaseNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=25))
    with pytest.raises(ValidationError) as exc:
        note_update(user=user, note=note, text="Kasna ispravka")
    assert "text" in exc.value.message_dict
    note.refresh_from_db()
    assert note.text == "Stari tekst"


def test_correction_cannot_move_a_contact_into_the_future(world, case):
    user = world.users["caseworker"]
    note = note_add(user=user, case=case, text="Tekst")
    with pytest.raises(ValidationError) as exc:
        note_update(user=user, note=note, occurred_at=timezone.now() + timedelta(hours=2))
    assert "occurred_at" in exc.value.message_dict


def test_hidden_note_cannot_be_corrected_by_someone_who_cannot_see_it(world, case):
    note = note_add(user=world.users["caseworker"], case=case, text="Tekst", visibility=Visibility.OWN_INSTITUTION)
    with pytest.raises(Http404):
        note_update(user=world.users["police_caseworker"], note=note, text="x")


def test_closed_case_takes_no_new_notes(world, case):
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationError):
        note_add(user=world.users["caseworker"], case=case, text="Posle zatvaranja")
    assert not CaseNote.objects.exists()
