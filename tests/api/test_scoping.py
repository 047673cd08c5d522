"""Reads over the API never cross municipalities; objects out of scope are 404."""
import pytest

from apps.core.choices import Role


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_other_municipality_institution_is_404_and_never_listed(world, token_client, role):
    client = token_client(world.users[role])
    listed = ids(client.get("/api/v1/institutions/"))
    assert listed == {world.csr_a.pk, world.police_a.pk}
    assert client.get(f"/api/v1/institutions/{world.csr_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/institutions/{world.csr_a.pk}/").status_code == 200
    # filtering by the other municipality gives nothing, not an error
    assert ids(client.get(f"/api/v1/institutions/?municipality={world.mun_b.pk}")) == set()


@pytest.mark.django_db
def test_municipalities_are_scoped(world, token_client):
    client = token_client(world.users[Role.CASEWORKER])
    assert ids(client.get("/api/v1/municipalities/")) == {world.mun_a.pk}
    assert client.get(f"/api/v1/municipalities/{world.mun_b.pk}/").status_code == 404
    admin = token_client(world.platform_admin)
    assert ids(admin.get("/api/v1/municipalities/")) >= {world.mun_a.pk, world.mun_b.pk}


@pytest.mark.django_db
def test_memberships_are_scoped(world, token_client):
    caseworker = world.users[Role.CASEWORKER]
    own = caseworker.memberships.get()
    assert ids(token_client(caseworker).get("/api/v1/memberships/")) == {own.pk}

    coordinator_ids = ids(token_client(world.users[Role.COORDINATOR]).get("/api/v1/memberships/"))
    police = world.users["police_caseworker"].memberships.get()
    other = world.users["other_municipality"][Role.CASEWORKER].memberships.get()
    assert {own.pk, police.pk} <= coordinator_ids
    assert other.pk not in coordinator_ids

    admin_ids = ids(token_client(world.users[Role.INSTITUTION_ADMIN]).get("/api/v1/memberships/"))
    assert own.pk in admin_ids and police.pk not in admin_ids and other.pk not in admin_ids
    assert token_client(world.users[Role.INSTITUTION_ADMIN]).get(f"/api/v1/memberships/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_me_shows_the_user_and_roles(world, token_client):
    user = world.users[Role.COORDINATOR]
    data = token_client(user).get("/api/v1/me/").json()
    assert data["email"] == user.email
    assert data["roles"] == [Role.COORDINATOR]
    assert data["memberships"][0]["institution_name"] == "CSR Testgrad A"
    assert data["memberships"][0]["municipality_name"] == "Testgrad A"
