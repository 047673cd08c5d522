"""What a new user trips over, walked in Chromium: a form with errors puts the focus on its error
summary (title "Greška: ..."); on a 390x844 phone the header folds into a menu, the case page has a
sticky section menu that jumps, stacked person rows keep their column names, and a message after a
save is in view. Screenshots of the phone pages in Latin and Cyrillic go to test-artifacts/."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.cases.choices import PersonRole
from apps.cases.services.notes import note_add
from tests.cases.factories import add_incident, add_person, open_case

from .conftest import ARTIFACTS
from .fixtures_cases import build_case_world, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def long_case(world):
    """A case of Jelena's centre with persons, an incident and enough notes to make the page long."""
    jelena = world.users["lazarevac.caseworker"]
    jelena.refresh_access()
    case = open_case(jelena, lead=world.csr, summary="Prijava policije (test): svađa u zajedničkom stanu.")
    add_person(jelena, case, PersonRole.VICTIM, first_name="Testna", last_name="Žrtvić", birth_date=date(1988, 3, 14))
    add_person(jelena, case, PersonRole.PERPETRATOR, first_name="Probni", last_name="Počinić", birth_date=date(1984, 7, 2))
    add_incident(jelena, case)
    for i in range(6):
        note_add(user=jelena, case=case, text=f"Beleška {i + 1} (test): razgovor sa žrtvom, dogovoren sledeći kontakt.",
                 occurred_at=timezone.now() - timedelta(hours=10 - i))
    return case


def phone_page(browser, live_server, language: str = "sr-latn"):
    context = browser.new_context(base_url=live_server.url, locale="sr-Latn-RS", viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    context.add_cookies([{"name": "kzn_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def shot(page, name: str, *, full: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=full)


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                     return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_invalid_form_moves_the_focus_to_the_error_summary(page, screenshot):
    world = build_case_world()
    case = long_case(world)
    log_in(page, "lazarevac.caseworker", world.devices["lazarevac.caseworker"])
    page.goto(f"/cases/{case.pk}/notes/add/")
    page.fill("#id_text", "")
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state()
    page.wait_for_function("document.activeElement && document.activeElement.matches('[data-error-summary]')")
    assert page.evaluate("document.title").startswith("Greška:")
    screenshot(page, "error-summary")
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    link = summary.locator("a[href='#id_text']")
    assert link.count() == 1
    link.click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_text'")
    # The desktop case page and home page, for a look.
    page.goto(f"/cases/{case.pk}/")
    screenshot(page, "case-desktop")
    page.goto("/")
    screenshot(page, "home-desktop")


@pytest.mark.parametrize("language", ["sr-latn", "sr-cyrl"])
def test_phone_header_sections_labels_and_messages(browser, live_server, language):
    world = build_case_world()
    case = long_case(world)
    jelena = world.users["lazarevac.caseworker"]
    jelena.language = language  # the interface language she chose; the log-in applies it
    jelena.save(update_fields=["language"])
    context, page = phone_page(browser, live_server, language)
    try:
        log_in(page, "lazarevac.caseworker", world.devices["lazarevac.caseworker"])
        # --- the home page: her work queue, the header folded -----------------------------------
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == ("sr-Cyrl" if language == "sr-cyrl" else "sr-Latn")
        header = page.locator("header.topbar").bounding_box()
        assert header["height"] < 0.25 * PHONE["height"], header
        menu_button = page.locator("header .menu-toggle")
        assert menu_button.is_visible() and menu_button.get_attribute("aria-expanded") == "false"
        assert not page.locator("header .mainnav").is_visible()
        shot(page, f"home-{language}")
        # The menu opens and closes by keyboard.
        menu_button.focus()
        page.keyboard.press("Enter")
        assert page.locator("header .mainnav").is_visible()
        assert menu_button.get_attribute("aria-expanded") == "true"
        shot(page, f"menu-open-{language}")
        page.keyboard.press("Escape")
        assert not page.locator("header .mainnav").is_visible()
        assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")

        # --- the case page ----------------------------------------------------------------------
        page.goto(f"/cases/{case.pk}/")
        assert page.locator("header.topbar").bounding_box()["height"] < 0.25 * PHONE["height"]
        shot(page, f"case-{language}")
        assert page.locator("nav.case-jump a[href='#overview']").get_attribute("aria-current") == "location"
        shot(page, f"case-full-{language}", full=True)
        # Stacked person rows keep their column names.
        role_cell = page.locator("#persons tbody tr").first.locator("td").nth(1)
        role_label = page.locator("#persons thead th").nth(1).inner_text().strip()
        assert role_label
        before = role_cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert before == f'"{role_label}"', before
        assert role_cell.evaluate("el => getComputedStyle(el).display") == "block"
        # The section menu stays on screen and jumps to the timeline.
        page.locator("nav.case-jump a[href='#timeline']").click()
        page.wait_for_function("location.hash === '#timeline'")
        page.wait_for_timeout(300)
        top = page.evaluate("document.getElementById('timeline').getBoundingClientRect().top")
        nav = page.locator("nav.case-jump").bounding_box()
        assert 0 <= nav["y"] <= 1, nav
        assert nav["y"] + nav["height"] - 2 <= top < PHONE["height"] / 2, (top, nav)
        assert page.locator("nav.case-jump a[href='#timeline']").get_attribute("aria-current") == "location"
        assert page.evaluate(
            "(() => { const a = document.querySelector(\"nav.case-jump a[href='#timeline']\").getBoundingClientRect();"
            " return a.left >= 0 && a.right <= window.innerWidth; })()"), "the menu row shows the current section"
        shot(page, f"case-timeline-{language}")

        # --- a save: the message is in view where the page lands --------------------------------
        page.goto(f"/cases/{case.pk}/notes/add/")
        page.fill("#id_text", "Telefonski razgovor (test): žrtva je bezbedna.")
        page.click("main form.card button[type=submit]")
        page.wait_for_url(lambda url: url.split("#")[0].endswith(f"/cases/{case.pk}/"))
        page.wait_for_selector(".messages .msg")
        assert page.locator(".messages").get_attribute("role") == "status"
        assert page.evaluate("window.scrollY") > PHONE["height"], "the page landed on the notes, far down"
        assert in_viewport(page, ".messages .msg")
        shot(page, f"case-saved-{language}")
        page.locator(".messages .msg-close").click()
        assert page.locator(".messages").count() == 0
    finally:
        context.close()
