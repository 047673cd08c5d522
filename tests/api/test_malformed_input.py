"""Malformed input never makes the API answer 500: every route x every method it allows, with a
non-numeric id, an id beyond bigint, and malformed or out-of-range values of every date, id and
cursor parameter the OpenAPI schema declares. A 400 names the parameter; a 404 is JSON too."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import URLPattern
from rest_framework.test import APIClient

from apps.core.choices import Role

BAD_IDS = ("abc", "1x", "-1", str(2**63), str(10**30))
BAD_DATES = (
    "abc", "0000-01-01", "0001-01-01", "10000-01-01", "2026-13-45", "9999-12-31", "31.12.9999",
    "0112-01-24T06:35:35-22:25", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
    "2026-01-01T00:00:00+99:00", "2026-01-01T25:61:00", "-2026-01-01",
)
BAD_NUMBERS = ("abc", str(2**63), "-1", "1e400", "NaN")
BAD_CURSORS = ("garbage", "cD0xMjM=", "cD0yMDI2LTEzLTQ1", "bz05OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "%00")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def api_routes() -> list[tuple[str, str, list[str]]]:
    """(URL template with {name} groups, route name, HTTP methods) of every route under /api/v1/."""
    from config.api_router import urlpatterns

    routes = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        regex = pattern.pattern.regex.pattern
        if "(?P<format>" in regex:
            continue
        template = GROUP.sub(lambda m: "{" + m.group("name") + "}", regex).lstrip("^").rstrip("$")
        callback = pattern.callback
        if getattr(callback, "actions", None):
            methods = [m.upper() for m in callback.actions]
        else:
            view_class = callback.view_class
            methods = [m.upper() for m in view_class.http_method_names if m not in ("options", "head")
                       and hasattr(view_class, m)]
        routes.append(("/api/v1/" + template, pattern.name, methods))
    return routes


def schema_query_parameters() -> dict[tuple[str, str], list[dict]]:
    """(path, METHOD) -> the query parameters the OpenAPI schema declares for it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    table = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            table[(path, method.upper())] = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    return table


def bad_values_for(parameter: dict) -> tuple[str, ...]:
    schema = parameter.get("schema", {})
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    if schema.get("format") in ("date", "date-time"):
        return BAD_DATES
    if schema.get("type") in ("integer", "number"):
        return BAD_NUMBERS
    if parameter["name"] == "cursor":
        return BAD_CURSORS
    if schema.get("enum"):
        return ("not-a-choice",)
    return ()


@pytest.fixture
def coordinator(api_world, db):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_world._tokens[api_world.users[Role.COORDINATOR].pk]}")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def call(client, method: str, url: str, params=None):
    """One request in its own savepoint (a database error must not hide the answers after it)."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, params)
        else:
            response = getattr(client, method.lower())(url, {}, format="json")
        transaction.set_rollback(True)
    return response


def check(response, where: str, parameter: str | None = None) -> list[str]:
    """Problems with one answer (empty when it is a clean refusal or a normal answer)."""
    if response.status_code >= 500:
        return [f"{where}: {response.status_code}"]
    if response.status_code in (400, 404) and not response["Content-Type"].startswith("application/json"):
        return [f"{where}: {response.status_code} is not JSON ({response['Content-Type']})"]
    if response.status_code == 400 and parameter is not None:
        body = response.json()
        if not (isinstance(body, dict) and parameter in body):
            return [f"{where}: 400 does not name {parameter!r}: {body}"]
    return []


def test_every_api_route_refuses_malformed_ids_without_a_server_error(coordinator):
    problems = []
    routes = api_routes()
    assert any("{pk}" in template for template, _name, _methods in routes)
    for template, name, methods in routes:
        groups = re.findall(r"{(\w+)}", template)
        if not groups:
            continue
        for bad in BAD_IDS:
            for group in groups:
                values = {g: (bad if g == group else "1") for g in groups}
                url = template.format(**values)
                for method in methods:
                    response = call(coordinator, method, url)
                    problems += check(response, f"{method} {url} ({name})")
                    if response.status_code not in (400, 404, 405, 428):
                        problems.append(f"{method} {url} ({name}): {response.status_code} for a malformed id")
    assert not problems, "\n".join(problems)


def test_every_declared_query_parameter_refuses_malformed_values_without_a_server_error(coordinator, api_world):
    table = schema_query_parameters()
    case_pk = api_world.case["own"].pk
    problems, tried = [], 0
    for (path, method), parameters in table.items():
        if method != "GET":
            continue
        url = path.replace("{id}", str(case_pk)).replace("{participant_id}", "1")
        for parameter in parameters:
            for bad in bad_values_for(parameter):
                tried += 1
                response = call(coordinator, "GET", url, {parameter["name"]: bad})
                problems += check(response, f"GET {url}?{parameter['name']}={bad}", parameter["name"])
    assert tried > 100
    assert not problems, "\n".join(problems)


def test_the_reported_meeting_date_gets_a_400_naming_the_field(coordinator):
    response = coordinator.get("/api/v1/meetings/", {"starts_before": "0112-01-24T06:35:35-22:25"})
    assert response.status_code == 400
    assert "starts_before" in response.json()
    ok = coordinator.get("/api/v1/meetings/", {"starts_after": "2026-01-01T00:00:00+01:00"})
    assert ok.status_code == 200


def test_a_valid_date_far_away_still_filters(coordinator, api_world):
    from django.utils import timezone

    later = (timezone.now() + timedelta(days=3650)).isoformat()
    response = coordinator.get("/api/v1/meetings/", {"starts_after": later})
    assert response.status_code == 200 and response.json()["results"] == []


def test_referral_answers_with_a_non_numeric_id_are_404_json(coordinator):
    for verb in ("accept", "decline", "withdraw", "complete"):
        response = coordinator.post(f"/api/v1/referrals/x/{verb}/", {}, format="json")
        assert response.status_code == 404
        assert "detail" in response.json()


BAD_BODY_DATES = (
    "9999-12-31", "0001-01-01", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00+14:00",
    "0112-01-24T06:35:35-22:25", "2026-02-30",
)
DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def test_writes_with_dates_out_of_range_are_refused_without_a_server_error(coordinator, api_world):
    """Every API write of the isolation matrix that carries a date or time, as the coordinator on
    their own municipality's row, with each date replaced by one the calendar or database refuses."""
    from django.urls import reverse

    from tests.security.matrix import API, ENTRIES, OWN

    problems, tried = [], 0
    for entry in ENTRIES:
        if entry.kind != API or entry.method not in ("POST", "PATCH", "PUT") or entry.data is None:
            continue
        if entry.scopes is not None and OWN not in entry.scopes:
            continue
        body = entry.data(api_world, OWN)
        if not isinstance(body, dict):
            continue
        url = reverse(entry.name, kwargs=entry.kwargs(api_world, OWN) if entry.kwargs else None)
        for key, value in body.items():
            if not (isinstance(value, str) and DATE_LIKE.match(value)):
                continue
            for bad in BAD_BODY_DATES:
                tried += 1
                with transaction.atomic():
                    response = getattr(coordinator, entry.method.lower())(url, {**body, key: bad}, format="json")
                    transaction.set_rollback(True)
                where = f"{entry.method} {url} {key}={bad}"
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                elif response.status_code == 400 and not isinstance(response.json(), dict):
                    problems.append(f"{where}: 400 without fields: {response.json()}")
    assert tried > 30
    assert not problems, "\n".join(problems)
