"""The OpenAPI schema describes what the API sends: every GET list and detail operation is called
with real data of every kind present, and each 200 answer is validated against the operation's
response schema (objects closed: a field sent but not described is a mismatch too)."""
from __future__ import annotations

import copy
import re

import pytest
from django.db import transaction
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from rest_framework.test import APIClient

from apps.core.choices import Role

# Lists whose default view would hide rows: the variants that show them (each one is validated).
LIST_VARIANTS = {
    "/api/v1/cases/": [{}, {"scope": "all"}, {"scope": "institution"}, {"q": "Matrica"}, {"page_size": 1}],
    "/api/v1/referrals/": [{}, {"box": "incoming"}],
}
# Aggregates for coordinators and officials only (404 for a caseworker).
AGGREGATES = {"/api/v1/conference-targets/", "/api/v1/protocol-compliance/",
              # The dashboards' figures: for those who read them (the national ones for national readers).
              "/api/v1/report-figures/", "/api/v1/report-figures/national/"}
# Lists a caseworker has no rows in by design (the questionnaires are their coordinators', officials'
# and institution admins'); the coordinator's run checks their rows.
NOT_FOR_CASEWORKERS = {"/api/v1/survey-collections/", "/api/v1/survey-questionnaires/", "/api/v1/report-runs/"}
# Operations answered with a file, not JSON.
NOT_JSON = {"/api/v1/attachments/{id}/download/"}
# Answered to machine tokens only; tests/interlink/test_schema.py validates them with one.
MACHINE_ONLY = "/api/v1/interlink/"


def closed(schema):
    """The schema with every described object closed to undescribed properties."""
    if isinstance(schema, dict):
        schema = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [closed(value) for value in schema]
    return schema


@pytest.fixture(scope="module")
def spec():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def validator_for(spec, path: str, method: str = "get"):
    response = spec["paths"][path][method]["responses"]["200"]
    media = response.get("content", {}).get("application/json")
    assert media is not None, f"{method.upper()} {path}: the 200 answer has no JSON schema"
    root = {**copy.deepcopy(media["schema"]), "components": closed(copy.deepcopy(spec.get("components", {})))}
    if spec["openapi"].startswith("3.0"):
        return OAS30ReadValidator(root, format_checker=oas30_format_checker)
    return OAS31Validator(root, format_checker=oas31_format_checker)


def client_of(api_world, role) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_world._tokens[api_world.users[role].pk]}")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(params=[Role.COORDINATOR, Role.CASEWORKER])
def coordinator(api_world, db, request):
    """The coordinator (everything of the municipality) and the caseworker (their own work queue)."""
    variety(api_world)
    client = client_of(api_world, request.param)
    client.role = request.param
    return client


def variety(w) -> None:
    """Rows whose optional fields are set (the matrix world leaves most of them empty): a closed
    case, an overdue plan measure, an answered referral, approved minutes, a withdrawn consent."""
    if getattr(w, "_variety", False):
        return
    w._variety = True
    from datetime import timedelta

    from django.utils import timezone

    from apps.cases.choices import CaseStatus, ClosureReason
    from apps.cases.models import PlanMeasure
    from apps.cases.services import cases as case_services
    from apps.cases.services import consent as consent_services
    from apps.cases.services import referrals as referral_services
    from apps.conferences.models import Minutes
    from tests.security.matrix import OWN, SAME

    made = w.cases_made
    caseworker, coordinator = w.users[Role.CASEWORKER], w.users[Role.COORDINATOR]
    PlanMeasure.objects.filter(pk=made[OWN]["plan_measure"].pk).update(
        deadline=timezone.localdate() - timedelta(days=3))
    consent_services.consent_withdraw(user=caseworker, consent=made[OWN]["consent"], withdrawn_at=None)
    referral = made[SAME]["referral"]
    ngo_staff = w.base.users["police_caseworker"]
    referral_services.referral_withdraw(user=ngo_staff, referral=referral)
    case = made[SAME]["case"]
    for status in (CaseStatus.ASSESSMENT, CaseStatus.CLOSED):
        case.refresh_from_db()
        case_services.case_change_status(user=coordinator, case=case, expected_version=case.version,
                                         to_status=status, closure_reason=ClosureReason.OTHER, note="")
    Minutes.objects.filter(meeting=w.minutes["meeting"][OWN]).update(
        approved_at=timezone.now(), approved_by=coordinator, status="approved")


def get(client, url, params=None):
    with transaction.atomic():
        response = client.get(url, params)
        transaction.set_rollback(True)
    return response


def errors_of(validator, data) -> list[str]:
    return sorted({
        f"{'/'.join('*' if isinstance(p, int) else str(p) for p in error.absolute_path) or '(root)'}: "
        f"{error.message[:300]}"
        for error in validator.iter_errors(data)
    })


def rows_of(data) -> list:
    if isinstance(data, dict) and "results" in data:
        return data["results"]
    return data if isinstance(data, list) else []


def test_every_get_answer_matches_its_schema(spec, coordinator, api_world):
    paths = [p for p, ops in spec["paths"].items()
             if "get" in ops and p not in NOT_JSON and not p.startswith(MACHINE_ONLY)]
    lists = [p for p in paths if "{" not in p]
    details = [p for p in paths if "{" in p]
    problems, checked, ids = {}, 0, {}
    for path in lists:
        validator = validator_for(spec, path)
        for params in LIST_VARIANTS.get(path, [{}]):
            response = get(coordinator, path, params)
            if response.status_code == 404 and path in AGGREGATES:
                continue
            assert response.status_code == 200, f"GET {path} {params}: {response.status_code}"
            data = response.json()
            for error in errors_of(validator, data):
                problems.setdefault(f"GET {path}: {error}", None)
            checked += 1
            for row in rows_of(data):
                if isinstance(row, dict) and isinstance(row.get("id"), int):
                    ids.setdefault(path, set()).add(row["id"])
    empty = [p for p in lists if p not in ids and p not in ("/api/v1/me/", "/api/v1/work-queue/", *AGGREGATES)
             and not (p in NOT_FOR_CASEWORKERS and coordinator.role == Role.CASEWORKER)]
    assert not empty, f"lists without rows, so their rows were not checked: {empty}"
    for path in details:
        collection = re.sub(r"\{id\}/.*$", "", path)
        assert "{" not in collection, path
        validator = validator_for(spec, path)
        for pk in sorted(ids.get(collection, ()))[:6]:
            url = path.replace("{id}", str(pk))
            response = get(coordinator, url)
            if response.status_code == 404:
                continue  # listed under a wider scope than the detail's (e.g. minutes of a meeting one sees)
            assert response.status_code == 200, f"GET {url}: {response.status_code}"
            for error in errors_of(validator, response.json()):
                problems.setdefault(f"GET {path}: {error}", None)
            checked += 1
    assert checked > 40
    assert not problems, "\n".join(problems)
