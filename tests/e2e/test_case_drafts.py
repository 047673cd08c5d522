"""Jelena types a note, the page keeps it as her draft on the server; after logging out and in again
the note form opens with the text restored and says so."""
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.cases.models import FormDraft
from apps.cases.services.cases import case_open

from .fixtures_cases import build_case_world, log_in, log_out
from .helpers import wait_for_next_code_window

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = "Razgovor sa žrtvom (test): dogovoren plan bezbednosti, javiće se sutra."


def test_a_typed_note_survives_a_new_login(page, screenshot):
    world = build_case_world()
    jelena = world.users["lazarevac.caseworker"]
    case = case_open(
        user=jelena, municipality=world.lazarevac, lead_institution=world.csr,
        reported_at=timezone.now() - timedelta(hours=2),
    )
    note_url = f"/cases/{case.pk}/notes/add/"

    log_in(page, "lazarevac.caseworker", world.devices["lazarevac.caseworker"])
    first_code_step = int(time.time() // 30)
    page.goto(note_url)
    page.fill("#id_text", TEXT)
    page.focus("#id_kind")  # leaving the text field keeps the draft
    expect(page.locator("[data-autosave] .autosave-saved")).to_be_visible()
    assert FormDraft.objects.filter(user=jelena, case=case, form_key="note_add").exists()

    # The session ends; logging in again needs a fresh authenticator code (each is accepted once).
    log_out(page)
    wait_for_next_code_window(first_code_step)
    log_in(page, "lazarevac.caseworker", world.devices["lazarevac.caseworker"])
    page.goto(note_url)
    expect(page.locator(".draft-restored")).to_be_visible()
    assert page.input_value("#id_text") == TEXT
    screenshot(page, "restored")

    # Saving the note removes the draft; the form then opens empty.
    page.click("main form.card button[type=submit]")
    page.wait_for_url(lambda url: f"/cases/{case.pk}/" in url and "/notes/" not in url)
    assert not FormDraft.objects.filter(user=jelena).exists()
    page.goto(note_url)
    expect(page.locator(".draft-restored")).to_have_count(0)
    assert page.input_value("#id_text") == ""
