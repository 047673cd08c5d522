"""The case API is documented: every route is in the OpenAPI schema, versioned changes with their
If-Match header and their 412 / 428 answers."""
import pytest

from apps.core.choices import Role


@pytest.fixture
def schema(world, api_as):
    response = api_as(world.users[Role.CASEWORKER]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    import json

    return json.loads(response.content)


@pytest.mark.django_db
def test_every_case_route_is_documented(schema):
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/", "/api/v1/cases/{id}/", "/api/v1/cases/{id}/status/", "/api/v1/cases/{id}/team/",
        "/api/v1/cases/{id}/team/{participant_id}/remove/", "/api/v1/cases/{id}/assign/",
        "/api/v1/cases/{id}/propose-conference/", "/api/v1/cases/{id}/timeline/",
        "/api/v1/case-persons/", "/api/v1/incidents/", "/api/v1/risk-assessments/", "/api/v1/consents/{id}/withdraw/",
        "/api/v1/emergency-measures/{id}/propose-extension/", "/api/v1/emergency-measures/{id}/court-decision/",
        "/api/v1/emergency-measures/{id}/appeal/", "/api/v1/breaches/", "/api/v1/protective-measures/{id}/renew/",
        "/api/v1/plans/{id}/", "/api/v1/plan-measures/{id}/status/", "/api/v1/referrals/{id}/accept/",
        "/api/v1/referrals/{id}/decline/", "/api/v1/referrals/{id}/complete/", "/api/v1/referrals/{id}/withdraw/",
        "/api/v1/notes/", "/api/v1/attachments/", "/api/v1/attachments/{id}/download/", "/api/v1/work-queue/",
    ):
        assert path in paths, path


@pytest.mark.django_db
@pytest.mark.parametrize("path,method", [
    ("/api/v1/cases/{id}/", "patch"),
    ("/api/v1/cases/{id}/status/", "post"),
    ("/api/v1/case-persons/{id}/", "patch"),
    ("/api/v1/plans/{id}/", "put"),
    ("/api/v1/plan-measures/{id}/", "patch"),
    ("/api/v1/plan-measures/{id}/status/", "post"),
    ("/api/v1/emergency-measures/{id}/court-decision/", "post"),
])
def test_versioned_changes_document_if_match(schema, path, method):
    operation = schema["paths"][path][method]
    headers = [p for p in operation["parameters"] if p["in"] == "header"]
    assert [h["name"] for h in headers] == ["If-Match"] and headers[0]["required"] is True
    assert {"200", "400", "404", "412", "428"} <= set(operation["responses"])


@pytest.mark.django_db
def test_jmbg_is_write_only_in_the_schema(schema):
    components = schema["components"]["schemas"]
    assert "jmbg" in components["CasePersonRequest"]["properties"]
    assert "jmbg" not in components["CasePerson"]["properties"]
    assert "jmbg_masked" in components["CasePerson"]["properties"]
