"""The protocols API: If-Match on agreements and answers, refusals as field errors, suppressed compliance
cells; the renewal reminder's second stage; the compliance export."""
from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.choices import Role
from apps.protocols.choices import AgreementStatus
from apps.protocols.models import AgreementReminder, AssessmentResponse
from apps.protocols.services.agreements import agreement_save, party_add, party_sign
from apps.protocols.services.assessment import round_open
from apps.protocols.services.reminders import agreement_reminders_send


def client_for(user):
    from knox.models import AuthToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=user, expiry=timedelta(days=1))[1]}")
    return client


def test_agreements_change_only_with_if_match_and_refuse_bad_validity(world):
    client = client_for(world.users[Role.COORDINATOR])
    today = timezone.localdate()
    bad = client.post("/api/v1/agreements/", {"title": "API sporazum", "subject": "S", "valid_from": str(today),
                                              "valid_until": str(today - timedelta(days=1))}, format="json")
    assert bad.status_code == 400 and "valid_until" in bad.json()
    created = client.post("/api/v1/agreements/", {"title": "API sporazum", "subject": "S"}, format="json")
    assert created.status_code == 201
    url = f"/api/v1/agreements/{created.json()['id']}/"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"title": "Novo"}, format="json").status_code == 428
    assert client.patch(url, {"title": "Novo"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(url, {"title": "Opet"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert client_for(world.users["other_municipality"][Role.COORDINATOR]).get(url).status_code == 404


def test_answers_outside_the_scale_are_refused_and_a_submission_needs_every_item(world, national):
    _template, checklist = national
    today = timezone.localdate()
    round_ = round_open(user=world.users[Role.COORDINATOR], municipality=world.mun_a, checklist=checklist, title="R",
                        period_from=today - timedelta(days=10), period_to=today, deadline=today + timedelta(days=5),
                        institutions=[world.csr_a])
    response = AssessmentResponse.objects.get(round=round_)
    client = client_for(world.users[Role.INSTITUTION_ADMIN])
    url = f"/api/v1/assessment-answers/{response.pk}/"
    etag = client.get(url)["ETag"]
    items = list(checklist.items.values_list("pk", flat=True))
    bad = client.post(url + "answers/", {"answers": [{"item": items[0], "value": "maybe"}]}, format="json",
                      HTTP_IF_MATCH=etag)
    assert bad.status_code == 400
    partial = client.post(url + "answers/", {"answers": [{"item": items[0], "value": "yes"}], "submit": True},
                          format="json", HTTP_IF_MATCH=etag)
    assert partial.status_code == 400 and "non_field_errors" in partial.json()  # every item must be answered
    etag = client.get(url)["ETag"]
    done = client.post(url + "answers/", {"answers": [{"item": i, "value": "na"} for i in items], "submit": True},
                       format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    closed = client_for(world.users[Role.COORDINATOR])
    assert closed.post(f"/api/v1/assessment-rounds/{round_.pk}/close/").status_code == 200
    again = closed.post(f"/api/v1/assessment-rounds/{round_.pk}/close/")
    assert again.status_code == 400 and "Krug je već zatvoren." in str(again.json())  # in the user's language


def test_the_compliance_api_suppresses_for_officials(world):
    official = client_for(world.users[Role.OFFICIAL]).get("/api/v1/protocol-compliance/?measure=police_notified")
    assert official.status_code == 200 and official.json()["suppressed"] is True
    coordinator = client_for(world.users[Role.COORDINATOR]).get("/api/v1/protocol-compliance/")
    assert coordinator.json()["suppressed"] is False
    assert client_for(world.users[Role.CASEWORKER]).get("/api/v1/protocol-compliance/").status_code == 404


def test_reminders_at_60_and_30_days_once_each(world):
    coordinator = world.users[Role.COORDINATOR]
    today = timezone.localdate()
    agreement = agreement_save(user=coordinator, municipality=world.mun_a, title="Ističe", subject="S",
                               valid_from=today - timedelta(days=300), valid_until=today + timedelta(days=50))
    party = party_add(user=coordinator, agreement=agreement, institution=world.csr_a)
    party_sign(user=coordinator, party=party, signed_on=today - timedelta(days=300), signatory_name="D")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
    assert agreement_reminders_send(today=today) == 1
    assert agreement_reminders_send(today=today + timedelta(days=5)) == 0
    assert agreement_reminders_send(today=today + timedelta(days=21)) == 1  # 29 days left: the 30-day stage
    assert sorted(AgreementReminder.objects.values_list("days_before", flat=True)) == [30, 60]


def test_the_compliance_export(world, login):
    client = login(world.users[Role.OFFICIAL])
    csv = client.get(reverse("protocols:compliance_export", args=["csv"]) + "?measure=csr_first_reaction")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    xlsx = client.get(reverse("protocols:compliance_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
