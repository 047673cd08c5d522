"""The institution list's pager: page links keep every other query parameter; pages stay in the user's scope."""
import pytest
from django.urls import reverse

from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.institutions.views import InstitutionListView
from tests.factories import InstitutionFactory
from tests.pager import pager_links, walk_two_pages

pytestmark = pytest.mark.django_db

PAGE_SIZE = InstitutionListView.paginate_by
URL = reverse("institutions:list")
# The list has no filter form yet; whatever parameters the page was opened with must survive paging.
PARAMS = {"type": InstitutionType.NGO.value, "q": "Udruženje"}
KEPT = "type=ngo&q=Udru%C5%BEenje"


@pytest.fixture
def many_in_a(world):
    """More than one page of institutions in municipality A (plus CSR A and police A)."""
    return InstitutionFactory.create_batch(PAGE_SIZE + 2, municipality=world.mun_a, type=InstitutionType.NGO)


def test_page_two_keeps_the_parameters_and_the_scope(many_in_a, world, verified_client):
    client = verified_client(world.users["coordinator"])
    expected = list(Institution.objects.filter(municipality=world.mun_a).values_list("pk", flat=True))
    assert len(expected) > PAGE_SIZE
    first, second = walk_two_pages(client, URL, PARAMS, KEPT, expected, PAGE_SIZE)
    assert world.csr_b.name not in first + second


def test_without_other_parameters_the_links_carry_only_the_page(many_in_a, world, verified_client):
    client = verified_client(world.users["coordinator"])
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert pager_links(body) == {"Next": "?page=2"}


def test_a_single_page_has_no_pager(world, verified_client):
    client = verified_client(world.users["coordinator"])
    body = client.get(URL, PARAMS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<nav class="pager"' not in body
    assert world.csr_a.name in body and world.csr_b.name not in body
