"""The conference targets page in Cyrillic: its tables stay inside their cards on a desktop and on a
390 px phone (a wide table scrolls inside its card instead of pushing the page sideways)."""
import pytest
from django.urls import reverse

from apps.core.choices import Role
from tests.factories import InstitutionFactory, MunicipalityFactory, member

from .helpers import SUBMIT, code_for_device, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const cards = [...document.querySelectorAll("main section.card")];
  return {
    page: document.documentElement.scrollWidth - width,
    cards: cards.map(c => Math.round(c.getBoundingClientRect().right - c.parentElement.getBoundingClientRect().right)),
    tables: cards.map(c => { const t = c.querySelector("table"); return t ? Math.round(t.getBoundingClientRect().right - c.getBoundingClientRect().right) : 0; }),
  };
}"""


@pytest.mark.parametrize("width", [390, 1024])
def test_targets_tables_stay_in_their_cards_in_cyrillic(browser, live_server, screenshot, width):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    municipality = MunicipalityFactory(name="Smederevska Palanka (test)", name_cyrl="Смедеревска Паланка (тест)")
    csr = InstitutionFactory(municipality=municipality, name="Centar za socijalni rad (test)")
    user = member(Role.COORDINATOR, csr, username=f"e2e.targets{width}", email=f"e2e.targets{width}@test.kzn.example",
                  language="sr-cyrl")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    context = browser.new_context(base_url=live_server.url, locale="sr-Cyrl-RS", viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        login(page, user.username, "test-lozinka-123")
        page.wait_for_url("**/accounts/2fa/verify/")
        page.fill("#id_code", code_for_device(device))
        page.click(SUBMIT)
        page.wait_for_url(lambda url: "/accounts/" not in url)

        page.goto(reverse("conferences:targets"))
        assert page.locator("html").get_attribute("lang") == "sr-Cyrl"
        screenshot(page, f"targets-cyrillic-{width}")
        measured = page.evaluate(OVERFLOW)

        assert measured["page"] <= 0, measured
        assert all(px <= 0 for px in measured["cards"]), measured
        # The wide table may be wider than its card only inside the scrolling wrapper.
        wrapper = page.locator("section.card .table-scroll").first
        assert wrapper.evaluate("el => getComputedStyle(el).overflowX") == "auto"
        assert wrapper.evaluate("el => el.getBoundingClientRect().right <= el.closest('section').getBoundingClientRect().right + 0.5")
    finally:
        context.close()
