"""A form that comes back with errors: the page title starts with "Error:" ("Greška:" in Serbian),
and an error summary at the top of the page lists every error with a link to its field, for forms
rendered by the shared include and for forms written out by hand alike."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.cases.choices import CaseStatus
from apps.core.choices import Role
from tests.cases.factories_measures import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def summary_of(html: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert match, "the page has an error summary"
    return match.group(0)


def links_of(summary: str) -> dict[str, str]:
    return {href: text for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary)}


def test_login_with_a_wrong_password(client):
    html = client.post(reverse("accounts:login"), {"username": "nobody@test.kzn.example", "password": "wrong"}).content.decode()
    assert title_of(html).startswith("Error: ")
    summary = summary_of(html)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "correct" in summary  # the form's own message, not linked to a field


def test_case_opening_without_the_report_time_links_to_its_field(world, verified_client):
    worker = world.users[Role.CASEWORKER]
    response = verified_client(worker).post(reverse("cases:create"), {"lead_institution": world.csr_a.pk, "reported_at": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert title_of(html).startswith("Error: ")
    links = links_of(summary_of(html))
    assert links == {"id_reported_at": "Reported at: This field is required."}
    assert 'id="id_reported_at"' in html, "the link's target exists"
    assert 'id="id_reported_at_error"' in html, "the field's own message stays beside it"


def test_hand_written_status_form_links_to_the_field_in_error(world, verified_client):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    response = verified_client(worker).post(
        reverse("cases:status", args=[case.pk]), {"version": case.version, "to_status": CaseStatus.CLOSED}
    )
    html = response.content.decode()
    assert title_of(html).startswith("Error: ")
    links = links_of(summary_of(html))
    assert links == {"id_closure_reason": "Closure reason: Choose why the case is closed."}
    assert 'id="id_closure_reason"' in html


def test_radio_group_links_to_its_first_option(world, verified_client):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    response = verified_client(worker).post(reverse("cases:status", args=[case.pk]), {"version": case.version})
    html = response.content.decode()
    links = links_of(summary_of(html))
    assert list(links) == ["id_to_status_0"]
    assert 'id="id_to_status_0"' in html


def test_staff_invitation_with_a_bad_address(world, verified_client):
    admin = world.users[Role.INSTITUTION_ADMIN]
    response = verified_client(admin).post(
        reverse("accounts:staff_invite"),
        {"email": "not-an-address", "role": Role.CASEWORKER, "institution": world.csr_a.pk},
    )
    html = response.content.decode()
    assert title_of(html).startswith("Error: ")
    assert "id_email" in links_of(summary_of(html))


def test_valid_and_unsubmitted_forms_have_no_summary(world, verified_client):
    worker = world.users[Role.CASEWORKER]
    client = verified_client(worker)
    html = client.get(reverse("cases:create")).content.decode()
    assert "error-summary" not in html and not title_of(html).startswith("Error")
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("cases:create"), {"lead_institution": world.csr_a.pk, "reported_at": when}, follow=True)
    html = response.content.decode()
    assert "error-summary" not in html and not title_of(html).startswith("Error")


def test_title_prefix_in_serbian_latin_and_cyrillic(world, verified_client, settings):
    worker = world.users[Role.CASEWORKER]
    client = verified_client(worker)
    for code, prefix in (("sr-latn", "Greška: "), ("sr-cyrl", "Грешка: ")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        html = client.post(reverse("cases:create"), {"lead_institution": world.csr_a.pk, "reported_at": ""}).content.decode()
        assert title_of(html).startswith(prefix), title_of(html)
