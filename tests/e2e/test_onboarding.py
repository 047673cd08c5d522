"""Ana, the platform admin, onboards a ninth municipality through the wizard."""
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Invitation
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality
from tests.factories import UserFactory

from .helpers import SUBMIT, code_for_device, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_platform_admin_onboards_nis_with_the_wizard(page, screenshot):
    admin = UserFactory(username="e2e.platform", email="e2e.platform@test.kzn.example", is_platform_admin=True)
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)

    started = time.monotonic()
    login(page, "e2e.platform", "test-lozinka-123")
    page.wait_for_url("**/accounts/2fa/verify/")
    page.fill("#id_code", code_for_device(device))
    page.click(SUBMIT)
    page.wait_for_url(lambda url: "/accounts/" not in url)

    page.click("nav.mainnav a[href='/municipalities/onboard/']")
    page.wait_for_url("**/municipalities/onboard/")
    page.fill("#id_municipality-name", "Niš (test)")
    page.fill("#id_municipality-name_cyrl", "Ниш (тест)")
    page.fill("#id_municipality-code", "NIST")
    page.fill("#id_municipality-slug", "nis-test")
    page.select_option("#id_municipality-kind", "city")
    page.fill("#id_municipality-district", "Nišavski (test)")
    page.fill("#id_municipality-population", "260000")
    page.select_option("#id_municipality-size_class", "large")
    screenshot(page, "step1-municipality")
    # Enter in a field submits with the form's default button (Next). After a full-page screenshot of
    # this long step, Chromium's headless hit testing can miss a mouse click on the button.
    page.press("#id_municipality-district", "Enter")

    page.wait_for_selector("#id_institutions-0-name")
    names = [page.input_value(f"#id_institutions-{i}-name") for i in range(3)]
    assert any("Centar za socijalni rad" in n for n in names), "the standard list is pre-filled from the name"
    screenshot(page, "step2-institutions")
    page.click(SUBMIT)

    page.wait_for_selector("#id_admins-0-email")
    for row, (email, first, last) in enumerate(
        [("admin.csr@test.kzn.example", "Ana", "Testić"), ("admin.policija@test.kzn.example", "Petar", "Testić")]
    ):
        page.fill(f"#id_admins-{row}-email", email)
        page.fill(f"#id_admins-{row}-first_name", first)
        page.fill(f"#id_admins-{row}-last_name", last)
        page.select_option(f"#id_admins-{row}-institution", index=row + 1)
    screenshot(page, "step3-admins")
    page.click(SUBMIT)

    page.wait_for_selector("text=admin.policija@test.kzn.example")
    screenshot(page, "step4-review")
    page.click(SUBMIT)
    page.wait_for_url("**/municipalities/onboard/done/")
    elapsed = time.monotonic() - started
    screenshot(page, "done")
    print(f"\nOnboarding through the wizard took {elapsed:.1f} s of browser time")

    municipality = Municipality.objects.get(code="NIST")
    assert municipality.name_cyrl == "Ниш (тест)"
    assert municipality.conference_cadence_months == 1, "a larger municipality meets monthly"
    assert Institution.objects.filter(municipality=municipality).count() >= 6
    invited = set(Invitation.objects.filter(municipality=municipality).values_list("email", flat=True))
    assert invited == {"admin.csr@test.kzn.example", "admin.policija@test.kzn.example"}
    assert "Niš (test)" in page.locator("h1").inner_text()
    assert elapsed < 120
