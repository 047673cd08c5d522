"""The municipality list's pager: page links keep every other query parameter; members see only their own."""
import re
from html import unescape

import pytest
from django.urls import reverse

from apps.municipalities.models import Municipality
from apps.municipalities.views import MunicipalityListView
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

PAGE_SIZE = MunicipalityListView.paginate_by
URL = reverse("municipalities:list")
# The list has no filter form yet; whatever parameters the page was opened with must survive paging.
PARAMS = {"size_class": "small", "district": "Testni okrug"}
KEPT = "size_class=small&district=Testni+okrug"


def pager_links(body: str) -> dict[str, str]:
    """The Previous/Next links of the pager, unescaped."""
    nav = re.search(r'<nav class="pager".*?</nav>', body, re.S)
    assert nav, "the list has a pager"
    return {label: unescape(href) for href, label in re.findall(r'<a href="([^"]+)">(Previous|Next)</a>', nav.group(0))}


@pytest.fixture
def many(world):
    """More than one page of municipalities (A and B included)."""
    return MunicipalityFactory.create_batch(PAGE_SIZE + 2)


def test_page_two_keeps_the_parameters(many, world, verified_client):
    client = verified_client(world.platform_admin)
    expected = list(Municipality.objects.values_list("pk", flat=True))
    assert len(expected) > PAGE_SIZE

    first = client.get(URL, PARAMS, HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 200
    links = pager_links(first.content.decode())
    assert links == {"Next": f"?{KEPT}&page=2"}

    second = client.get(URL + links["Next"], HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 200
    body = second.content.decode()
    assert [m.pk for m in second.context["object_list"]] == expected[PAGE_SIZE:]
    assert pager_links(body) == {"Previous": f"?{KEPT}&page=1"}
    assert "Page 2 of 2" in body
    assert [m.pk for m in first.context["object_list"]] + [m.pk for m in second.context["object_list"]] == expected


def test_a_member_sees_only_their_municipality_and_no_pager(many, world, verified_client):
    client = verified_client(world.users["coordinator"])
    response = client.get(URL, PARAMS, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert [m.pk for m in response.context["object_list"]] == [world.mun_a.pk]
    assert '<nav class="pager"' not in body
    assert world.mun_b.name not in body and many[0].name not in body
