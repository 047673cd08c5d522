"""During a meeting Nikola picks the risk level after the discussion before writing the reason: the
draft saves itself, the server refuses it (400), and the page stays as it is, with the message beside
the reason field and "Not saved." in the status line; once he writes the reason the draft saves. The
"unchanged" choice names the case's current level (here: immediate danger), never "not assessed".

The server runs with DEBUG on, as on a developer's machine, where a page-wide helper shows error
answers of htmx requests as the whole page: an autosave answer must never reach it."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from apps.cases.choices import RiskLevel
from apps.cases.models import Case
from apps.cases.services.risk import risk_assess
from apps.conferences.models import AgendaItem

from .fixtures_cases import log_in
from .fixtures_conferences import build_conference_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "Nove pretnje posle intervencije policije (test)."


def test_choosing_the_level_first_keeps_the_page_and_names_the_reason_field(page, settings, screenshot):
    from tests.conferences.factories import AgendaItemFactory, MeetingFactory

    settings.DEBUG = True
    world = build_conference_world()
    coordinator, caseworker = world.users["kragujevac.coordinator"], world.users["kragujevac.caseworker"]
    case = world.cases[0]
    risk_assess(user=caseworker, case=case, immediate_danger=True, items={})
    assert Case.objects.get(pk=case.pk).risk_level == RiskLevel.IMMEDIATE
    starts = timezone.now() - timedelta(minutes=30)
    meeting = MeetingFactory(municipality=world.kragujevac, created_by=coordinator, chair=coordinator,
                             starts_at=starts, ends_at=starts + timedelta(hours=2))
    item = AgendaItemFactory(meeting=meeting, case=case, position=1)
    item_path = reverse("conferences:minutes_item", kwargs={"pk": meeting.pk, "item_pk": item.pk})
    autosave_path = reverse("conferences:minutes_item_autosave", kwargs={"pk": meeting.pk, "item_pk": item.pk})

    log_in(page, "kragujevac.coordinator", world.devices["kragujevac.coordinator"])
    page.goto(item_path)
    title = page.title()
    with translation.override(coordinator.language):
        unchanged = translation.gettext("unchanged (currently: %(level)s)") % {"level": RiskLevel.IMMEDIATE.label}
        not_saved = translation.gettext("Not saved.")
        expected_error = translation.gettext("Explain why the level is higher than the checklist of the latest "
                                             "assessment gives.")
    assert page.locator("#id_risk_level option[value='']").inner_text() == unchanged

    with page.expect_response(lambda r: r.url.endswith(autosave_path) and r.request.method == "POST") as answer:
        page.check("#id_discussed")
    assert answer.value.status == 200
    with page.expect_response(lambda r: r.url.endswith(autosave_path) and r.request.method == "POST") as answer:
        page.select_option("#id_risk_level", RiskLevel.HIGH.value)
    assert answer.value.status == 400

    reason_field = page.locator(".field", has=page.locator("#id_risk_reason"))
    expect(reason_field.locator(".autosave-error")).to_have_text(expected_error)
    expect(page.locator("#item-autosave")).to_contain_text(not_saved)
    screenshot(page, "autosave-refused-beside-the-field")
    # The page is still the case part's page: its title, heading, form and the field just chosen.
    assert page.title() == title
    expect(page.locator("main h1")).to_contain_text(case.number)
    assert page.input_value("#id_risk_level") == RiskLevel.HIGH.value
    expect(page.locator("#id_discussion")).to_be_visible()
    assert page.locator("link[rel=stylesheet]").count() > 0
    assert AgendaItem.objects.get(pk=item.pk).risk_level == ""  # nothing half-saved

    with page.expect_response(lambda r: r.url.endswith(autosave_path) and r.request.method == "POST") as answer:
        page.fill("#id_risk_reason", REASON)
    assert answer.value.status == 200
    expect(page.locator("#item-autosave")).to_have_text(re.compile(r"\d{2}:\d{2}"))
    expect(reason_field.locator(".autosave-error")).to_have_count(0)
    saved = AgendaItem.objects.get(pk=item.pk)
    assert (saved.risk_level, saved.risk_reason) == (RiskLevel.HIGH, REASON)
