"""The case list's parameters (apps/cases/filters.py) mean the same on the list page, in its export
and in the API: asked the same question (tab x filters x search text), the three give the same cases
(the export leaves restricted cases out, as it always does). Bad input names the field in the
user's language."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.cases.choices import CaseStatus, RiskLevel, ViolenceForm
from apps.cases.filters import CaseListFilter, default_scope
from apps.cases.models import Case, CaseUserGrant
from apps.core.grants import grant_object_permission

from .factories_records import assign, incident, join, make_case, person

pytestmark = pytest.mark.django_db

TABS = ("mine", "institution", "all", "shared")
SURNAME = "Filtrović"
CASE_LINK = re.compile(r'href="[^"]*/cases/(\d+)/"')


def _days_ago(n, hours=0):
    return timezone.now() - timedelta(days=n, hours=hours)


@pytest.fixture
def varied(world):
    """Cases of both municipalities, led by either institution of A, joined, assigned, restricted, of
    every status and level, some with physical violence; most have a victim named Filtrović (the
    search finds them in every script), one of B is shared with the caseworker of A by a grant."""
    csr, police = world.users["caseworker"], world.users["police_caseworker"]
    made = []
    for i in range(12):
        lead = world.csr_a if i % 3 else world.police_a
        opener = csr if lead == world.csr_a else police
        case = make_case(
            institution=lead, opened_by=opener, reported_at=_days_ago(i, hours=i),
            status=[CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING, CaseStatus.CLOSED][i % 3],
            risk_level=[RiskLevel.HIGH, RiskLevel.LOW, RiskLevel.MEDIUM][i % 3],
            is_restricted=i in (2, 7),
        )
        if i % 4 == 1:
            join(case, world.police_a if lead == world.csr_a else world.csr_a, added_by=opener)
        if i % 5 == 0 or i == 7:
            assign(case, csr, institution=world.csr_a)
        if i % 2 == 0:
            incident(case, forms=[ViolenceForm.PHYSICAL], recorded_by=opener)
        if i != 9:
            person(case, "Ana", SURNAME)
        made.append(case)
    other_user = world.users["other_municipality"]["caseworker"]
    for i in range(2):
        other = make_case(institution=world.csr_b, opened_by=other_user, reported_at=_days_ago(i))
        person(other, "Ana", SURNAME)
        made.append(other)
    grant_object_permission(
        grant_model=CaseUserGrant, obj=made[-1], codename="view_case", user=csr, granted_by=other_user,
        reason="Upućivanje (test)",
    )
    csr.refresh_access()
    return made


def _page_client(user) -> Client:
    client = Client()
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies["kzn_language"] = "en"
    return client


def _api_client(user, language="en") -> APIClient:
    _token, key = AuthToken.objects.create(user=user, expiry=timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=language)
    return client


def _page_and_export(client, scope: str, params: dict) -> tuple[set[int], set[int]]:
    """Post the filters as the page does, read the list it redirects to and the export it links."""
    response = client.post(f"/cases/?scope={scope}", params)
    assert response.status_code == 302, response.content[:300]
    listed = client.get(response["Location"])
    assert listed.status_code == 200
    body = listed.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    page_ids = {int(pk) for pk in CASE_LINK.findall(body)}
    key = re.search(r"[?&]f=([^&]+)", response["Location"])
    export = client.get("/cases/export/", {"format": "csv", "scope": scope, **({"f": key.group(1)} if key else {})})
    assert export.status_code == 200
    numbers = [row[0] for row in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))][1:]
    export_ids = set(Case.objects.filter(number__in=numbers).values_list("pk", flat=True))
    assert len(export_ids) == len(numbers)
    return page_ids, export_ids


def _api(client, scope: str, params: dict) -> set[int]:
    response = client.get("/api/v1/cases/", {"scope": scope, "page_size": 200, **params})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["next"] is None
    return {row["id"] for row in body["results"]}


def _questions(world, varied):
    today = timezone.localdate()
    filters = [
        {},
        {"status": CaseStatus.MONITORING},
        {"risk_level": RiskLevel.HIGH},
        {"form": ViolenceForm.PHYSICAL},
        {"reported_from": (today - timedelta(days=6)).isoformat(), "reported_to": (today - timedelta(days=1)).isoformat()},
        {"institution": world.police_a.pk},
    ]
    number_prefix = varied[0].number.rsplit("-", 1)[0]  # every case of A this year
    for q, used in (("", filters), (SURNAME, filters), ("Филтровић", filters[:2]), (number_prefix, filters[2:4])):
        for extra in used:
            yield {**({"q": q} if q else {}), **extra}


@pytest.mark.parametrize("role", ["caseworker", "police_caseworker", "coordinator"])
def test_page_export_and_api_give_the_same_cases(world, varied, role):
    user = world.users[role]
    page_client, api_client = _page_client(user), _api_client(user)
    restricted = {c.pk for c in varied if c.is_restricted}
    compared = searched = 0
    for scope in TABS:
        for params in _questions(world, varied):
            page_ids, export_ids = _page_and_export(page_client, scope, params)
            api_ids = _api(api_client, scope, params)
            assert api_ids == page_ids, (role, scope, params)
            assert export_ids == page_ids - restricted, (role, scope, params)
            compared += len(page_ids)
            searched += len(page_ids) if params.get("q") else 0
    assert compared > 50 and searched > 20  # the questions have answers: not a comparison of empty lists


def test_a_search_is_narrowed_by_the_tab_and_the_filters_everywhere(world, varied):
    user = world.users["caseworker"]
    page_client, api_client = _page_client(user), _api_client(user)
    everything = _api(api_client, "institution", {"q": SURNAME})
    monitoring = _api(api_client, "institution", {"q": SURNAME, "status": CaseStatus.MONITORING})
    assert monitoring and monitoring < everything
    assert all(Case.objects.get(pk=pk).status == CaseStatus.MONITORING for pk in monitoring)
    assert _api(api_client, "shared", {"q": SURNAME}) == {varied[-1].pk}
    assert _page_and_export(page_client, "shared", {"q": SURNAME}) == ({varied[-1].pk}, {varied[-1].pk})


def test_without_a_tab_everyone_starts_where_the_page_starts(world, varied):
    for role in ("caseworker", "coordinator"):
        user = world.users[role]
        expected = _api(_api_client(user), default_scope(user), {})
        response = _api_client(user).get("/api/v1/cases/", {"page_size": 200})
        assert {row["id"] for row in response.json()["results"]} == expected
    assert default_scope(world.users["coordinator"]) == "all" and default_scope(world.users["caseworker"]) == "mine"


@pytest.mark.parametrize("language,expected", [
    ("en", "Enter a valid date."),
    ("sr-latn", "Unesite ispravan datum."),
    ("sr-cyrl", "Унесите исправан датум."),
])
def test_bad_input_names_the_field_in_the_users_language(world, language, expected):
    client = _api_client(world.users["coordinator"], language)
    response = client.get("/api/v1/cases/", {"scope": "all", "reported_from": "31.02.2026"})
    assert response.status_code == 400
    assert response.json() == {"reported_from": [expected]}
    # The earlier name is still accepted, and its error names the field as it was sent.
    response = client.get("/api/v1/cases/", {"scope": "all", "reported_after": "31.02.2026"})
    assert response.json() == {"reported_after": [expected]}
    response = client.get("/api/v1/cases/", {"reported_from": "2026-11-20", "reported_to": "2026-11-01"})
    assert response.status_code == 400 and list(response.json()) == ["reported_to"]
    response = client.get("/api/v1/cases/", {"status": "nonsense", "scope": "everything"})
    assert response.status_code == 400 and set(response.json()) == {"status", "scope"}


def test_another_municipalitys_institution_is_not_a_choice(world):
    client = _api_client(world.users["coordinator"])
    response = client.get("/api/v1/cases/", {"institution": world.csr_b.pk})
    assert response.status_code == 400 and list(response.json()) == ["institution"]
    assert client.get("/api/v1/cases/", {"institution": world.police_a.pk}).status_code == 200


def test_the_filterset_reads_the_pages_saved_filters_and_the_apis_lists_alike(world):
    user = world.users["coordinator"]
    saved = CaseListFilter({"status": CaseStatus.MONITORING, "reported_from": "01.11.2026"}, user=user)
    assert saved.is_valid(), saved.errors
    query_string = QueryDict("status=monitoring&status=closed&reported_from=2026-11-01&scope=institution")
    api = CaseListFilter(query_string, user=user)
    assert api.is_valid(), api.errors
    assert saved.query().filters["status"] == [CaseStatus.MONITORING]
    assert api.query().filters["status"] == [CaseStatus.MONITORING, CaseStatus.CLOSED]
    assert saved.query().filters["reported_from"] == api.query().filters["reported_from"]
    assert (saved.query().scope, api.query().scope) == ("all", "institution")
    assert saved.saved_data() == {"status": CaseStatus.MONITORING, "reported_from": "01.11.2026"}
