"""The minutes API: a participant sees only the cases they are entitled to, writes go through the
services with errors naming the field, approving twice is refused, the routes are in the schema."""
import datetime
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.conferences.models import ActionItem, Meeting
from tests.cases.factories import assess, english  # noqa: F401 - fixture
from tests.cases.factories_measures import join

from .factories import InviteeFactory
from .factories_minutes import make_case, on_agenda, past_meeting

pytestmark = pytest.mark.django_db


def client_for(user):
    from knox.models import AuthToken

    _instance, key = AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def meeting_world(world):
    coordinator = world.users["coordinator"]
    meeting = past_meeting(world.mun_a, created_by=coordinator, days_ago=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    shared = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    join(shared, world.police_a, added_by=world.users["caseworker"])
    private = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    assess(world.users["caseworker"], private)
    shared_item = on_agenda(meeting, shared, discussion="Zajednički slučaj")
    private_item = on_agenda(meeting, private, discussion="Samo za CSR")
    InviteeFactory(meeting=meeting, user=world.users["police_caseworker"])
    return meeting, shared_item, private_item


def test_a_participant_sees_only_the_cases_they_are_entitled_to(meeting_world, world):
    meeting, shared_item, private_item = meeting_world
    police = client_for(world.users["police_caseworker"])

    minutes = police.get(f"/api/v1/minutes/{meeting.pk}/")
    items = police.get(f"/api/v1/minutes-items/?meeting={meeting.pk}")

    assert minutes.status_code == 200
    parts = minutes.json()["parts"]
    assert [p["redacted"] for p in parts] == [False, True]
    assert parts[1]["item"] is None and "Samo za CSR" not in minutes.content.decode()
    assert [row["id"] for row in items.json()["results"]] == [shared_item.pk]
    assert police.get(f"/api/v1/minutes-items/{private_item.pk}/").status_code == 404
    # The coordinator runs the meeting and sees every part.
    coordinator = client_for(world.users["coordinator"])
    assert [p["redacted"] for p in coordinator.get(f"/api/v1/minutes/{meeting.pk}/").json()["parts"]] == [False, False]
    # Another municipality: nothing.
    stranger = client_for(world.users["other_municipality"]["coordinator"])
    assert stranger.get(f"/api/v1/minutes/{meeting.pk}/").status_code == 404


def test_recording_approving_and_approving_twice(meeting_world, world):
    meeting, _shared_item, private_item = meeting_world
    api = client_for(world.users["coordinator"])

    no_reason = api.patch(f"/api/v1/minutes-items/{private_item.pk}/", {"discussed": True, "risk_level": "high"}, format="json")
    assert no_reason.status_code == 400 and "risk_reason" in no_reason.json()
    saved = api.patch(f"/api/v1/minutes-items/{private_item.pk}/",
                      {"discussed": True, "risk_level": "high", "risk_reason": "Pretnje nožem."}, format="json")
    assert saved.status_code == 200 and saved.json()["risk_level"] == "high"
    general = api.patch(f"/api/v1/minutes/{meeting.pk}/", {"general_notes": "Sednica održana."}, format="json")
    assert general.status_code == 200 and general.json()["general_notes"] == "Sednica održana."

    approved = api.post(f"/api/v1/minutes/{meeting.pk}/approve/")
    twice = api.post(f"/api/v1/minutes/{meeting.pk}/approve/")

    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["meeting_status"] == "held"
    assert twice.status_code == 400 and "already approved" in " ".join(twice.json()["status"])
    no_reason = api.post(f"/api/v1/minutes/{meeting.pk}/amendments/", {"text": "Ispravka", "reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    amended = api.post(f"/api/v1/minutes/{meeting.pk}/amendments/",
                       {"text": "Ispravka datuma", "reason": "Greška u kucanju", "agenda_item": private_item.pk},
                       format="json")
    assert amended.status_code == 201


def test_action_items_over_the_api(meeting_world, world):
    meeting, shared_item, _private_item = meeting_world
    api = client_for(world.users["coordinator"])
    good = {"agenda_item": shared_item.pk, "description": "Obilazak porodice", "owner_institution": world.police_a.pk,
            "due_on": (timezone.localdate() + timedelta(days=5)).isoformat()}

    no_owner = api.post("/api/v1/action-items/", {**good, "owner_institution": None}, format="json")
    past = api.post("/api/v1/action-items/", {**good, "due_on": "2020-01-01"}, format="json")
    created = api.post("/api/v1/action-items/", good, format="json")

    assert no_owner.status_code == 400 and "owner_institution" in no_owner.json()
    assert past.status_code == 400 and "due_on" in past.json()
    assert created.status_code == 201 and ActionItem.objects.count() == 1
    police = client_for(world.users["police_caseworker"])
    pk = created.json()["id"]
    assert [row["id"] for row in police.get("/api/v1/action-items/").json()["results"]] == [pk]
    empty = police.post(f"/api/v1/action-items/{pk}/complete/", {"completion_note": ""}, format="json")
    done = police.post(f"/api/v1/action-items/{pk}/complete/", {"completion_note": "Obavljeno."}, format="json")
    assert empty.status_code == 400 and "completion_note" in empty.json()
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_routes_are_in_the_schema(world):
    api = client_for(world.users["coordinator"])
    schema = api.get("/api/schema/?format=json").content.decode()
    for route in ("/api/v1/minutes/{id}/approve/", "/api/v1/minutes-items/", "/api/v1/action-items/{id}/complete/",
                  "/api/v1/supervision-feedback/", "/api/v1/conference-targets/", "/api/v1/minutes/{id}/prepare-agenda/"):
        assert route in schema, route
