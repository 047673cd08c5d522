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


@pytest.mark.django_db
def test_material_change_stock_and_certificate_revocation_through_the_api(world):
    from apps.events.models import Certificate, Material
    from apps.events.services import materials as material_services

    coordinator = world.users[Role.COORDINATOR]
    api = api_for(coordinator)
    material = material_services.material_create(user=coordinator, municipality=world.mun_a, title="Plakat API (test)",
                                                 kind="poster", copies=5)
    url = f"/api/v1/materials/{material.pk}/"
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"audience": "Škole"}, format="json").status_code == 428
    ok = api.patch(url, {"audience": "Škole"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["audience"] == "Škole"
    assert api.patch(url, {"audience": "Domovi zdravlja"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert Material.objects.get(pk=material.pk).audience == "Škole"
    refused = api.post(f"{url}stock/", {"copies": 0, "received_on": timezone.localdate().isoformat()}, format="json")
    assert refused.status_code == 400 and "copies" in refused.json()
    added = api.post(f"{url}stock/", {"copies": 15, "received_on": timezone.localdate().isoformat(),
                                      "note": "Dostava API (test)"}, format="json")
    assert added.status_code == 201 and api.get(url).json()["stock_left"] == 20
    other = api_for(world.users["other_municipality"][Role.COORDINATOR])
    assert other.post(f"{url}stock/", {"copies": 1, "received_on": "2026-01-05"}, format="json").status_code == 404
    # A certificate revoked through the API, with the reason required.
    event = held(plan(world, staff=[world.users[Role.CASEWORKER]]))
    participant = Participant.objects.get(event=event)
    participant.attended = True
    participant.save()
    certificate = Certificate.objects.create(participant=participant, event=event, municipality=world.mun_a,
                                             language="sr-latn", issued_at=event.starts_at)
    revoke = f"/api/v1/event-certificates/{certificate.pk}/revoke/"
    assert api.post(revoke, {}, format="json").status_code == 400
    done = api.post(revoke, {"reason": "Pogrešni sati (test)"}, format="json")
    assert done.status_code == 200 and done.json()["revoked_at"] and done.json()["revoked_reason"] == "Pogrešni sati (test)"
    holder = api_for(world.users[Role.CASEWORKER])
    assert holder.get(f"/api/v1/event-certificates/{certificate.pk}/").json()["revoked_at"]
    assert holder.post(revoke, {"reason": "x"}, format="json").status_code == 404
    assert other.get(f"/api/v1/event-certificates/{certificate.pk}/").status_code == 404
