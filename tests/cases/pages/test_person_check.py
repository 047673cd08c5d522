"""The known-person check before saving (POST only, only what the user may know, audited) and messages
that name the case and the case conference."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from apps.cases.choices import RISK_ITEM_CODES
from apps.core.choices import AuditAction
from apps.core.models import AuditEntry
from tests.cases.factories import add_person, make_jmbg, open_case
from tests.conferences.factories import InviteeFactory, MeetingFactory

PERSON = {"first_name": "Testna", "last_name": "Žrtvić", "birth_date": "1985-04-12"}


@pytest.fixture
def known(world, jelena):
    """The same (fictional) woman on an earlier case Jelena reads, on a police case of the same
    municipality Jelena cannot open, and on a case of municipality B."""
    police = world.users["police_caseworker"]
    outsider = world.users["other_municipality"]["caseworker"]
    readable = open_case(jelena, reported_at=timezone.now() - timedelta(days=300))
    hidden = open_case(police, reported_at=timezone.now() - timedelta(days=200))
    elsewhere = open_case(outsider, reported_at=timezone.now() - timedelta(days=100))
    for user, case in ((jelena, readable), (police, hidden), (outsider, elsewhere)):
        add_person(user, case, first_name="Testna", last_name="Žrtvić", birth_date=date(1985, 4, 12))
    return readable, hidden, elsewhere


def check(client, case, data):
    return client.post(reverse("cases:person_check", args=[case.pk]), data)


def test_the_check_names_readable_cases_only(login, jelena, known):
    readable, hidden, elsewhere = known
    new = open_case(jelena)
    client = login(jelena)
    before = AuditEntry.objects.filter(action=AuditAction.VIEW).count()

    response = check(client, new, PERSON)
    assert response.status_code == 200
    body = response.content.decode()
    assert readable.number in body
    assert date_format(timezone.localtime(readable.reported_at), "SHORT_DATE_FORMAT") in body
    assert readable.get_status_display() in body
    assert hidden.number not in body and elsewhere.number not in body
    assert "that you cannot open" in body
    assert "Known in another municipality (no details of that case are shown)." in body
    assert response["Cache-Control"] == "private, no-store"
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(new.pk)).latest("id")
    assert entry.details["page"] == "person_check" and entry.details["shown_cases"] == [readable.pk]
    assert "Žrtvić" not in str(entry.details)
    assert AuditEntry.objects.filter(action=AuditAction.VIEW).count() == before + 1

    # The JMBG alone is recognised too; the name in another script as well.
    other = open_case(jelena)
    jmbg = make_jmbg(date(1990, 1, 2))
    add_person(jelena, other, first_name="Druga", last_name="Osoba", jmbg=jmbg, birth_date=None)
    assert other.number in check(client, new, {"jmbg": jmbg}).content.decode()
    cyrillic = check(client, new, {"first_name": "Тестна", "last_name": "Жртвић", "birth_date": "1985-04-12"})
    assert readable.number in cyrillic.content.decode()

    # Nothing to go on, an unknown person, or a half-typed date: nothing is told and nothing audited.
    assert "Enter the first and last name" in check(client, new, {"first_name": "Testna"}).content.decode()
    assert "Not known from other cases." in check(client, new, {**PERSON, "last_name": "Nepoznatić"}).content.decode()
    assert "Enter the first and last name" in check(client, new, {**PERSON, "birth_date": "1985-04-"}).content.decode()


def test_the_check_is_post_only_and_404_outside_the_users_cases(login, jelena, world, known):
    readable, hidden, elsewhere = known
    client = login(jelena)
    assert client.get(reverse("cases:person_check", args=[readable.pk])).status_code == 405
    assert check(client, elsewhere, PERSON).status_code == 404
    assert check(client, hidden, PERSON).status_code == 404


def test_another_municipality_learns_nothing_but_known_elsewhere(login, world, known):
    readable, hidden, elsewhere = known
    outsider = world.users["other_municipality"]["caseworker"]
    new = open_case(outsider)
    body = check(login(outsider), new, PERSON).content.decode()
    assert elsewhere.number in body  # their own municipality's earlier case
    assert readable.number not in body and hidden.number not in body
    assert "Known in another municipality (no details of that case are shown)." in body
    assert "that you cannot open" not in body


def test_the_person_form_checks_before_saving(login, jelena, known):
    readable = known[0]
    new = open_case(jelena)
    page = login(jelena).get(reverse("cases:person_add", args=[new.pk]))
    body = page.content.decode()
    assert reverse("cases:person_check", args=[new.pk]) in body and 'hx-post="' in body
    assert "change from:#id_birth_date" in body
    assert readable.number not in body  # nothing typed yet


def test_saving_a_known_person_names_the_earlier_case(login, jelena, known):
    readable = known[0]
    new = open_case(jelena)
    response = login(jelena).post(
        reverse("cases:person_add", args=[new.pk]), {**PERSON, "role": "victim", "sex": "female"}
    )
    assert response.status_code == 302
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert readable.number in shown and new.number in shown
    assert readable.get_status_display() in shown
    assert known[1].number not in shown and known[2].number not in shown


def test_proposal_messages_name_the_case_and_the_meeting(login, jelena, world):
    case = open_case(jelena)
    client = login(jelena)
    response = client.post(reverse("cases:propose_conference", args=[case.pk]))
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Case {case.number} was proposed for the next case conference." in shown

    meeting = MeetingFactory(municipality=world.mun_a, created_by=world.users["coordinator"])
    InviteeFactory(meeting=meeting, user=None, institution=world.csr_a)
    when = date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")
    response = client.post(reverse("cases:propose_conference", args=[case.pk]))
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Case {case.number} was already proposed for the case conference of {when}." in shown

    other = open_case(jelena)
    data = {f"item_{code}": "no" for code in RISK_ITEM_CODES} | {"item_strangling": "yes"}
    response = client.post(reverse("cases:risk_add", args=[other.pk]), data)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert f"Case {other.number} was proposed for the case conference of {when}." in shown
    assert any(other.number in m and "was saved: High" in m for m in shown)
