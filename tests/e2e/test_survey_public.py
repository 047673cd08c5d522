"""The public questionnaire on a phone: answered in Cyrillic with JavaScript (proof of work), without
JavaScript, and left with the quick exit (Escape and the button) without a back-button trail."""
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.choices import Role
from apps.surveys.models import Submission
from apps.surveys.services import builder, collections
from tests.cache_keys import clear_own_cache_keys
from tests.factories import InstitutionFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXIT = "https://neutral.example/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def collection(settings):
    from apps.surveys import public

    settings.SURVEY_EXIT_URL = EXIT
    clear_own_cache_keys()  # the day's counters of the rate limit (every test answers from 127.0.0.1)
    public.clear_caches()
    csr = InstitutionFactory(name="CSR Testgrad Upitnik")
    coordinator = member(Role.COORDINATOR, csr)
    questionnaire = builder.adopt_template(actor=coordinator, municipality=csr.municipality, institution=csr,
                                           key="client_experience")
    version = questionnaire.versions.get()
    builder.publish(actor=coordinator, version=version)
    today = timezone.localdate()
    return collections.create_collection(actor=coordinator, version=version, institution=csr, title="Pult (test)",
                                         opens_on=today, closes_on=today + timedelta(days=3))


def _phone(browser, live_server, *, javascript=True):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True,
                                  java_script_enabled=javascript, locale="sr-Cyrl-RS")
    context.route("https://neutral.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Vreme</title><p>Vremenska prognoza</p>"))
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _answer(page):
    for key, value in (("reach", "4"), ("believed", "5"), ("respect", "5"), ("recommend", "yes")):
        page.check(f"input[name='q_{key}'][value='{value}']")


def test_phone_answer_in_cyrillic_with_proof_of_work(browser, live_server, collection, screenshot):
    context, page = _phone(browser, live_server)
    page.goto(f"/surveys/a/{collection.token}/?lang=sr-cyrl")
    assert page.title() == "Упитник"
    assert "Брзи излаз" in page.inner_text("#quick-exit")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    screenshot(page, "phone-cyrillic")
    # The conditional question appears only after "No".
    assert not page.is_visible("#q-change")
    page.check("input[name='q_recommend'][value='no']")
    assert page.is_visible("#q-change")
    _answer(page)
    page.click("button.send")
    page.wait_for_url("**/thanks/**")
    assert "0800 100 007" in page.content()
    screenshot(page, "thanks")
    assert Submission.objects.count() == 1
    assert context.cookies() == [], "no cookie at all"
    context.close()


def test_answer_without_javascript(browser, live_server, collection):
    context, page = _phone(browser, live_server, javascript=False)
    page.goto(f"/surveys/a/{collection.token}/")
    assert page.is_visible("#q-change"), "without JavaScript every question is shown, with its condition"
    _answer(page)
    time.sleep(3.2)  # without the work the answer is taken after a plausible reading time
    page.click("button.send")
    page.wait_for_url("**/thanks/**")
    assert Submission.objects.count() == 1
    context.close()


@pytest.mark.parametrize("how", ["escape", "button"])
def test_quick_exit_leaves_no_back_button_trail(browser, live_server, collection, how):
    context, page = _phone(browser, live_server)
    page.goto("/health/")
    page.goto(f"/surveys/a/{collection.token}/")
    page.check("input[name='q_reach'][value='2']")
    if how == "escape":
        page.keyboard.press("Escape")
    else:
        page.click("#quick-exit")
    page.wait_for_url(EXIT)
    assert "Vremenska prognoza" in page.content()
    page.go_back()
    page.wait_for_load_state()
    assert "/surveys/" not in page.url, "the questionnaire is not one step back"
    context.close()
