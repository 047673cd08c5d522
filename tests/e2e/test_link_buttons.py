"""Buttons that look like links are readable where they stand: "Remove" on the agenda and the
invitees (white cards), "Revoke" of a calendar feed, and "Log out" in the purple header each have a
text contrast of at least 4.5:1 (WCAG AA) against the background they are drawn on."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.conferences.models import CalendarFeed

from .fixtures_cases import log_in
from .fixtures_conferences import build_conference_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The text colour of each element against the first opaque background behind it (itself or an ancestor).
CONTRAST = """(elements) => elements.map((el) => {
  const parse = (c) => { const p = c.match(/[\\d.]+/g).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const behind = (node) => { for (let n = node; n; n = n.parentElement) { const c = parse(getComputedStyle(n).backgroundColor); if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const a = lum(parse(getComputedStyle(el).color)), b = lum(behind(el));
  return {text: el.textContent.trim(), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
})"""


def contrasts(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(selector, CONTRAST)


def test_link_buttons_are_readable_in_cards_and_in_the_header(page, screenshot):
    from tests.conferences.factories import AgendaItemFactory, InviteeFactory, MeetingFactory

    world = build_conference_world()
    coordinator = world.users["kragujevac.coordinator"]
    starts = timezone.now() + timedelta(days=5)
    meeting = MeetingFactory(municipality=world.kragujevac, created_by=coordinator, starts_at=starts,
                             ends_at=starts + timedelta(hours=1))
    AgendaItemFactory(meeting=meeting, case=world.cases[0], position=1)
    InviteeFactory(meeting=meeting, user=None, institution=world.police)
    CalendarFeed.objects.create(user=coordinator, name="Telefon (test)", token_hash="0" * 64, token_hint="abcd")

    log_in(page, "kragujevac.coordinator", world.devices["kragujevac.coordinator"])
    page.goto(reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk}))
    in_cards = contrasts(page, "main .card button.btn-link")
    header = contrasts(page, "header button[type=submit]")
    screenshot(page, "meeting-remove-buttons")
    page.goto(reverse("conferences:calendar_feeds"))
    in_cards += contrasts(page, "main button.btn-link")

    assert len(in_cards) == 3, in_cards  # the agenda's and the invitee's Remove, the feed's Revoke
    assert len(header) == 1, header  # Log out
    for found in in_cards + header:
        assert found["ratio"] >= 4.5, found
