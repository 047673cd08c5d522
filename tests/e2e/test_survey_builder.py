"""Marko, coordinator, adjusts the draft of an adopted client questionnaire in the browser: he moves a
question up and a section down with the plain buttons, and gives a choice question's option its own
Cyrillic and English wording, then publishes (the buttons are gone); the respondent sees the new order
and wording in Cyrillic."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from apps.accounts.services import membership_create
from apps.core.choices import Role
from apps.surveys import public
from apps.surveys.services import builder, collections
from tests.cache_keys import clear_own_cache_keys
from tests.factories import InstitutionFactory

from .fixtures_cases import log_in
from .fixtures_conferences import _user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reorder_and_translate_a_draft(browser, live_server, screenshot):
    clear_own_cache_keys()
    public.clear_caches()
    csr = InstitutionFactory(name="CSR Testgrad Uređivanje")
    coordinator = _user("survey.builder.test", "Marko", "Uređivač (test)")
    membership_create(user=coordinator, institution=csr, role=Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    coordinator.refresh_access()
    questionnaire = builder.adopt_template(actor=coordinator, municipality=csr.municipality, institution=csr,
                                           key="client_experience")
    version = questionnaire.versions.get()

    context = browser.new_context(base_url=live_server.url, locale="sr-Latn-RS", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    log_in(page, "survey.builder.test", device)
    page.goto(f"/surveys/questionnaires/{questionnaire.pk}/")

    believed = version.questions.get(key="believed")
    page.click(f"#q{believed.pk} button[name=direction][value=up]")
    page.wait_for_url(f"**/surveys/questionnaires/{questionnaire.pk}/**")
    first_items = page.locator("main section.card").first.locator("ol > li")
    expect(first_items.first).to_contain_text("Osećala sam da mi veruju.")
    first_section = version.sections.order_by("position").first()
    page.click(f"#s{first_section.pk} button[name=direction][value=down]")
    page.wait_for_url(f"**/surveys/questionnaires/{questionnaire.pk}/**")
    expect(page.locator("main section.card h2").first).to_have_text("Na kraju")

    waiting = version.questions.get(key="waiting")
    page.click(f"#q{waiting.pk} a[href$='/questions/{waiting.pk}/']")
    page.wait_for_url(f"**/questions/{waiting.pk}/")
    expect(page.locator("#id_options-0-label_sr_cyrl")).to_have_attribute("placeholder", "Мање од 15 минута")
    page.fill("#id_options-0-label_sr_cyrl", "Краће од четврт сата")
    page.fill("#id_options-0-label_en", "Under a quarter of an hour")
    screenshot(page, "question-edit")
    page.click("main form > button.btn[type=submit]")
    page.wait_for_url(f"**/surveys/questionnaires/{questionnaire.pk}/")
    expect(page.locator(f"#q{waiting.pk}")).to_contain_text("Manje od 15 minuta")
    waiting.refresh_from_db()
    assert waiting.options[0]["label"] == {"sr-latn": "Manje od 15 minuta", "sr-cyrl": "Краће од четврт сата",
                                           "en": "Under a quarter of an hour"}
    screenshot(page, "questionnaire")

    page.click("main form[action$='/publish/'] button[type=submit]")
    page.wait_for_url(f"**/surveys/questionnaires/{questionnaire.pk}/")
    expect(page.locator("main form[action$='/new_version/']")).to_have_count(1)
    expect(page.locator(f"#q{waiting.pk} button[name=direction]")).to_have_count(0)
    context.close()

    version.refresh_from_db()
    today = timezone.localdate()
    collection = collections.create_collection(actor=coordinator, version=version, institution=csr, title="Pult (test)",
                                               opens_on=today, closes_on=today + timedelta(days=3))
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True)
    respondent = phone.new_page()
    respondent.goto(f"/surveys/a/{collection.token}/?lang=sr-cyrl")
    expect(respondent.locator("main")).to_contain_text("Краће од четврт сата")
    expect(respondent.locator("main fieldset.section > legend").first).to_have_text("На крају")
    phone.close()
