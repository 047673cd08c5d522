"""The events API: plan, change with If-Match (428 without, 412 on a stale version), refusals as 400
naming the field, attendance only for the event's runners and only after it happened, materials and
distributions, another municipality 404."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.choices import Role
from apps.events.models import Participant
from apps.events.services import events as services
from tests.conferences.test_meetings_api import api_for

from .helpers import held, plan


@pytest.mark.django_db
def test_plan_change_and_conflict(world):
    api = api_for(world.users[Role.COORDINATOR])
    start = timezone.now() + timedelta(days=10)
    body = {"kind": "expert_meeting", "title": "Stručni sastanak API", "municipality": world.mun_a.pk,
            "starts_at": start.isoformat(), "ends_at": (start - timedelta(hours=1)).isoformat()}
    response = api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 400 and "ends_at" in response.json()
    body["ends_at"] = (start + timedelta(hours=2)).isoformat()
    response = api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 201, response.json()
    event_id, etag = response.json()["id"], response["ETag"]
    assert response.json()["municipalities"] == [world.mun_a.pk]
    assert api.patch(f"/api/v1/events/{event_id}/", {"place": "Sala API"}, format="json").status_code == 428
    ok = api.patch(f"/api/v1/events/{event_id}/", {"place": "Sala API"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["sequence"] == 1
    stale = api.patch(f"/api/v1/events/{event_id}/", {"place": "Druga sala"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    other = api_for(world.users["other_municipality"][Role.COORDINATOR])
    assert other.get(f"/api/v1/events/{event_id}/").status_code == 404
    assert event_id not in [row["id"] for row in other.get("/api/v1/events/").json()["results"]]


@pytest.mark.django_db
def test_attendance_api(world):
    coordinator = world.users[Role.COORDINATOR]
    event = plan(world, outside=[services.Outside("Učesnica API")])
    participant = Participant.objects.get(event=event)
    api = api_for(coordinator)
    response = api.post(f"/api/v1/events/{event.pk}/attendance/", {"present": [participant.pk]}, format="json")
    assert response.status_code == 400 and "happened" in str(response.json())
    held(event)
    response = api.post(f"/api/v1/events/{event.pk}/attendance/", {"present": [participant.pk],
                                                                   "hours": {str(participant.pk): "4.5"}}, format="json")
    assert response.status_code == 200 and response.json()[0]["attended"] is True
    assert response.json()[0]["hours"] == "4.5"
    rows = api.get("/api/v1/event-participants/").json()["results"]
    assert [r["id"] for r in rows] == [participant.pk]
    assert api_for(world.users[Role.CASEWORKER]).get("/api/v1/event-participants/").json()["results"] == []
    other = api_for(world.users["other_municipality"][Role.COORDINATOR])
    assert other.get(f"/api/v1/event-participants/{participant.pk}/").status_code == 404


@pytest.mark.django_db
def test_materials_and_distribution_api(world):
    api = api_for(world.users[Role.COORDINATOR])
    response = api.post("/api/v1/materials/", {"municipality": world.mun_a.pk, "title": "Brošura API",
                                               "kind": "brochure", "languages": ["sr-latn"], "copies": 20},
                        format="json")
    assert response.status_code == 201 and response.json()["stock_left"] == 20
    material = response.json()["id"]
    today = timezone.localdate().isoformat()
    response = api.post("/api/v1/material-distributions/", {"material": material, "info_desk": "Pult API",
                                                             "copies": -2, "distributed_on": today}, format="json")
    assert response.status_code == 400 and "copies" in response.json()
    response = api.post("/api/v1/material-distributions/", {"material": material, "info_desk": "Pult API",
                                                             "copies": 5, "distributed_on": today}, format="json")
    assert response.status_code == 201
    assert api.get(f"/api/v1/materials/{material}/").json()["stock_left"] == 15
    caseworker = api_for(world.users[Role.CASEWORKER])
    assert caseworker.post("/api/v1/materials/", {"municipality": world.mun_a.pk, "title": "X", "kind": "poster"},
                           format="json").status_code == 403
    assert api_for(world.users["other_municipality"][Role.CASEWORKER]).get(
        f"/api/v1/materials/{material}/").status_code == 404
