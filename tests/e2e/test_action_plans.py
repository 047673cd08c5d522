"""Browser journeys of the action plans: Marko (coordinator) builds a plan with a goal, a measure, an
activity and a budget line; Dragana (official) reads the execution of her municipality's plan in
Cyrillic on a phone."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.action_plans.services import budget as budget_services
from apps.action_plans.services import plans as plan_services
from apps.action_plans.services import structure as structure_services
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from tests.action_plans.conftest import line_values, make_codes
from tests.factories import InstitutionFactory, MunicipalityFactory, member

from .helpers import SUBMIT, code_for_device, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, user, device, *, locale="sr-Latn-RS", width=1280):
    context = browser.new_context(base_url=live_server.url, locale=locale, viewport={"width": width, "height": 844 if width < 500 else 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, user.username, "test-lozinka-123")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/verify/" in page.url:  # officials see no personal data and need no second factor
        page.fill("#id_code", code_for_device(device))
        page.click(SUBMIT)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    return context, page


def test_coordinator_builds_a_plan(browser, live_server, screenshot):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    make_codes(2027)
    municipality = MunicipalityFactory(name="Kragujevac (test)", name_cyrl="Крагујевац (тест)")
    csr = InstitutionFactory(municipality=municipality, type=InstitutionType.CSR, name="CSR Kragujevac (test)")
    marko = member(Role.COORDINATOR, csr, username="e2e.marko", email="e2e.marko@test.kzn.example", language="en")
    device = TOTPDevice.objects.create(user=marko, name="phone", confirmed=True)
    context, page = _signed_in(browser, live_server, marko, device)
    try:
        page.goto(reverse("action_plans:plan_create"))
        page.fill("#id_title", "Lokalni akcioni plan 2027–2030 (test)")
        page.fill("#id_title_cyrl", "Локални акциони план 2027–2030 (тест)")
        page.fill("#id_period_from", "2027")
        page.fill("#id_period_to", "2030")
        page.fill("#id_general_goal", "Manje nasilja u porodici (test)")
        page.click(SUBMIT)
        page.wait_for_url("**/action-plans/*/")
        page.fill("#new-goal", "Bolja zaštita žrtava (test)")
        page.locator("form:has(#new-goal) button").click()
        page.wait_for_selector("text=Bolja zaštita žrtava (test)")
        page.fill("input[name=title][id^=measure-]", "Obuke stručnjaka (test)")
        page.fill("input[name=programme_activity]", "0901-0001")
        page.locator("form.inline-form button").click()
        page.wait_for_selector("text=Obuke stručnjaka (test)")
        page.locator("a[href*='/activities/add/']").click()
        page.fill("#id_title", "Obuka o proceni rizika (test)")
        page.select_option("#id_owner_institution", str(csr.pk))
        page.fill("#id_starts_on", "2027-03-01")
        page.fill("#id_ends_on", "2027-02-01")
        page.click(SUBMIT)
        # End before start: refused on the field, nothing saved.
        assert page.locator(".field.has-error #id_ends_on").count() == 1
        page.fill("#id_ends_on", "2027-05-31")
        page.click(SUBMIT)
        page.wait_for_url("**/action-plans/activities/*/")
        page.locator("a[href*='/lines/add/']").click()
        page.fill("#id_function", "090")
        page.fill("#id_konto", "999")
        page.fill("#id_source", "01")
        page.fill("#id_planned", "150000.50")
        page.click(SUBMIT)
        assert "not in the 2027 code list" in page.locator(".field.has-error").inner_text()
        page.fill("#id_konto", "423")
        page.click(SUBMIT)
        page.wait_for_url("**/action-plans/activities/*/")
        assert "150.000,50" in page.locator("main").inner_text()
        screenshot(page, "activity-with-line")
        page.locator("p.crumbs a").click()
        page.wait_for_selector("text=Obuka o proceni rizika (test)")
        page.locator("a", has_text="Budget and execution").first.click()
        assert "150.000,50 RSD" in page.locator("#budget-totals").inner_text()
        screenshot(page, "budget")
    except Exception:
        print("URL", page.url, page.locator(".error, .form-errors").all_inner_texts())
        raise
    finally:
        context.close()


def test_official_reads_execution_in_cyrillic_on_a_phone(browser, live_server, screenshot):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    make_codes(2027)
    municipality = MunicipalityFactory(name="Zvezdara (test)", name_cyrl="Звездара (тест)")
    csr = InstitutionFactory(municipality=municipality, type=InstitutionType.CSR, name="CSR Zvezdara (test)")
    local = InstitutionFactory(municipality=municipality, type=InstitutionType.LOCAL_GOVERNMENT, name="Uprava Zvezdara (test)")
    coordinator = member(Role.COORDINATOR, csr, username="e2e.coord", email="e2e.coord@test.kzn.example")
    dragana = member(Role.OFFICIAL, local, username="e2e.dragana", email="e2e.dragana@test.kzn.example", language="sr-cyrl")
    plan = plan_services.plan_create(user=coordinator, municipality=municipality, title="Plan Zvezdara (test)",
                                     title_cyrl="План Звездара (тест)", period_from=2027, period_to=2030)
    goal = structure_services.goal_create(user=coordinator, plan=plan, title="Zaštita (test)")
    measure = structure_services.measure_create(user=coordinator, goal=goal, title="Usluge (test)")
    activity = structure_services.activity_create(user=coordinator, measure=measure, title="SOS linija (test)",
                                                  owner_institution=csr, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
    lines = [budget_services.line_create(user=coordinator, activity=activity, **line_values(source=s, planned=Decimal(p)))
             for s, p in (("01", "400000.00"), ("06", "100000.00"), ("07", "250000.00"))]
    for month in range(1, 11):
        budget_services.execution_record(user=coordinator, line=lines[month % 3], executed_on=date(2027, month, 15),
                                         document=f"{month}/2027", amount=Decimal("12345.67"))
    device = TOTPDevice.objects.create(user=dragana, name="phone", confirmed=True)
    context, page = _signed_in(browser, live_server, dragana, device, locale="sr-Cyrl-RS", width=390)
    try:
        page.goto(reverse("action_plans:budget", kwargs={"pk": plan.pk}) + "?year=2027")
        assert page.locator("html").get_attribute("lang") == "sr-Cyrl"
        totals = page.locator("#budget-totals").inner_text()
        assert "750.000,00 RSD" in totals and "123.456,70 RSD" in totals
        assert page.locator("svg.chart rect").count() == 12
        assert "Буџет и извршење" in page.locator("h1").inner_text()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, overflow
        screenshot(page, "execution-cyrillic-390")
    finally:
        context.close()
