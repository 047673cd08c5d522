"""Moving between pages of the meeting list keeps the chosen filter (page and API)."""
import datetime
import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.conferences.choices import MeetingKind
from apps.conferences.views.meetings import PAGE_SIZE

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_past(world):
    """PAGE_SIZE + 2 past case conferences and a few past supervision meetings of municipality A."""
    coordinator = world.users["coordinator"]
    now = timezone.now()
    conferences = [
        MeetingFactory(municipality=world.mun_a, created_by=coordinator, starts_at=now - timedelta(days=2 + n),
                       ends_at=now - timedelta(days=2 + n) + timedelta(hours=1), place=f"Sala konferencija {n}")
        for n in range(PAGE_SIZE + 2)
    ]
    supervision = [
        MeetingFactory(municipality=world.mun_a, created_by=coordinator, kind=MeetingKind.SUPERVISION,
                       starts_at=now - timedelta(days=1, hours=n), ends_at=now - timedelta(days=1, hours=n) + timedelta(minutes=30),
                       place=f"Sala supervizije {n}")
        for n in range(3)
    ]
    return conferences, supervision


def pager_links(body: str) -> dict[str, str]:
    nav = re.search(r'<nav class="pager".*?</nav>', body, re.S)
    assert nav, "the list has a pager"
    return {rel: unescape(href) for href, rel in re.findall(r'<a href="([^"]+)" rel="(prev|next)"', nav.group(0))}


def test_the_pager_keeps_when_and_kind(many_past, world, verified_client):
    conferences, supervision = many_past
    client = verified_client(world.users["coordinator"])
    url = reverse("conferences:meeting_list")

    first = client.get(url, {"when": "past", "kind": MeetingKind.CASE_CONFERENCE}, HTTP_ACCEPT_LANGUAGE="en")
    next_link = pager_links(first.content.decode())["next"]
    assert next_link == f"?when=past&kind={MeetingKind.CASE_CONFERENCE}&page=2"

    second = client.get(url + next_link, HTTP_ACCEPT_LANGUAGE="en")
    body = second.content.decode()
    assert [m.pk for m in second.context["meetings"]] == [m.pk for m in conferences[PAGE_SIZE:]]
    assert all(f"Sala supervizije {n}" not in body for n in range(len(supervision)))
    assert pager_links(body)["prev"] == f"?when=past&kind={MeetingKind.CASE_CONFERENCE}&page=1"
    # The filter links start again at the first page.
    assert "page=" not in re.search(r'<nav class="filters".*?</nav>', body, re.S).group(0)


def test_the_api_cursor_keeps_the_filter(many_past, world):
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    conferences, _supervision = many_past
    _instance, key = AuthToken.objects.create(user=world.users["coordinator"], expiry=datetime.timedelta(days=1))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    seen, url = [], f"/api/v1/meetings/?kind={MeetingKind.CASE_CONFERENCE}&page_size=10"
    while url:
        data = api.get(url).json()
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
        if url:
            assert f"kind={MeetingKind.CASE_CONFERENCE}" in url and "page_size=10" in url

    assert sorted(seen) == sorted(m.pk for m in conferences)
