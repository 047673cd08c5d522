"""Server-side drafts of the case forms: kept while typing (encrypted, per user, case and form),
restored with a notice and a discard button, deleted when the form is saved, expiring after 7 days,
never given to another user."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.cases.choices import RISK_ITEM_CODES
from apps.cases.models import CaseNote, FormDraft
from apps.cases.services.drafts import DRAFT_TTL
from apps.cases.services.notes import note_add
from apps.core.choices import AuditAction
from apps.core.models import AuditEntry
from tests.cases.factories import add_person, open_case
from tests.cases.factories_records import join

TEXT = "Žrtva je telefonom javila da se učinilac vratio u stan (test)."


@pytest.fixture
def case(world, jelena):
    c = open_case(jelena)
    join(c, world.police_a, added_by=jelena)
    return c


def keep(client, case, key, data):
    return client.post(reverse("cases:draft_save", args=[case.pk, key]), data)


def note_data(**extra):
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {"kind": "phone_call", "occurred_at": when, "text": TEXT, "visibility": "own_institution", **extra}


def test_a_note_draft_is_kept_encrypted_and_restored(login, jelena, case):
    client = login(jelena)
    response = keep(client, case, "note_add", {**note_data(), "csrfmiddlewaretoken": "x"})
    assert response.status_code == 200 and response["X-Autosave"] == "saved"
    assert response["Cache-Control"] == "private, no-store"
    draft = FormDraft.objects.get(user=jelena, case=case, form_key="note_add")
    assert draft.expires_at > timezone.now() + DRAFT_TTL - timedelta(minutes=1)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {FormDraft._meta.db_table} WHERE id = %s", [draft.pk])
        stored = cursor.fetchone()[0]
    assert "učinilac" not in stored and "phone" not in stored and "csrfmiddlewaretoken" not in draft.data

    page = client.get(reverse("cases:note_add", args=[case.pk]))
    form = page.context["form"]
    assert not form.is_bound
    assert form["text"].value() == TEXT and form["kind"].value() == "phone_call"
    assert form["visibility"].value() == "own_institution"
    body = page.content.decode()
    assert "Restored your unsaved draft from" in body and "Discard the draft" in body
    assert reverse("cases:draft_discard", args=[case.pk, "note_add"]) in body
    assert "data-draft-form" in body and reverse("cases:draft_save", args=[case.pk, "note_add"]) in body
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_type="cases.formdraft", object_id=str(draft.pk)
    ).exists()
    assert not AuditEntry.objects.filter(details__icontains="učinilac").exists()


def test_saving_the_form_deletes_the_draft(login, jelena, case):
    client = login(jelena)
    keep(client, case, "note_add", note_data())
    response = client.post(reverse("cases:note_add", args=[case.pk]), note_data())
    assert response.status_code == 302
    assert [n.text for n in CaseNote.objects.filter(case=case)] == [TEXT]
    assert not FormDraft.objects.filter(user=jelena).exists()
    page = client.get(reverse("cases:note_add", args=[case.pk]))
    assert "Restored your unsaved draft" not in page.content.decode()
    assert page.context["form"]["text"].value() in (None, "")


def test_a_refused_save_keeps_the_draft(login, jelena, case):
    client = login(jelena)
    keep(client, case, "note_add", note_data())
    response = client.post(reverse("cases:note_add", args=[case.pk]), note_data(occurred_at=""))
    assert response.status_code == 200
    assert FormDraft.objects.filter(user=jelena, form_key="note_add").exists()


def test_discarding_the_draft(login, jelena, case):
    client = login(jelena)
    keep(client, case, "note_add", note_data())
    response = client.post(reverse("cases:draft_discard", args=[case.pk, "note_add"]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:note_add", args=[case.pk])
    assert not FormDraft.objects.exists()
    assert client.get(reverse("cases:draft_discard", args=[case.pk, "note_add"])).status_code == 405
    assert client.get(reverse("cases:draft_save", args=[case.pk, "note_add"])).status_code == 405


def test_another_user_never_gets_the_draft(login, jelena, police, world, case):
    keep(login(jelena), case, "note_add", note_data())
    other = login(police)
    page = other.get(reverse("cases:note_add", args=[case.pk]))
    assert page.status_code == 200
    assert "Restored your unsaved draft" not in page.content.decode()
    assert TEXT not in page.content.decode()
    # The police officer's own draft and discard leave Jelena's alone.
    keep(other, case, "note_add", note_data(text="Policijska beleška (test)"))
    other.post(reverse("cases:draft_discard", args=[case.pk, "note_add"]))
    assert FormDraft.objects.get(case=case).user == jelena
    assert login(jelena).get(reverse("cases:note_add", args=[case.pk])).context["form"]["text"].value() == TEXT
    # Another municipality reaches neither the case nor the draft.
    outsider = login(world.users["other_municipality"]["caseworker"])
    assert keep(outsider, case, "note_add", note_data()).status_code == 404
    assert outsider.post(reverse("cases:draft_discard", args=[case.pk, "note_add"])).status_code == 404
    assert FormDraft.objects.filter(case=case).count() == 1


def test_a_draft_expires_after_seven_days(login, jelena, case):
    client = login(jelena)
    keep(client, case, "note_add", note_data())
    draft = FormDraft.objects.get(user=jelena)
    assert timezone.now() + DRAFT_TTL - timedelta(minutes=1) < draft.expires_at <= timezone.now() + DRAFT_TTL
    FormDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(reverse("cases:note_add", args=[case.pk]))
    assert page.status_code == 200 and "Restored your unsaved draft" not in page.content.decode()
    assert page.context["form"]["text"].value() in (None, "")
    response = keep(client, case, "risk_add", {"item_strangling": "yes"})
    assert response.status_code == 200
    assert list(FormDraft.objects.values_list("form_key", flat=True)) == ["risk_add"]


def test_expired_drafts_of_users_who_never_come_back_are_deleted_by_the_hourly_job(login, jelena, police, case):
    from apps.cases.tasks import delete_expired_drafts

    keep(login(jelena), case, "note_add", note_data())
    keep(login(police), case, "note_add", note_data())
    FormDraft.objects.filter(user=jelena).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert delete_expired_drafts.apply().get() == 1
    assert list(FormDraft.objects.values_list("user_id", flat=True)) == [police.pk]


def test_keys_are_checked(login, jelena, world, case):
    client = login(jelena)
    assert keep(client, case, "attachment_add", {}).status_code == 404
    assert keep(client, case, "note_edit", {}).status_code == 404
    assert keep(client, case, "note_add-3", {}).status_code == 404
    other_case = open_case(world.users["other_municipality"]["caseworker"])
    foreign = note_add(user=world.users["other_municipality"]["caseworker"], case=other_case, text="Druga opština")
    assert keep(client, case, f"note_edit-{foreign.pk}", {}).status_code == 404
    own = note_add(user=jelena, case=case, text="Prva verzija")
    assert keep(client, case, f"note_edit-{own.pk}", note_data()).status_code == 200
    assert client.get(reverse("cases:note_edit", args=[case.pk, own.pk])).context["form"]["text"].value() == TEXT
    assert keep(client, case, "note_add", {"text": "x" * 100_001}).status_code == 400


def test_risk_person_and_plan_forms_restore_their_drafts(login, jelena, case):
    client = login(jelena)
    keep(client, case, "risk_add", {"item_strangling": "yes", "item_weapon_used": "no", "immediate_danger": "on"})
    form = client.get(reverse("cases:risk_add", args=[case.pk])).context["form"]
    assert form["item_strangling"].value() == "yes" and form["item_weapon_used"].value() == "no"
    assert form["immediate_danger"].value() is True
    assert form[f"item_{RISK_ITEM_CODES[-1]}"].value() == "unknown"

    person = add_person(jelena, case, first_name="Testna", last_name="Osobić", birth_date=date(1980, 1, 1))
    keep(client, case, f"person_edit-{person.pk}", {"first_name": "Testna", "last_name": "Promenjić", "version": "1"})
    form = client.get(reverse("cases:person_edit", args=[case.pk, person.pk])).context["form"]
    assert form["last_name"].value() == "Promenjić" and str(form["version"].value()) == "1"
    assert form["disability"].value() is False

    keep(client, case, "plan_create", {"monitoring": "Tromesečno praćenje (test)", "victim_participated": ""})
    form = client.get(reverse("cases:plan_create", args=[case.pk])).context["form"]
    assert form["monitoring"].value() == "Tromesečno praćenje (test)"
    assert form["victim_participated"].value() is False
