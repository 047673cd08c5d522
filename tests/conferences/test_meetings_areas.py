"""Platform admins create and edit coordination areas; nobody else reaches the pages."""
import pytest
from django.urls import reverse

from apps.conferences.models import AreaMember, AreaMunicipality, CoordinationArea
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from tests.cases.factories import english  # noqa: F401
from tests.factories import InstitutionFactory, MunicipalityFactory


@pytest.mark.django_db
def test_platform_admin_creates_an_area_over_two_municipalities(world, verified_client):
    prosecutor = InstitutionFactory(municipality=world.mun_a, type=InstitutionType.PROSECUTOR, name="OJT Testgrad")
    elsewhere = InstitutionFactory(municipality=MunicipalityFactory(), name="Ustanova van područja")
    client = verified_client(world.platform_admin)
    url = reverse("conferences:area_create")
    body = {"name": "Područje OJT Testgrad", "municipality": world.mun_a.pk, "prosecutor_office": prosecutor.pk,
            "municipalities": [world.mun_b.pk], "institutions": [prosecutor.pk, world.csr_b.pk, elsewhere.pk],
            "meeting_interval_days": 15, "is_active": "on"}
    response = client.post(url, body)
    assert response.status_code == 200
    assert "Ustanova van područja" in response.context["form"].errors["institutions"][0]
    assert not CoordinationArea.objects.exists()
    body["institutions"] = [prosecutor.pk, world.csr_b.pk]
    assert client.post(url, body).status_code == 302
    area = CoordinationArea.objects.get()
    assert set(AreaMunicipality.objects.filter(area=area).values_list("municipality_id", flat=True)) == {
        world.mun_a.pk, world.mun_b.pk}
    assert set(AreaMember.objects.filter(area=area).values_list("institution_id", flat=True)) == {
        prosecutor.pk, world.csr_b.pk}
    # Editing drops a municipality and a member institution.
    body.update(municipalities=[], institutions=[prosecutor.pk])
    assert client.post(reverse("conferences:area_edit", kwargs={"pk": area.pk}), body).status_code == 302
    assert list(AreaMunicipality.objects.filter(area=area).values_list("municipality_id", flat=True)) == [world.mun_a.pk]
    assert list(AreaMember.objects.filter(area=area).values_list("institution_id", flat=True)) == [prosecutor.pk]


@pytest.mark.django_db
def test_area_pages_are_404_for_municipal_roles(world, verified_client):
    client = verified_client(world.users[Role.COORDINATOR])
    assert client.get(reverse("conferences:area_list")).status_code == 404
    assert client.get(reverse("conferences:area_create")).status_code == 404
