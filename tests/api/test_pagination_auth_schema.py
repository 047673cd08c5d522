"""Cursor pages, token and session authentication, the schema and the docs page."""
import datetime
import re

import pytest
from django.core.management import call_command

from apps.core.choices import Role
from tests.factories import MunicipalityFactory


@pytest.mark.django_db
def test_cursor_pagination_returns_next_links_and_stable_pages(world, token_client):
    MunicipalityFactory.create_batch(6)
    client = token_client(world.platform_admin)
    seen, url, pages = [], "/api/v1/municipalities/?page_size=3", 0
    first_page = client.get(url).json()
    assert first_page["next"] and first_page["previous"] is None
    assert "count" not in first_page  # no COUNT over the table
    while url:
        data = client.get(url).json()
        again = client.get(url).json()
        assert [r["id"] for r in data["results"]] == [r["id"] for r in again["results"]]
        seen.extend(r["id"] for r in data["results"])
        url = data["next"]
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    assert seen == sorted(seen, reverse=True)


@pytest.mark.django_db
def test_token_authentication(world, token_client, api):
    user = world.users[Role.CASEWORKER]
    assert token_client(user).get("/api/v1/me/").status_code == 200
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token-value")
    assert api.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_expired_and_revoked_tokens_are_refused(world, token_client):
    from knox.models import AuthToken

    user = world.users[Role.CASEWORKER]
    expired = token_client(user, expiry=datetime.timedelta(seconds=-1))
    assert expired.get("/api/v1/me/").status_code == 401
    revoked = token_client(user)
    assert revoked.get("/api/v1/me/").status_code == 200
    AuthToken.objects.filter(user=user).delete()
    assert revoked.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_inactive_user_token_is_refused(world, token_client):
    user = world.users[Role.CASEWORKER]
    client = token_client(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_session_without_second_factor_is_refused(world, client, verified_client):
    caseworker = world.users[Role.CASEWORKER]
    client.force_login(caseworker)
    response = client.get("/api/v1/institutions/")
    assert response.status_code in (401, 403)
    assert "CSR Testgrad A" not in response.content.decode()
    verified = verified_client(caseworker)
    assert verified.get("/api/v1/institutions/").status_code == 200


def test_schema_generates_without_warnings(db, tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in ("/api/v1/municipalities/", "/api/v1/institutions/{id}/", "/api/v1/memberships/{id}/end/",
                 "/api/v1/me/"):
        assert path in text
    assert "tokenAuth" in text


@pytest.mark.django_db
def test_schema_needs_authentication(world, token_client, api):
    assert api.get("/api/schema/").status_code == 401
    assert token_client(world.platform_admin).get("/api/schema/").status_code == 200


@pytest.mark.django_db
def test_docs_page_uses_only_local_static_files_and_no_inline_script(world, verified_client, client):
    assert client.get("/api/docs/").status_code == 302  # anonymous: to the login page
    response = verified_client(world.platform_admin).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(u.endswith("redoc.standalone.js") for u in urls)
    for url in urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
    assert all(u.startswith("/static/") for u in re.findall(r'src="([^"]+)"', html))
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert "<style" not in html and "style=" not in html
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
