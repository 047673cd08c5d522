"""Keyboard and screen-reader basics of the shared page parts: the case page's "who opened this
case" list scrolls, so it is a tab stop with a name (axe: scrollable-region-focusable); the section
menu of the case page jumps to sections that exist; the header has a menu button for phones."""
import re

import pytest
from django.urls import reverse

from apps.core.choices import Role
from tests.cases.factories_measures import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def case_page(world, verified_client) -> str:
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    response = verified_client(worker).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_readers_list_is_a_named_tab_stop(world, verified_client):
    html = case_page(world, verified_client)
    readers = re.search(r"<ol class=\"readers\"[^>]*>", html).group(0)
    assert 'tabindex="0"' in readers
    assert 'aria-labelledby="readers-title"' in readers and 'id="readers-title"' in html


def test_section_menu_starts_with_the_overview_and_every_target_can_exist(world, verified_client):
    html = case_page(world, verified_client)
    menu = re.search(r'<nav class="case-jump".*?</nav>', html, re.S).group(0)
    targets = re.findall(r'href="#([\w-]+)"', menu)
    assert targets[0] == "overview"
    assert {"persons", "incidents", "risk", "plan", "referrals", "notes", "attachments", "timeline", "team"} <= set(targets)
    missing = [t for t in targets if f'id="{t}"' not in html]
    # Sections another app contributes appear only when it has something; ui.js hides their links.
    assert set(missing) <= {"conferences"}, missing


def test_header_has_a_menu_button_controlling_the_menu(world, verified_client):
    html = case_page(world, verified_client)
    button = re.search(r'<button class="menu-toggle"[^>]*>', html).group(0)
    assert 'aria-controls="topbar-menu"' in button and 'type="button"' in button
    assert 'id="topbar-menu"' in html
