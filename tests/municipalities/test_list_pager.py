"""The municipality list's pager: page links keep every other query parameter; members see only their own."""
import pytest
from django.urls import reverse

from apps.municipalities.models import Municipality
from apps.municipalities.views import MunicipalityListView
from tests.factories import MunicipalityFactory
from tests.pager import walk_two_pages

pytestmark = pytest.mark.django_db

PAGE_SIZE = MunicipalityListView.paginate_by
URL = reverse("municipalities:list")
# The list has no filter form yet; whatever parameters the page was opened with must survive paging.
PARAMS = {"size_class": "small", "district": "Testni okrug"}
KEPT = "size_class=small&district=Testni+okrug"


@pytest.fixture
def many(world):
    """More than one page of municipalities (A and B included)."""
    return MunicipalityFactory.create_batch(PAGE_SIZE + 2)


def test_page_two_keeps_the_parameters(many, world, verified_client):
    client = verified_client(world.platform_admin)
    expected = list(Municipality.objects.values_list("pk", flat=True))
    assert len(expected) > PAGE_SIZE
    walk_two_pages(client, URL, PARAMS, KEPT, expected, PAGE_SIZE)


def test_a_member_sees_only_their_municipality_and_no_pager(many, world, verified_client):
    client = verified_client(world.users["coordinator"])
    response = client.get(URL, PARAMS, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert [m.pk for m in response.context["object_list"]] == [world.mun_a.pk]
    assert '<nav class="pager"' not in body
    assert world.mun_b.name not in body and many[0].name not in body
