"""Pages of signed-in users and every API answer tell browsers and shared caches not to keep them."""
from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.choices import Role
from tests.cases.factories import add_person, open_case


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def case(world):
    worker = world.users[Role.CASEWORKER]
    made = open_case(worker)
    add_person(worker, made)
    return made


def test_signed_in_pages_are_not_stored(verified_client, world, case):
    client = verified_client(world.users[Role.CASEWORKER])
    pages = [
        reverse("core:home"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:person_add", args=[case.pk]),
        reverse("accounts:profile"),
        "/api/v1/cases/",
        f"/api/v1/cases/{case.pk}/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), f"{path}: {response.get('Cache-Control')!r}"
        assert "private" in response["Cache-Control"], path


def test_answers_that_are_not_pages_are_not_stored_either(verified_client, world, case):
    """Redirects, refusals and form errors of a signed-in user carry the same header."""
    client = verified_client(world.users[Role.CASEWORKER])
    other = open_case(world.users["other_municipality"][Role.CASEWORKER])
    for path, status in [
        (reverse("cases:detail", args=[other.pk]), 404),
        (f"/api/v1/cases/{other.pk}/", 404),
        (reverse("accounts:otp_verify"), 302),
    ]:
        response = client.get(path)
        assert response.status_code == status, path
        assert _no_store(response), path


def test_api_answers_with_a_token_are_not_stored(world, case):
    from knox.models import AuthToken

    _token, key = AuthToken.objects.create(user=world.users[Role.CASEWORKER], expiry=timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for path in ["/api/v1/cases/", f"/api/v1/cases/{case.pk}/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _no_store(response), path
        assert response["Pragma"] == "no-cache"


def test_api_refusals_to_anonymous_callers_are_not_stored(client, db):
    response = client.get("/api/v1/cases/")
    assert response.status_code in (401, 403)
    assert _no_store(response)


def test_a_page_that_sets_its_own_no_store_keeps_it(client, db):
    """The login page is marked by Django itself (never_cache): its stricter header stays as it is."""
    response = client.get(reverse("accounts:login"))
    assert _no_store(response)
    assert "must-revalidate" in response["Cache-Control"]
