"""The minutes PDF: read back as text, Serbian letters intact in both scripts, cases the reader may
not see replaced by a line, the download audited, no remote fetches."""
import subprocess

import pytest
from django.urls import reverse

from apps.conferences.models import AgendaItem
from apps.conferences.pdf import RemoteFetchRefused, local_url_fetcher, render_minutes_pdf
from apps.core.models import AuditEntry
from apps.institutions.services import institution_update
from tests.cases.factories import english  # noqa: F401 - fixture
from tests.cases.factories_measures import join

from .factories import InviteeFactory
from .factories_minutes import action, make_case, on_agenda, past_meeting

pytestmark = pytest.mark.django_db
REDACTED = "This part of the minutes concerns a case you have no access to."


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.fixture
def minutes_world(world):
    coordinator = world.users["coordinator"]
    meeting = past_meeting(world.mun_a, created_by=coordinator, place="Сала Скупштине, Трг ћирилице 1")
    shared = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    join(shared, world.police_a, added_by=world.users["caseworker"])
    private = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    on_agenda(meeting, shared, discussed=True,
              discussion="Čaćak: žrtva šalje đaka u školu; ćerka je bezbedna. Разговор о безбедности породице.",
              decisions="Ђорђе из школе прати дете; džak sa stvarima vraćen.")
    on_agenda(meeting, private, discussed=True, discussion="Tajni deo: savetovanje u CSR.")
    InviteeFactory(meeting=meeting, user=world.users["police_caseworker"])
    return meeting, shared, private


def test_cyrillic_and_latin_letters_survive(minutes_world, world):
    meeting, shared, _private = minutes_world

    text = pdf_text(render_minutes_pdf(meeting, world.users["coordinator"], "sr-cyrl"))

    for fragment in ("Čaćak", "žrtva šalje đaka", "ćerka", "Разговор о безбедности породице",
                     "Ђорђе из школе", "džak", "Тестград А", "Сала Скупштине, Трг ћирилице 1", shared.number):
        assert fragment in text, fragment
    assert REDACTED not in pdf_text(render_minutes_pdf(meeting, world.users["coordinator"], "en"))


def test_a_reader_without_access_gets_the_line_instead_of_the_case(minutes_world, world):
    meeting, shared, private = minutes_world

    text = pdf_text(render_minutes_pdf(meeting, world.users["police_caseworker"], "en"))

    assert shared.number in text and "Ђорђе из школе" in text
    assert private.number not in text and "Tajni deo" not in text
    assert text.count(REDACTED) == 1
    assert "Testgrad A" in text  # the Latin name in the Latin-script languages


def test_download_is_audited_and_scoped(minutes_world, world, verified_client):
    meeting, *_ = minutes_world
    client = verified_client(world.users["police_caseworker"])

    response = client.get(reverse("conferences:minutes_pdf", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="export", object_type="conferences.meeting", object_id=str(meeting.pk)).exists()
    stranger = verified_client(world.users["other_municipality"]["coordinator"])
    assert stranger.get(reverse("conferences:minutes_pdf", args=[meeting.pk])).status_code == 404


def test_remote_urls_are_never_fetched():
    fetcher = local_url_fetcher()
    with pytest.raises(RemoteFetchRefused):
        fetcher.fetch("https://cdn.example.test/font.woff2")
    with pytest.raises(RemoteFetchRefused):
        fetcher("http://127.0.0.1:8000/static/css/app.css")


def test_cyrillic_minutes_name_institutions_in_cyrillic(minutes_world, world):
    """The reader's script for institution names too: an action owner and an invited institution."""

    meeting, shared, _private = minutes_world
    institution_update(institution=world.police_a, updated_by=None, name_cyrl="Полиција Тестград А")
    item = AgendaItem.objects.get(meeting=meeting, case=shared)
    action(item, owner=world.police_a, created_by=world.users["coordinator"])
    InviteeFactory(meeting=meeting, user=None, institution=world.police_a)

    cyrillic = pdf_text(render_minutes_pdf(meeting, world.users["coordinator"], "sr-cyrl"))
    latin = pdf_text(render_minutes_pdf(meeting, world.users["coordinator"], "sr-latn"))

    assert cyrillic.count("Полиција Тестград А") >= 2  # the action's owner and the attendance list
    assert "Policija Testgrad A" not in cyrillic
    assert "Policija Testgrad A" in latin and "Полиција Тестград А" not in latin
