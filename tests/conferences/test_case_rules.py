"""Action items, the minutes (with their case parts) and supervision feedback follow the case rules.

An institution admin or an official of an invited institution that owns an action item holds no case
role: they see that the meeting exists (kind, time, place, invited institutions) and nothing recorded
at it: no action item in the list, its page or the API, no minutes (page, autosave, PDF, API), no
feedback. A caseworker of the owner institution who may not open a restricted case does not get its
action item either; the caseworker assigned to that case does.
"""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.conferences.models import Meeting, SupervisionFeedback
from apps.core.choices import Role
from tests.factories import member

from .factories import InviteeFactory
from .factories_minutes import action, draft_minutes, make_case, on_agenda, past_meeting
from .test_minutes_api import client_for

pytestmark = pytest.mark.django_db

CASE_TEXT = "Poseta porodici Primerović"


@pytest.fixture
def scene(world):
    coordinator = world.users[Role.COORDINATOR]
    meeting = past_meeting(world.mun_a, created_by=coordinator, days_ago=0, place="Sala Primer 1",
                           supervisor=world.users[Role.SUPERVISOR])
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    meeting.refresh_from_db()
    InviteeFactory(meeting=meeting, user=None, institution=world.csr_a)
    case = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
    restricted = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER], is_restricted=True)
    item = on_agenda(meeting, case, discussion="Rasprava o slučaju")
    restricted_item = on_agenda(meeting, restricted, discussion="Ograničen slučaj")
    draft_minutes(meeting, recorded_by=coordinator, general_notes="Opšte beleške sa sastanka")
    open_item = action(item, owner=world.csr_a, created_by=coordinator, description=CASE_TEXT)
    restricted_action = action(restricted_item, owner=world.csr_a, created_by=coordinator,
                               description="Ograničena radnja")
    feedback = SupervisionFeedback.objects.create(
        municipality=world.mun_a, meeting=meeting, supervisor=world.users[Role.SUPERVISOR], preparation=4,
        risk_focus=4, participation=3, victim_voice=3, decisions=5, notes="Supervizijska beleška",
    )
    return meeting, case, open_item, restricted_action, feedback


@pytest.mark.parametrize("role", [Role.INSTITUTION_ADMIN, Role.OFFICIAL])
def test_no_case_role_sees_the_meeting_but_nothing_recorded_at_it(world, scene, role, verified_client):
    meeting, case, open_item, restricted_action, feedback = scene
    user = world.users[role]
    page = verified_client(user)

    listed = page.get(reverse("conferences:actions"), {"status": "all"})
    assert listed.status_code == 200
    assert case.number not in listed.content.decode() and CASE_TEXT not in listed.content.decode()
    for pk in (open_item.pk, restricted_action.pk):
        assert page.get(reverse("conferences:action_detail", args=[pk])).status_code == 404
    for name in ("conferences:minutes", "conferences:minutes_pdf"):
        assert page.get(reverse(name, args=[meeting.pk])).status_code == 404
    assert page.post(reverse("conferences:minutes_autosave", args=[meeting.pk]), {}).status_code == 404

    shown = page.get(reverse("conferences:meeting_detail", args=[meeting.pk]))
    html = shown.content.decode()
    assert shown.status_code == 200 and "Sala Primer 1" in html
    assert case.number not in html and "Opšte beleške" not in html
    assert reverse("conferences:minutes", args=[meeting.pk]) not in html

    api = client_for(user)
    assert api.get("/api/v1/action-items/").json()["results"] == []
    assert api.get(f"/api/v1/action-items/{open_item.pk}/").status_code == 404
    assert api.get("/api/v1/minutes/").json()["results"] == []
    assert api.get(f"/api/v1/minutes/{meeting.pk}/").status_code == 404
    assert api.get("/api/v1/minutes-items/").json()["results"] == []
    assert api.get("/api/v1/supervision-feedback/").json()["results"] == []
    assert api.get(f"/api/v1/supervision-feedback/{feedback.pk}/").status_code == 404
    detail = api.get(f"/api/v1/meetings/{meeting.pk}/")
    assert detail.status_code == 200 and detail.json()["agenda"] == [] and detail.json()["place"] == "Sala Primer 1"


def test_the_owners_case_staff_read_the_record_and_the_restricted_case_stays_with_its_team(world, scene):
    meeting, case, open_item, restricted_action, feedback = scene
    colleague = member(Role.CASEWORKER, world.csr_a)  # the owner's caseworker, not on the restricted case
    assigned = world.users[Role.CASEWORKER]  # opened the restricted case: assigned to it

    api = client_for(colleague)
    assert {row["id"] for row in api.get("/api/v1/action-items/").json()["results"]} == {open_item.pk}
    assert api.get(f"/api/v1/action-items/{restricted_action.pk}/").status_code == 404
    assert api.get(f"/api/v1/minutes/{meeting.pk}/").status_code == 200
    assert api.get(f"/api/v1/supervision-feedback/{feedback.pk}/").status_code == 200

    mine = client_for(assigned)
    assert {row["id"] for row in mine.get("/api/v1/action-items/").json()["results"]} == {
        open_item.pk, restricted_action.pk}
    done = mine.post(f"/api/v1/action-items/{restricted_action.pk}/complete/", {"completion_note": "Urađeno"},
                     format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"


@pytest.mark.parametrize("role", [Role.INSTITUTION_ADMIN, Role.OFFICIAL])
def test_only_case_staff_can_be_made_responsible(world, scene, role, verified_client):
    """Nobody is named responsible for an item they could not open: the owner's institution admin or
    official is neither offered on the page nor accepted by the API."""
    meeting, case, open_item, _restricted, _feedback = scene
    item = open_item.agenda_item
    outsider = world.users[role]
    api = client_for(world.users[Role.COORDINATOR])
    answer = api.post("/api/v1/action-items/", {
        "agenda_item": item.pk, "description": "Testni zadatak", "owner_institution": world.csr_a.pk,
        "responsible": outsider.pk, "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }, format="json")
    assert answer.status_code == 400 and list(answer.json()) == ["responsible"]

    page = verified_client(world.users[Role.COORDINATOR]).get(
        reverse("conferences:minutes_item", args=[meeting.pk, item.pk]))
    assert f'<option value="{outsider.pk}"' not in page.content.decode()
    assert f'<option value="{world.users[Role.CASEWORKER].pk}"' in page.content.decode()


@pytest.mark.parametrize("role", [Role.INSTITUTION_ADMIN, Role.OFFICIAL])
def test_no_conference_page_or_api_shows_them_case_content(world, scene, role, verified_client):
    """Every conference page and API list a user without a case role can open: none shows the case's
    number, the action, the discussion, the minutes' notes or the supervisor's notes."""
    meeting, case, open_item, _restricted, feedback = scene
    user = world.users[role]
    secrets = [case.number, CASE_TEXT, "Rasprava o slučaju", "Opšte beleške", "Supervizijska beleška",
               "Ograničen", f"/cases/{case.pk}/"]
    pages = [reverse("conferences:meeting_list"), reverse("conferences:meeting_list") + "?when=past",
             reverse("conferences:meeting_detail", args=[meeting.pk]), reverse("conferences:meeting_ics", args=[meeting.pk]),
             reverse("conferences:calendar_month"), reverse("conferences:calendar_week"),
             reverse("conferences:calendar_feeds"), reverse("conferences:actions") + "?status=all",
             reverse("conferences:targets"), "/"]
    client = verified_client(user)
    opened = 0
    for url in pages:
        response = client.get(url)
        if response.status_code == 200:
            opened += 1
            body = response.content.decode()
            assert not [s for s in secrets if s in body], url
    api = client_for(user)
    for url in ("/api/v1/meetings/", f"/api/v1/meetings/{meeting.pk}/", "/api/v1/minutes/", "/api/v1/minutes-items/",
                "/api/v1/action-items/", "/api/v1/supervision-feedback/", "/api/v1/conference-targets/"):
        response = api.get(url)
        if response.status_code == 200:
            opened += 1
            body = response.content.decode()
            assert not [s for s in secrets if s in body], url
            assert f'"id":{open_item.pk},"meeting"' not in body.replace(" ", "")
    assert opened >= 10
