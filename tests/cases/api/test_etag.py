"""No lost edits over the API: GET gives an ETag, changes need If-Match (428 without), and a stale
ETag is refused with 412, the changed fields and the record as it is now."""
from datetime import timedelta

import pytest

from apps.cases.models import Case, CasePerson, EmergencyMeasure, PlanMeasure, ProtectionPlan
from apps.core.choices import Role
from tests.security.matrix import OWN


def etag(response) -> str:
    assert response.status_code in (200, 201), response.content
    return response["ETag"]


@pytest.mark.django_db
def test_case_round_trip(cw, api_as):
    case = cw.case[OWN]
    jelena = api_as(cw.base.users[Role.CASEWORKER])
    marko = api_as(cw.base.users[Role.COORDINATOR])
    url = f"/api/v1/cases/{case.pk}/"
    seen_by_jelena = etag(jelena.get(url))
    seen_by_marko = etag(marko.get(url))
    assert seen_by_jelena == seen_by_marko == f'"case-{case.pk}-{case.version}"'

    response = jelena.patch(url, {"summary": "Jelena's summary"}, format="json", HTTP_IF_MATCH=seen_by_jelena)
    assert response.status_code == 200, response.content
    fresh = response["ETag"]
    assert fresh != seen_by_jelena and fresh == f'"case-{case.pk}-{case.version + 1}"'
    assert response.json()["summary"] == "Jelena's summary"

    # Marko saves on top of the version he loaded: refused, told what changed, shown the current record
    response = marko.patch(url, {"summary": "Marko's summary"}, format="json", HTTP_IF_MATCH=seen_by_marko)
    assert response.status_code == 412
    body = response.json()
    assert "summary" in body["changed_fields"]
    assert body["current"]["summary"] == "Jelena's summary"
    assert body["detail"] and response["ETag"] == fresh
    assert Case.objects.get(pk=case.pk).summary == "Jelena's summary"

    # without If-Match: 428 with a message, nothing saved
    response = marko.patch(url, {"summary": "No header"}, format="json")
    assert response.status_code == 428 and "If-Match" in response.json()["detail"]
    # an ETag of another record is not this one's version
    response = marko.patch(url, {"summary": "Wrong tag"}, format="json", HTTP_IF_MATCH=f'"case-{case.pk + 999}-1"')
    assert response.status_code == 412
    # with the fresh ETag it goes through (a weak form of the tag is accepted too)
    response = marko.patch(url, {"summary": "Marko's summary"}, format="json", HTTP_IF_MATCH="W/" + fresh)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).summary == "Marko's summary"


@pytest.mark.django_db
def test_case_status_needs_the_current_version(cw, api_as):
    case = cw.case[OWN]
    client = api_as(cw.base.users[Role.CASEWORKER])
    tag = etag(client.get(f"/api/v1/cases/{case.pk}/"))
    url = f"/api/v1/cases/{case.pk}/status/"
    assert client.post(url, {"to_status": "assessment"}, format="json").status_code == 428
    response = client.post(url, {"to_status": "assessment"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200 and response.json()["status"] == "assessment"
    response = client.post(url, {"to_status": "closed", "closure_reason": "other"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert "status" in response.json()["changed_fields"]
    assert Case.objects.get(pk=case.pk).status == "assessment"
    # closing without a reason names the field
    response = client.post(url, {"to_status": "closed"}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert response.status_code == 400 and "closure_reason" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix,kind,model,change", [
    ("case-persons", "person", CasePerson, {"first_name": "Promenjeno"}),
    ("plans", "plan", ProtectionPlan, {"monitoring": "Mesečni pregled"}),
    ("plan-measures", "plan_measure", PlanMeasure, {"description": "Promenjena mera"}),
])
def test_versioned_rows_round_trip(cw, api_as, prefix, kind, model, change):
    row = cw.cases_made[OWN][kind]
    first = api_as(cw.base.users[Role.CASEWORKER])
    second = api_as(cw.base.users[Role.COORDINATOR])
    url = f"/api/v1/{prefix}/{row.pk}/"
    tag = etag(first.get(url))
    assert tag == f'"{model._meta.model_name}-{row.pk}-{row.version}"'
    assert first.patch(url, change, format="json").status_code == 428
    response = first.patch(url, change, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != tag
    (field, value), = change.items()
    response = second.patch(url, {field: "Stale edit"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert field in response.json()["changed_fields"]
    assert response.json()["current"][field] == value
    assert getattr(model.objects.get(pk=row.pk), field) == value


@pytest.mark.django_db
def test_emergency_measure_steps_need_if_match(cw, api_as):
    measure = cw.cases_made[OWN]["emergency"]
    client = api_as(cw.base.users[Role.CASEWORKER])
    url = f"/api/v1/emergency-measures/{measure.pk}/"
    tag = etag(client.get(url))
    proposed = (measure.delivered_at + timedelta(minutes=1)).isoformat()
    body = {"extension_proposed_at": proposed}
    assert client.post(url + "propose-extension/", body, format="json").status_code == 428
    response = client.post(url + "propose-extension/", body, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    assert response.json()["court_decision_due"]
    # a second step on the old ETag is refused
    response = client.post(url + "appeal/", {"appeal_filed_at": proposed}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert response.json()["current"]["extension_proposed_at"]
    assert EmergencyMeasure.objects.get(pk=measure.pk).appeal_filed_at is None


@pytest.mark.django_db
def test_plan_measure_status_needs_if_match(cw, api_as):
    measure = cw.cases_made[OWN]["plan_measure"]
    client = api_as(cw.base.users[Role.CASEWORKER])
    url = f"/api/v1/plan-measures/{measure.pk}/"
    tag = etag(client.get(url))
    assert client.post(url + "status/", {"status": "done"}, format="json").status_code == 428
    response = client.post(url + "status/", {"status": "done"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200 and response.json()["completed_at"]
    response = client.post(url + "status/", {"status": "cancelled"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412 and "status" in response.json()["changed_fields"]
    assert PlanMeasure.objects.get(pk=measure.pk).status == "done"
