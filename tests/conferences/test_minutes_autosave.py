"""Draft minutes save themselves while the coordinator types: the general part and each case's part
post to small endpoints that answer with "Saved at HH:MM"; the same permission as the Save button;
approved minutes are never saved automatically (409); another municipality's meeting is 404; bad
input is refused with the field named and nothing saved."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.conferences.models import AgendaItem, Meeting, Minutes
from apps.core.models import AuditEntry
from tests.cases.factories import assess, english  # noqa: F401 - fixture

from .factories import InviteeFactory
from .factories_minutes import approved_minutes, draft_minutes, make_case, on_agenda, past_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    coordinator = world.users["coordinator"]
    meeting = past_meeting(world.mun_a, created_by=coordinator, days_ago=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    meeting.refresh_from_db()
    case = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    assess(world.users["caseworker"], case)
    item = on_agenda(meeting, case)
    # CSR A is invited: its caseworker sees the meeting but does not run it.
    InviteeFactory(meeting=meeting, institution=world.csr_a)
    present = InviteeFactory(meeting=meeting, user=world.users["police_caseworker"])
    return meeting, item, present


def general_url(meeting):
    return reverse("conferences:minutes_autosave", kwargs={"pk": meeting.pk})


def item_url(item):
    return reverse("conferences:minutes_item_autosave", kwargs={"pk": item.meeting_id, "item_pk": item.pk})


def post(client, url, data):
    return client.post(url, data, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")


def test_general_part_saves_and_says_when(setup, world, verified_client):
    meeting, _item, present = setup
    client = verified_client(world.users["coordinator"])

    response = post(client, general_url(meeting), {
        "attendance_note": "Pedagoškinja škole", "general_notes": "Sednica počela u 10č.",
        f"attended_{present.pk}": "yes",
    })

    assert response.status_code == 200 and response["X-Autosave"] == "saved"
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.general_notes == "Sednica počela u 10č." and minutes.attendance_note == "Pedagoškinja škole"
    present.refresh_from_db()
    assert present.attended is True
    when = timezone.localtime(minutes.updated_at).strftime("%H:%M")
    assert f"Saved at {when}" in response.content.decode()


def test_an_unchanged_form_writes_nothing_new(setup, world, verified_client):
    meeting, _item, _present = setup
    client = verified_client(world.users["coordinator"])
    data = {"attendance_note": "", "general_notes": "Prva verzija"}
    post(client, general_url(meeting), data)
    version = Minutes.objects.get(meeting=meeting).version
    audits = AuditEntry.objects.count()

    again = post(client, general_url(meeting), data)

    assert again.status_code == 200 and "Saved at" in again.content.decode()
    assert Minutes.objects.get(meeting=meeting).version == version
    assert AuditEntry.objects.count() == audits


def test_approved_minutes_are_never_saved_automatically(setup, world, verified_client):
    meeting, item, _present = setup
    approved_minutes(meeting, recorded_by=world.users["coordinator"])
    client = verified_client(world.users["coordinator"])

    general = post(client, general_url(meeting), {"attendance_note": "", "general_notes": "Prepravka"})
    part = post(client, item_url(item), {"discussed": "on", "discussion": "Prepravljen tekst"})

    for response in (general, part):
        assert response.status_code == 409 and response["X-Autosave"] == "locked"
        assert "approved and locked" in response.content.decode()
    assert Minutes.objects.get(meeting=meeting).general_notes == ""
    item.refresh_from_db()
    assert item.discussion == "" and not item.discussed


def test_another_municipality_gets_404_and_nothing_is_saved(setup, world, verified_client):
    meeting, item, _present = setup
    client = verified_client(world.users["other_municipality"]["coordinator"])

    general = post(client, general_url(meeting), {"attendance_note": "", "general_notes": "Tuđi upis"})
    part = post(client, item_url(item), {"discussed": "on", "discussion": "Tuđi upis"})

    assert general.status_code == 404 and part.status_code == 404
    assert not Minutes.objects.filter(meeting=meeting).exists()
    item.refresh_from_db()
    assert item.discussion == ""


def test_same_permission_as_the_save_button(setup, world, verified_client):
    """An invited caseworker reads the minutes but does not record them: 403 for the general part
    (as the Save button), 404 for a case's part (as its page)."""
    meeting, item, _present = setup
    client = verified_client(world.users["caseworker"])

    general = post(client, general_url(meeting), {"attendance_note": "", "general_notes": "Upis"})
    part = post(client, item_url(item), {"discussed": "on", "discussion": "Upis"})

    assert general.status_code == 403 and general["X-Autosave"] == "forbidden"
    assert part.status_code == 404
    assert not Minutes.objects.filter(meeting=meeting).exists()
    assert client.get(general_url(meeting)).status_code == 405


def test_signed_out_is_sent_to_the_login(setup, client):
    meeting, _item, _present = setup
    response = client.post(general_url(meeting), {"general_notes": "x"})
    assert response.status_code == 302 and "X-Autosave" not in response


def test_case_part_saves_or_names_the_field(setup, world, verified_client):
    meeting, item, _present = setup
    client = verified_client(world.users["coordinator"])

    saved = post(client, item_url(item), {"discussed": "on", "discussion": "Policija izvestila o intervenciji."})
    item.refresh_from_db()
    assert saved.status_code == 200 and saved["X-Autosave"] == "saved" and "Saved at" in saved.content.decode()
    assert item.discussed and item.discussion == "Policija izvestila o intervenciji."

    refused = post(client, item_url(item), {"discussion": "Drugi tekst", "risk_level": "high"})
    bad_date = post(client, item_url(item), {"discussed": "on", "discussion": "Treći tekst", "next_review_on": "sutra"})

    assert refused.status_code == 400 and refused["X-Autosave"] == "invalid"
    assert "Discussed at the meeting: Mark the case as discussed" in refused.content.decode()
    assert bad_date.status_code == 400 and "Next review: Enter a valid date." in bad_date.content.decode()
    item.refresh_from_db()
    assert item.discussion == "Policija izvestila o intervenciji." and item.risk_level == ""
    assert AgendaItem.objects.get(pk=item.pk).discussion == "Policija izvestila o intervenciji."


def test_pages_offer_autosave_only_on_draft_minutes(setup, world, verified_client):
    meeting, item, _present = setup
    client = verified_client(world.users["coordinator"])
    minutes_page = reverse("conferences:minutes", kwargs={"pk": meeting.pk})
    item_page = reverse("conferences:minutes_item", kwargs={"pk": meeting.pk, "item_pk": item.pk})

    draft_minutes(meeting, recorded_by=world.users["coordinator"])
    for page, url in ((minutes_page, general_url(meeting)), (item_page, item_url(item))):
        body = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert f'hx-post="{url}"' in body and "js/autosave.js" in body
        assert "Changes are saved automatically while you type." in body

    Minutes.objects.filter(meeting=meeting).update(status="approved", approved_at=timezone.now(),
                                                   approved_by=world.users["coordinator"])
    for page in (minutes_page, item_page):
        body = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "data-autosave" not in body and "js/autosave.js" not in body


def test_a_refusal_carries_each_fields_messages_for_beside_the_field(setup, world, verified_client):
    """The risk level chosen before its reason: 400 with the status line ("Not saved." and the field
    named) and, per field, a template the page puts beside that field; a form error likewise."""
    from html.parser import HTMLParser

    meeting, item, _present = setup
    client = verified_client(world.users["coordinator"])

    refused = post(client, item_url(item), {"discussed": "on", "risk_level": "high"})
    bad_date = post(client, item_url(item), {"discussed": "on", "next_review_on": "sutra"})

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.current = {}, None

        def handle_starttag(self, tag, attrs):
            if tag == "template":
                self.current = dict(attrs)["data-autosave-field"]
                self.fields[self.current] = ""

        def handle_endtag(self, tag):
            if tag == "template":
                self.current = None

        def handle_data(self, data):
            if self.current:
                self.fields[self.current] += data

    def fields_of(response):
        parser = Fields()
        parser.feed(response.content.decode())
        return parser.fields

    reason = "Explain why the level is higher than the checklist of the latest assessment gives."
    assert refused.status_code == 400 and refused["X-Autosave"] == "invalid"
    body = refused.content.decode()
    assert "Not saved." in body and f"Why the level was raised or lowered: {reason}" in body
    assert fields_of(refused) == {"risk_reason": reason}
    assert 'class="error autosave-error" role="alert"' in body
    assert fields_of(bad_date) == {"next_review_on": "Enter a valid date."}
    item.refresh_from_db()
    assert item.risk_level == "" and not item.discussed  # nothing half-saved


def test_unchanged_risk_names_the_cases_current_level(setup, world, verified_client):
    meeting, item, _present = setup
    client = verified_client(world.users["coordinator"])
    page = reverse("conferences:minutes_item", kwargs={"pk": meeting.pk, "item_pk": item.pk})

    assess(world.users["caseworker"], item.case, immediate_danger=True)
    body = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="" selected>unchanged (currently: Immediate danger)</option>' in body
    assert "not assessed" not in body

    unassessed = on_agenda(meeting, make_case(institution=world.csr_a, opened_by=world.users["caseworker"]))
    page = reverse("conferences:minutes_item", kwargs={"pk": meeting.pk, "item_pk": unassessed.pk})
    assert "unchanged (not assessed)" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
