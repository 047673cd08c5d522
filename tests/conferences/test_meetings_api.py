"""The meetings API: create, list, retrieve, reschedule with If-Match, respond; another municipality is 404."""
from __future__ import annotations

import datetime

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.conferences.choices import InvitationResponse, MeetingStatus
from apps.conferences.models import Meeting
from apps.core.choices import Role
from tests.cases.factories import english  # noqa: F401
from tests.cases.factories_measures import make_case
from tests.conferences.factories import AgendaItemFactory, next_week_at

from .test_meetings import schedule


def api_for(user) -> APIClient:
    _instance, key = AuthToken.objects.create(user=user, expiry=datetime.timedelta(hours=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.mark.django_db
def test_create_list_retrieve_and_scoping(world):
    coordinator = api_for(world.users[Role.COORDINATOR])
    body = {
        "kind": "case_conference", "municipality": world.mun_a.pk, "starts_at": next_week_at(10).isoformat(),
        "ends_at": next_week_at(11).isoformat(), "place": "Sala API", "institutions": [world.police_a.pk],
        "chair": world.users[Role.CASEWORKER].pk,
        "outside": [{"name": "Testna Primer", "email": "zrtva.api@example.test", "role": "victim"}],
    }
    response = coordinator.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["warnings"] == [] and data["status"] == "scheduled" and response["ETag"]
    assert "Testna Primer" not in response.content.decode() and "zrtva.api" not in response.content.decode()
    assert any(i["outside"] for i in data["invitees"])
    meeting_id = data["id"]
    # Same chair, overlapping: created with a warning.
    second = coordinator.post("/api/v1/meetings/", {**body, "outside": [], "place": "Sala 2"}, format="json")
    assert second.status_code == 201 and len(second.json()["warnings"]) == 1

    listed = coordinator.get("/api/v1/meetings/").json()["results"]
    assert {row["id"] for row in listed} == {meeting_id, second.json()["id"]}
    assert coordinator.get(f"/api/v1/meetings/{meeting_id}/").status_code == 200

    other = api_for(world.users["other_municipality"][Role.COORDINATOR])
    assert other.get(f"/api/v1/meetings/{meeting_id}/").status_code == 404
    assert other.get("/api/v1/meetings/").json()["results"] == []
    assert other.post(f"/api/v1/meetings/{meeting_id}/respond/", {"response": "accepted"}, format="json").status_code == 404
    # Scheduling for another municipality: the field is named, nothing saved.
    refused = other.post("/api/v1/meetings/", {**body, "outside": []}, format="json")
    assert refused.status_code == 400 and "municipality" in refused.json()
    assert Meeting.objects.count() == 2
    # Those who do not run meetings cannot schedule.
    assert api_for(world.users[Role.CASEWORKER]).post("/api/v1/meetings/", body, format="json").status_code == 403


@pytest.mark.django_db
def test_bad_times_are_named(world):
    coordinator = api_for(world.users[Role.COORDINATOR])
    response = coordinator.post("/api/v1/meetings/", {
        "kind": "case_conference", "municipality": world.mun_a.pk, "starts_at": next_week_at(12).isoformat(),
        "ends_at": next_week_at(11).isoformat(), "place": "Sala",
    }, format="json")
    assert response.status_code == 400 and "ends_at" in response.json()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_reschedule_needs_if_match_and_respond_records_the_answer(world):
    meeting = schedule(world, institutions=[world.police_a])
    coordinator = api_for(world.users[Role.COORDINATOR])
    url = f"/api/v1/meetings/{meeting.pk}/"
    assert coordinator.patch(url, {"place": "Sala 9"}, format="json").status_code == 428
    etag = coordinator.get(url)["ETag"]
    moved = coordinator.patch(url, {"starts_at": next_week_at(15).isoformat(), "ends_at": next_week_at(16).isoformat()},
                              format="json", HTTP_IF_MATCH=etag)
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    assert coordinator.patch(url, {"place": "Sala 9"}, format="json", HTTP_IF_MATCH=etag).status_code == 412

    police = api_for(world.users["police_caseworker"])
    answer = police.post(f"{url}respond/", {"response": "declined", "note": "Teren"}, format="json")
    assert answer.status_code == 200 and answer.json()["response"] == InvitationResponse.DECLINED
    assert meeting.invitees.get(institution=world.police_a).response_note == "Teren"

    cancelled = coordinator.post(f"{url}cancel/", {"reason": "Test"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == MeetingStatus.CANCELLED


@pytest.mark.django_db
def test_retrieve_shows_only_visible_agenda_items_and_counts_the_rest(world):
    meeting = schedule(world, institutions=[world.csr_a, world.police_a])
    csr_case = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
    police_case = make_case(institution=world.police_a, opened_by=world.users["police_caseworker"])
    AgendaItemFactory(meeting=meeting, case=csr_case)
    AgendaItemFactory(meeting=meeting, case=police_case)
    data = api_for(world.users["police_caseworker"]).get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert [a["case_number"] for a in data["agenda"]] == [police_case.number]
    assert data["agenda_hidden_count"] == 1
    added = api_for(world.users[Role.COORDINATOR]).post(
        f"/api/v1/meetings/{meeting.pk}/agenda/", {"number": "NEMA-1"}, format="json")
    assert added.status_code == 400 and "number" in added.json()
