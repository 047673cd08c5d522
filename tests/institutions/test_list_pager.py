"""The institution list's pager: page links keep every other query parameter; pages stay in the user's scope."""
import re
from html import unescape

import pytest
from django.urls import reverse

from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.institutions.views import InstitutionListView
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

PAGE_SIZE = InstitutionListView.paginate_by
URL = reverse("institutions:list")
# The list has no filter form yet; whatever parameters the page was opened with must survive paging.
PARAMS = {"type": InstitutionType.NGO.value, "q": "Udruženje"}
KEPT = "type=ngo&q=Udru%C5%BEenje"


def pager_links(body: str) -> dict[str, str]:
    """The Previous/Next links of the pager, unescaped."""
    nav = re.search(r'<nav class="pager".*?</nav>', body, re.S)
    assert nav, "the list has a pager"
    return {label: unescape(href) for href, label in re.findall(r'<a href="([^"]+)">(Previous|Next)</a>', nav.group(0))}


@pytest.fixture
def many_in_a(world):
    """More than one page of institutions in municipality A (plus CSR A and police A)."""
    return InstitutionFactory.create_batch(PAGE_SIZE + 2, municipality=world.mun_a, type=InstitutionType.NGO)


def test_page_two_keeps_the_parameters_and_the_scope(many_in_a, world, verified_client):
    client = verified_client(world.users["coordinator"])
    expected = list(Institution.objects.filter(municipality=world.mun_a).values_list("pk", flat=True))
    assert len(expected) > PAGE_SIZE

    first = client.get(URL, PARAMS, HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 200
    links = pager_links(first.content.decode())
    assert links == {"Next": f"?{KEPT}&page=2"}

    second = client.get(URL + links["Next"], HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 200
    body = second.content.decode()
    assert [i.pk for i in second.context["object_list"]] == expected[PAGE_SIZE:]
    # The page parameter is replaced, not repeated, and the others come along.
    assert pager_links(body) == {"Previous": f"?{KEPT}&page=1"}
    assert "Page 2 of 2" in body

    shown = [i.pk for i in first.context["object_list"]] + [i.pk for i in second.context["object_list"]]
    assert shown == expected
    assert world.csr_b.name not in first.content.decode() + body


def test_without_other_parameters_the_links_carry_only_the_page(many_in_a, world, verified_client):
    client = verified_client(world.users["coordinator"])
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert pager_links(body) == {"Next": "?page=2"}


def test_a_single_page_has_no_pager(world, verified_client):
    client = verified_client(world.users["coordinator"])
    body = client.get(URL, PARAMS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<nav class="pager"' not in body
    assert world.csr_a.name in body and world.csr_b.name not in body
