"""Marko, coordinator in Kragujevac, opens a self-assessment round in the browser; the centre's head of
service answers and submits it; Marko sees the scores, closes the round and reads the page in Cyrillic.
Jovana, caseworker of the centre, follows "What must I do now" from a newly reported case to the step of
her sector in the adopted protocol. Screenshots go to test-artifacts/."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from apps.accounts.services import membership_create
from apps.core.choices import Role
from apps.protocols.choices import ProtocolKind, ProvingEvent, RoundStatus, Sector
from apps.protocols.models import AssessmentResponse, AssessmentRound, Checklist, ChecklistItem
from apps.protocols.services.protocols import protocol_create, step_save, version_adopt

from .fixtures_cases import log_in
from .fixtures_conferences import _user, build_conference_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server, language: str = "sr-latn", viewport=None):
    context = browser.new_context(base_url=live_server.url, locale="sr-Latn-RS",
                                  viewport=viewport or {"width": 1280, "height": 900})
    context.add_cookies([{"name": "kzn_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _protocol_world():
    world = build_conference_world()
    admin = _user("kragujevac.admin", "Milan", "Šefović (test)")
    membership_create(user=admin, institution=world.csr, role=Role.INSTITUTION_ADMIN)
    world.users["kragujevac.admin"] = admin
    world.devices["kragujevac.admin"] = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    platform = _user("platform.template.test", "Ana", "Šablon (test)")
    platform.is_platform_admin = True
    platform.save(update_fields=["is_platform_admin"])
    coordinator = world.users["kragujevac.coordinator"]
    coordinator.refresh_access()
    protocol = protocol_create(user=coordinator, municipality=world.kragujevac, kind=ProtocolKind.GENERAL,
                               title="Lokalni protokol Kragujevac (test)", title_cyrl="Локални протокол Крагујевац (тест)")
    version = protocol.versions.get()
    step_save(user=coordinator, version=version, expected_version=version.version, sector=Sector.SOCIAL, position=1,
              actor="Centar za socijalni rad", actor_cyrl="Центар за социјални рад",
              action="Prva reakcija: hitno u roku od 24 sata, po potrebi kućna poseta",
              action_cyrl="Прва реакција: хитно у року од 24 сата, по потреби кућна посета",
              time_amount=24, time_unit="hours", legal_basis="Posebni protokol 2013",
              proving_event=ProvingEvent.CSR_FIRST_REACTION)
    version.refresh_from_db()
    version_adopt(user=coordinator, version=version, expected_version=version.version,
                  adopted_on=timezone.localdate() - timedelta(days=30), decision_number="06-1/2026 (test)")
    checklist = Checklist.objects.create(name="Ček lista (test)", name_cyrl="Чек листа (тест)", created_by=platform)
    for n, (theme, text, cyrl) in enumerate([
        ("accessibility", "Služba je dostupna i van radnog vremena.", "Служба је доступна и ван радног времена."),
        ("confidentiality", "Podaci se dele samo uz pristanak.", "Подаци се деле само уз пристанак."),
        ("training", "Zaposleni su prošli obuku.", "Запослени су прошли обуку."),
    ], start=1):
        ChecklistItem.objects.create(checklist=checklist, theme=theme, position=n, text=text, text_cyrl=cyrl)
    return world, checklist, version


def test_coordinator_runs_a_self_assessment_round(browser, live_server, screenshot):
    world, checklist, _version = _protocol_world()
    today = timezone.localdate()
    context, page = new_page(browser, live_server)
    log_in(page, "kragujevac.coordinator", world.devices["kragujevac.coordinator"])
    page.goto("/protocols/rounds/")
    page.click("a[href='/protocols/rounds/new/']")
    page.fill("#id_title", "Samoprocena prvo polugodište (test)")
    page.select_option("#id_checklist", str(checklist.pk))
    page.fill("#id_period_from", (today - timedelta(days=180)).isoformat())
    page.fill("#id_period_to", today.isoformat())
    page.fill("#id_deadline", (today + timedelta(days=14)).isoformat())
    page.check(f"input[name=institutions][value='{world.csr.pk}']")
    page.check(f"input[name=institutions][value='{world.police.pk}']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    round_ = AssessmentRound.objects.get(title="Samoprocena prvo polugodište (test)")
    expect(page.locator("h1")).to_have_text(round_.title)
    screenshot(page, "round-opened")

    # The centre's head of service answers and submits.
    admin_context, admin_page = new_page(browser, live_server)
    log_in(admin_page, "kragujevac.admin", world.devices["kragujevac.admin"])
    response = AssessmentResponse.objects.get(round=round_, institution=world.csr)
    admin_page.goto(f"/protocols/answers/{response.pk}/")
    items = list(checklist.items.order_by("position"))
    for item, value in zip(items, ["yes", "partly", "yes"], strict=True):
        admin_page.select_option(f"#id_item_{item.pk}", value)
    admin_page.fill(f"#id_note_{items[1].pk}", "Pristanak se beleži na papiru (test).")
    admin_page.fill(f"#id_url_{items[2].pk}", "https://intranet.example/obuke")
    screenshot(admin_page, "answers")
    with admin_page.expect_navigation():
        admin_page.click("button[name=submit]")
    expect(admin_page.locator("[data-testid=response-status]")).to_have_text("Podneto")
    admin_context.close()

    # Marko sees the scores (yes 2 + partly 1 + yes 2 of 6 points) and closes the round.
    page.reload()
    expect(page.locator("table.data")).to_contain_text("83,3 %")
    with page.expect_navigation():
        page.click(f"form[action='/protocols/rounds/{round_.pk}/close/'] button")
    expect(page.locator("[data-testid=round-status]")).to_have_text("Zatvoren")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    screenshot(page, "round-closed")

    # The same page in Cyrillic (the language cookie of the switcher; one login: a code is used once).
    context.add_cookies([{"name": "kzn_language", "value": "sr-cyrl", "url": live_server.url}])
    page.goto(f"/protocols/rounds/{round_.pk}/")
    expect(page.locator("[data-testid=round-status]")).to_have_text("Затворен")
    screenshot(page, "round-cyrillic")
    context.close()


def test_caseworker_follows_what_must_i_do_now_to_her_step(browser, live_server, screenshot):
    world, _checklist, version = _protocol_world()
    case = world.cases[-1]  # reported, led by the centre: its first reaction is due
    step = version.steps.get()
    context, page = new_page(browser, live_server)
    log_in(page, "kragujevac.caseworker", world.devices["kragujevac.caseworker"])
    for language, viewport in (("sr-latn", {"width": 1280, "height": 900}), ("sr-cyrl", {"width": 390, "height": 844})):
        context.add_cookies([{"name": "kzn_language", "value": language, "url": live_server.url}])
        page.set_viewport_size(viewport)
        page.goto(f"/cases/{case.pk}/")
        panel = page.locator("#protocol-steps")
        expect(panel).to_be_visible()
        link = panel.locator("[data-testid=protocol-step-link]")
        expect(link).to_have_count(1)
        panel.scroll_into_view_if_needed()
        screenshot(page, f"case-panel-{language}")
        with page.expect_navigation():
            link.click()
        assert page.url.endswith(f"/protocols/versions/{version.pk}/#step-{step.pk}")
        expect(page.locator(f"#step-{step.pk}")).to_contain_text(
            "Прва реакција" if language == "sr-cyrl" else "Prva reakcija")
        screenshot(page, f"step-{language}")
    context.close()
