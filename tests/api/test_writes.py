"""Writes over the API go through the services, are audited and respect the scopes."""
import pytest

from apps.accounts.models import Membership
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

NEW_MUNICIPALITY = {
    "name": "Novi Testgrad",
    "name_cyrl": "Нови Тестград",
    "code": "NTG",
    "slug": "novi-testgrad",
    "kind": "municipality",
    "size_class": "large",
}


@pytest.mark.django_db
def test_platform_admin_creates_a_municipality(world, token_client):
    response = token_client(world.platform_admin).post("/api/v1/municipalities/", NEW_MUNICIPALITY, format="json")
    assert response.status_code == 201, response.content
    municipality = Municipality.objects.get(code="NTG")
    assert municipality.conference_cadence_months == 1  # large municipalities meet monthly
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="municipalities.municipality",
                                     object_id=str(municipality.pk), actor=world.platform_admin).exists()


@pytest.mark.django_db
def test_bad_municipality_data_names_the_field_and_saves_nothing(world, token_client):
    data = {**NEW_MUNICIPALITY, "code": "N1"}
    response = token_client(world.platform_admin).post("/api/v1/municipalities/", data, format="json")
    assert response.status_code == 400
    assert "code" in response.json()
    assert not Municipality.objects.filter(slug="novi-testgrad").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_members_cannot_create_or_change_municipalities(world, token_client, role):
    client = token_client(world.users[role])
    assert client.post("/api/v1/municipalities/", NEW_MUNICIPALITY, format="json").status_code == 403
    response = client.patch(f"/api/v1/municipalities/{world.mun_a.pk}/", {"district": "X"}, format="json")
    assert response.status_code == 404
    world.mun_a.refresh_from_db()
    assert world.mun_a.district != "X"


@pytest.mark.django_db
def test_platform_admin_updates_a_municipality(world, token_client):
    response = token_client(world.platform_admin).patch(
        f"/api/v1/municipalities/{world.mun_b.pk}/", {"district": "Izmišljeni okrug"}, format="json"
    )
    assert response.status_code == 200
    world.mun_b.refresh_from_db()
    assert world.mun_b.district == "Izmišljeni okrug"


@pytest.mark.django_db
def test_institution_admin_changes_only_own_institution(world, token_client):
    client = token_client(world.users[Role.INSTITUTION_ADMIN])
    response = client.patch(f"/api/v1/institutions/{world.csr_a.pk}/", {"phone": "011 000 111"}, format="json")
    assert response.status_code == 200, response.content
    world.csr_a.refresh_from_db()
    assert world.csr_a.phone == "011 000 111"
    for other in (world.police_a, world.csr_b):
        response = client.patch(f"/api/v1/institutions/{other.pk}/", {"phone": "011 999 999"}, format="json")
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.phone != "011 999 999"
    # the municipality of an institution is not moved by an update
    client.patch(f"/api/v1/institutions/{world.csr_a.pk}/", {"municipality": world.mun_b.pk}, format="json")
    world.csr_a.refresh_from_db()
    assert world.csr_a.municipality_id == world.mun_a.pk


@pytest.mark.django_db
def test_only_platform_admins_create_institutions(world, token_client):
    data = {"municipality": world.mun_a.pk, "type": "ngo", "name": "Udruženje Testna Podrška"}
    assert token_client(world.users[Role.INSTITUTION_ADMIN]).post(
        "/api/v1/institutions/", data, format="json"
    ).status_code == 403
    response = token_client(world.platform_admin).post("/api/v1/institutions/", data, format="json")
    assert response.status_code == 201, response.content
    assert Institution.objects.filter(name="Udruženje Testna Podrška", municipality=world.mun_a).exists()
    duplicate = token_client(world.platform_admin).post("/api/v1/institutions/", data, format="json")
    assert duplicate.status_code == 400


@pytest.mark.django_db
def test_institution_admin_adds_and_ends_memberships_of_own_institution(world, token_client):
    admin = world.users[Role.INSTITUTION_ADMIN]
    client = token_client(admin)
    caseworker = world.users[Role.CASEWORKER]
    response = client.post(
        "/api/v1/memberships/",
        {"user": caseworker.pk, "institution": world.csr_a.pk, "role": Role.SUPERVISOR},
        format="json",
    )
    assert response.status_code == 201, response.content
    membership = Membership.objects.get(pk=response.json()["id"])
    assert membership.role == Role.SUPERVISOR and membership.created_by == admin

    # another institution, even in the same municipality, or someone they cannot see: refused
    for data in (
        {"user": caseworker.pk, "institution": world.police_a.pk, "role": Role.CASEWORKER},
        {"user": caseworker.pk, "institution": world.csr_b.pk, "role": Role.CASEWORKER},
        {"user": world.users["other_municipality"][Role.CASEWORKER].pk, "institution": world.csr_a.pk,
         "role": Role.CASEWORKER},
    ):
        response = client.post("/api/v1/memberships/", data, format="json")
        assert response.status_code == 400
    assert not Membership.objects.filter(user=caseworker, institution__in=[world.police_a, world.csr_b]).exists()

    response = client.post(f"/api/v1/memberships/{membership.pk}/end/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_ENDED, object_id=str(membership.pk)).exists()

    police = world.users["police_caseworker"].memberships.get()
    assert client.post(f"/api/v1/memberships/{police.pk}/end/").status_code == 404
    police.refresh_from_db()
    assert police.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICIAL])
def test_other_roles_cannot_add_or_end_memberships(world, token_client, role):
    client = token_client(world.users[role])
    response = client.post(
        "/api/v1/memberships/",
        {"user": world.users[role].pk, "institution": world.csr_a.pk, "role": Role.INSTITUTION_ADMIN},
        format="json",
    )
    assert response.status_code == 403
    own = world.users[role].memberships.get()
    assert client.post(f"/api/v1/memberships/{own.pk}/end/").status_code == 404
    own.refresh_from_db()
    assert own.is_active


@pytest.mark.django_db
def test_platform_admin_adds_membership_anywhere(world, token_client):
    user = world.users[Role.CASEWORKER]
    response = token_client(world.platform_admin).post(
        "/api/v1/memberships/", {"user": user.pk, "institution": world.csr_b.pk, "role": Role.OFFICIAL}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Membership.objects.filter(user=user, institution=world.csr_b, role=Role.OFFICIAL, is_active=True).exists()


@pytest.mark.django_db
def test_api_writes_and_reads_the_cyrillic_name(world, token_client):
    client = token_client(world.platform_admin)
    response = client.post("/api/v1/institutions/", {
        "municipality": world.mun_a.pk, "type": "ngo", "name": "Udruženje Testni Most",
        "name_cyrl": "Удружење Тестни Мост",
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name_cyrl"] == "Удружење Тестни Мост"
    response = client.patch(f"/api/v1/institutions/{response.json()['id']}/", {"name_cyrl": ""}, format="json")
    assert response.status_code == 200
    assert response.json()["name_cyrl"] == "Удружење Тестни Мост"  # emptied: the transliteration again
