"""Jelena, caseworker of the CSR in Lazarevac, logs a case end to end in the browser; Marko, the
coordinator of her centre, finds it among all cases; a caseworker of Zvezdara gets a 404 for it."""
import re
import time
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from apps.cases.models import Case

from .fixtures_cases import (
    build_case_world,
    jmbg_for,
    local_input,
    log_in,
    log_out,
    submit_form,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE_TEXT = "Razgovor sa žrtvom u centru (test): plan bezbednosti dogovoren."
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)


def add_person(page, case_path: str, role: str, **fields) -> None:
    """Open the case page's "add a <role>" link and fill the person form by field ids."""
    page.goto(case_path)
    page.click(f"#persons a[href$='/persons/add/?role={role}']")
    page.wait_for_selector("#id_first_name")
    assert page.input_value("#id_role") == role, "the link preselects the role"
    for name, value in fields.items():
        if name in ("sex", "relationship_to_victim"):
            page.select_option(f"#id_{name}", value)
        else:
            page.fill(f"#id_{name}", value)
    submit_form(page, case_path)


def test_caseworker_logs_a_case_the_coordinator_sees_it_zvezdara_does_not(page, screenshot):
    world = build_case_world()
    started = time.monotonic()
    now = timezone.now()
    year = timezone.localdate().year

    # --- Jelena opens the case ------------------------------------------------------------------
    log_in(page, "lazarevac.caseworker", world.devices["lazarevac.caseworker"])
    page.goto("/cases/new/")
    assert page.input_value("#id_lead_institution") == str(world.csr.pk), "her own centre leads by default"
    page.fill("#id_reported_at", local_input(now - timedelta(hours=3)))
    page.fill("#id_summary", "Prijava telefonom (test): fizičko i psihičko nasilje, deca prisutna.")
    screenshot(page, "01-new-case")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(municipality=world.lazarevac)
    case_path = f"/cases/{case.pk}/"
    assert case.number == f"LAZT-{year}-00001"
    assert re.fullmatch(rf"LAZT-{year}-\d{{5}}", page.locator("main h1").inner_text().split()[-1])
    assert f"LAZT-{year}-00001" in page.locator("main h1").inner_text()

    # --- persons: the victim (with a JMBG), the perpetrator (her husband), a child --------------
    victim_born = date(1988, 3, 15)
    add_person(
        page, case_path, "victim", first_name="Milena", last_name="Testić", sex="female",
        birth_date=victim_born.isoformat(), jmbg=jmbg_for(victim_born), phone="+381 64 000 0001",
    )
    add_person(
        page, case_path, "perpetrator", first_name="Dragan", last_name="Testić", sex="male",
        birth_date="1984-07-02", relationship_to_victim="spouse",
    )
    add_person(
        page, case_path, "child", first_name="Luka", last_name="Testić", sex="male",
        birth_date=f"{year - 7}-05-10", relationship_to_victim="child",
    )
    persons = page.locator("#persons tbody tr")
    assert persons.count() == 3
    assert not page.locator("#persons .error").count()
    assert jmbg_for(victim_born) in page.locator("#persons").inner_text(), "the lead institution sees the JMBG"
    screenshot(page, "02-persons")

    # --- the incident: physical and psychological violence, children present -------------------
    page.click(f"#incidents a[href='/cases/{case.pk}/incidents/add/']")
    page.wait_for_selector("#id_occurred_at")
    page.fill("#id_occurred_at", local_input(now - timedelta(hours=4)))
    page.check("input[name=forms][value=physical]")
    page.check("input[name=forms][value=psychological]")
    page.select_option("#id_place_type", "shared_home")
    page.fill("#id_reported_at", local_input(now - timedelta(hours=3)))
    page.select_option("#id_channel", "phone")
    page.check("#id_children_present")
    page.fill("#id_description", "Udarac i pretnje u stanu (test).")
    screenshot(page, "03-incident-form")
    submit_form(page, case_path)
    incidents = page.locator("#incidents tbody tr")
    assert incidents.count() == 1
    assert incidents.first.locator(".badge-warn").count() == 1, "children present is flagged"

    # --- the risk assessment: strangling is a red flag -> high, proposed for a conference -------
    page.click(f"#risk a[href='/cases/{case.pk}/risk/add/']")
    page.wait_for_selector("input[name=item_strangling][value=yes]")
    page.check("input[name=item_prior_violence][value=yes]")
    page.check("input[name=item_strangling][value=yes]")
    page.fill("#id_note_strangling", "Pokušaj davljenja (test).")
    page.check("input[name=item_children_present][value=yes]")
    page.check("input[name=item_weapon_owned][value=no]")
    # The page scores the checklist as it is answered: three "yes", strangling among them -> high.
    expect(page.locator("#risk-computed .risk-computed .help")).to_contain_text("3")
    expect(page.locator("#risk-computed .risk-computed .badge-err")).to_have_count(1)
    page.fill("#id_conclusion", "Visok rizik (test).")
    screenshot(page, "04-risk-form")
    submit_form(page, case_path)
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert case.proposed_for_conference_at is not None
    assert page.locator("header.case-header .badge.risk-high").count() == 1
    follow_up = page.locator("#risk .risk-follow-up")
    assert follow_up.count() == 1, "a high level shows the follow-up box"
    with translation.override("sr-latn"):
        proposed_on = date_format(timezone.localtime(case.proposed_for_conference_at), "SHORT_DATE_FORMAT")
    assert proposed_on in follow_up.inner_text(), "the page says when the case was proposed for a conference"
    assert page.locator("header.case-header .badge-info").count() >= 1, "the proposal shows on the case header"
    screenshot(page, "05-risk-high")

    # --- an emergency measure delivered two hours ago: about 46 hours left ----------------------
    page.click(f"#emergency a[href='/cases/{case.pk}/emergency/add/']")
    page.wait_for_selector("#id_order_number")
    page.select_option("#id_kind", "removal")
    page.fill("#id_order_number", "PU-LAZ-TEST-1")
    page.select_option("#id_ordered_by", str(world.police.pk))
    delivered = now - timedelta(hours=2)
    page.fill("#id_delivered_at", local_input(delivered))
    screenshot(page, "06-emergency-form")
    submit_form(page, case_path)
    measure_card = page.locator("#emergency article")
    assert measure_card.count() == 1
    assert measure_card.locator(".badge-ok").count() == 1, "the measure is in force"
    countdowns = measure_card.locator("[data-countdown]")
    assert countdowns.count() >= 2, "expiry and the prosecutor's proposal each count down"
    dues = [datetime.fromisoformat(countdowns.nth(i).get_attribute("data-due")) for i in range(countdowns.count())]
    hours_left = sorted(round((due - timezone.now()).total_seconds() / 3600) for due in dues)
    assert hours_left[-1] == 46, "48 hours from delivery two hours ago"
    assert 22 in hours_left, "the proposal is due 24 hours after delivery"
    texts = " | ".join(countdowns.nth(i).inner_text() for i in range(countdowns.count()))
    # 45 h 59 min left read as "1 d 21 h"; the proposal "21 h 59 min".
    assert re.search(r"\b1\b\D{1,4}\b2[01]\b", texts), f"the countdown shows the time left: {texts}"

    # --- consent naming the NGO, then the referral to the NGO -----------------------------------
    page.click(f"#consent a[href='/cases/{case.pk}/consents/add/']")
    page.wait_for_selector("#id_scope")
    victim = case.persons.get(role="victim")
    assert page.input_value("#id_person") == str(victim.pk), "the only victim is preselected"
    page.fill("#id_scope", "Podaci o slučaju potrebni za savetovanje (test).")
    page.select_option("#id_method", "written")
    page.check(f"input[name=institutions][value='{world.ngo.pk}']")
    screenshot(page, "07-consent-form")
    submit_form(page, case_path)
    assert world.ngo.name in page.locator("#consent table").inner_text()

    page.click(f"#referrals a[href='/cases/{case.pk}/referrals/send/']")
    page.wait_for_selector("#id_to_institution")
    page.select_option("#id_to_institution", str(world.ngo.pk))
    page.select_option("#id_urgency", "urgent")
    page.fill("#id_reason", "Psihosocijalna podrška žrtvi i detetu (test).")
    screenshot(page, "08-referral-form")
    submit_form(page, case_path)
    referrals = page.locator("#referrals tbody tr")
    assert referrals.count() == 1
    assert world.ngo.name in referrals.first.inner_text()
    assert not referrals.first.locator(".badge-warn:has-text('consent')").count()

    # --- the individual plan with one measure owned by the CSR ----------------------------------
    page.click(f"#plan a[href='/cases/{case.pk}/plans/add/']")
    page.wait_for_selector("#id_adopted_at")
    assert page.input_value("#id_adopted_at") == timezone.localdate().isoformat()
    page.check("#id_victim_participated")
    page.fill("#id_monitoring", "Kontrolni razgovor svake nedelje (test).")
    submit_form(page, case_path)
    page.click("#plan a[href$='/measures/add/']")
    page.wait_for_selector("#id_description")
    page.select_option("#id_kind", "support")
    page.fill("#id_description", "Savetovanje žrtve u centru (test).")
    page.select_option("#id_owner_institution", str(world.csr.pk))
    page.fill("#id_deadline", (timezone.localdate() + timedelta(days=14)).isoformat())
    screenshot(page, "09-plan-measure-form")
    submit_form(page, case_path)
    plan_rows = page.locator("#plan tbody tr")
    assert plan_rows.count() == 1
    assert world.csr.name in plan_rows.first.inner_text()

    # --- a note for her own institution only, and a document ------------------------------------
    page.click(f"#notes a[href='/cases/{case.pk}/notes/add/']")
    page.wait_for_selector("#id_text")
    page.select_option("#id_kind", "interview")
    page.fill("#id_text", NOTE_TEXT)
    page.check("input[name=visibility][value=own_institution]")
    submit_form(page, case_path)
    assert NOTE_TEXT in page.locator("#notes").inner_text()
    assert page.locator("#notes .case-note .badge-warn").count() == 1, "marked own institution only"

    page.click(f"#attachments a[href='/cases/{case.pk}/attachments/add/']")
    page.wait_for_selector("#id_file")
    page.set_input_files(
        "#id_file", files=[{"name": "izvestaj-test.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.fill("#id_description", "Izveštaj (test)")
    submit_form(page, case_path)
    assert page.locator("#attachments a[download]", has_text="izvestaj-test.pdf").count() == 1
    screenshot(page, "10-case-caseworker")

    # The side panel opens its forms in place (htmx): the NGO, named in the consent, joins the team.
    page.click("#team-add a")
    page.wait_for_selector("#team-add select[name=institution]")
    screenshot(page, "10a-team-form-in-panel")
    page.select_option("#team-add select[name=institution]", str(world.ngo.pk))
    with page.expect_navigation():
        page.click("#team-add button[type=submit]")
    assert world.ngo.name in page.locator("#team .team-list").inner_text()
    log_out(page)

    # --- Marko, coordinator of the same centre, finds it among all cases ------------------------
    log_in(page, "lazarevac.coordinator", world.devices["lazarevac.coordinator"])
    page.goto("/cases/?scope=all")
    assert page.locator(".case-tabs a[aria-current=page][href*='scope=all']").count() == 1
    row_link = page.locator(f"table.case-list a[href='{case_path}']")
    assert row_link.count() >= 1, "the case is in All cases"
    assert case.number in page.locator("table.case-list").inner_text()
    screenshot(page, "11-coordinator-all-cases")
    row_link.first.click()
    page.wait_for_url(f"**{case_path}")
    assert page.locator("#incidents tbody tr").count() == 1
    assert page.locator("header.case-header .badge.risk-high").count() == 1
    assert page.locator("#risk tbody tr").count() == 1
    assert NOTE_TEXT in page.locator("#notes").inner_text(), "same institution: the own-institution note is visible"
    document = page.locator("#attachments a[download]", has_text="izvestaj-test.pdf")
    assert document.count() == 1
    download = page.request.get(document.get_attribute("href"))
    assert download.status == 200
    assert download.body() == PDF, "the coordinator downloads the document as it was uploaded"
    screenshot(page, "12-coordinator-case")
    log_out(page)

    # --- a caseworker of Zvezdara: the case does not exist for her ------------------------------
    log_in(page, "zvezdara.caseworker", world.devices["zvezdara.caseworker"])
    response = page.goto(case_path)
    assert response.status == 404
    assert case.number not in page.content()
    screenshot(page, "13-zvezdara-404")
    page.goto("/cases/?scope=institution")
    assert case.number not in page.locator("main").inner_text()

    elapsed = time.monotonic() - started
    print(f"\nThe case lifecycle took {elapsed:.1f} s of browser time")
    assert elapsed < 180
