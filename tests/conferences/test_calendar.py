"""Month and week calendars, and the private calendar feed."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.conferences.models import CalendarFeed
from apps.conferences.services.invitations import feed_create, feed_revoke
from apps.core.choices import Role
from tests.cases.factories import english  # noqa: F401
from tests.cases.factories_measures import make_case
from tests.conferences.factories import AgendaItemFactory, InviteeFactory, MeetingFactory, belgrade


def _meeting(world, day, hour=10, **kwargs):
    kwargs.setdefault("municipality", world.mun_a)
    kwargs.setdefault("created_by", world.users[Role.COORDINATOR])
    return MeetingFactory(starts_at=belgrade(day, hour), ends_at=belgrade(day, hour + 1), **kwargs)


@pytest.mark.django_db
def test_month_view_places_meetings_on_their_days_and_navigates(world, verified_client):
    today = timezone.localdate()
    first = today.replace(day=1)
    day = first + timedelta(days=14)
    mine = _meeting(world, day, place="Sala meseca")
    _meeting(world, day, municipality=world.mun_b, created_by=world.users["other_municipality"][Role.COORDINATOR],
             place="Sala druge opštine")
    client = verified_client(world.users[Role.COORDINATOR])
    response = client.get(reverse("conferences:calendar_month"), {"month": first.strftime("%Y-%m")})
    assert response.status_code == 200
    grid = response.context["grid"]
    cells = {cell.day: cell for week in grid["weeks"] for cell in week}
    assert [m.pk for m in cells[day].meetings] == [mine.pk]
    assert all(len(week) == 7 for week in grid["weeks"]) and grid["weeks"][0][0].day.weekday() == 0
    body = response.content.decode()
    assert reverse("conferences:meeting_detail", kwargs={"pk": mine.pk}) in body
    assert f"?month={grid['previous']:%Y-%m}" in body and f"?month={grid['next']:%Y-%m}" in body
    assert (grid["next"] - first).days in (28, 29, 30, 31)
    # A month later the meeting is not there; a nonsense month falls back to this month.
    later = client.get(reverse("conferences:calendar_month"), {"month": grid["next"].strftime("%Y-%m")})
    assert all(not c.meetings for w in later.context["grid"]["weeks"] for c in w if c.in_month)
    assert client.get(reverse("conferences:calendar_month"), {"month": "2026-13"}).context["grid"]["first"] == first


@pytest.mark.django_db
def test_week_view_shows_seven_days_with_the_users_meetings(world, verified_client):
    day = timezone.localdate() + timedelta(days=2)
    meeting = _meeting(world, day, hour=9)
    InviteeFactory(meeting=meeting, user=None, institution=world.police_a)
    hidden = _meeting(world, day, hour=13)  # no CSR invitation: a CSR caseworker does not see it
    client = verified_client(world.users["police_caseworker"])
    response = client.get(reverse("conferences:calendar_week"), {"day": day.isoformat()})
    grid = response.context["grid"]
    assert len(grid["days"]) == 7 and grid["days"][0].day.weekday() == 0
    shown = [m.pk for d in grid["days"] for m in d.meetings]
    assert shown == [meeting.pk] and hidden.pk not in shown
    body = response.content.decode()
    assert f"?day={grid['previous']:%Y-%m-%d}" in body and f"?day={grid['next']:%Y-%m-%d}" in body


@pytest.mark.django_db
def test_feed_token_serves_only_the_users_meetings_until_revoked(world, client, caplog):
    caseworker = world.users[Role.CASEWORKER]
    day = timezone.localdate() + timedelta(days=5)
    invited = _meeting(world, day, place="Sala pozvana")
    InviteeFactory(meeting=invited, user=caseworker)
    case = make_case(institution=world.csr_a, opened_by=caseworker)
    AgendaItemFactory(meeting=invited, case=case)
    not_mine = _meeting(world, day, hour=14, place="Sala tuđa")  # the coordinator's, caseworker not invited
    other = _meeting(world, day, municipality=world.mun_b, created_by=world.users["other_municipality"][Role.COORDINATOR],
                     place="Sala druge opštine")
    InviteeFactory(meeting=other, user=None, institution=world.csr_b)

    feed, token = feed_create(user=caseworker, name="Telefon")
    assert feed.token_hash != token and token not in feed.token_hash and feed.token_hint == token[:6]
    url = reverse("conferences:calendar_feed", kwargs={"token": token})
    with caplog.at_level(logging.DEBUG):
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    assert uids == {invited.uid}
    body = response.content.decode()
    assert case.number not in body and not_mine.uid not in body and other.uid not in body
    assert caseworker.email not in body
    assert CalendarFeed.objects.get(pk=feed.pk).last_used_at is not None

    feed_revoke(user=caseworker, feed_id=feed.pk)
    with caplog.at_level(logging.DEBUG):
        assert client.get(url).status_code == 404
        assert client.get(reverse("conferences:calendar_feed", kwargs={"token": "x" * 40})).status_code == 404
    assert token not in caplog.text and "x" * 40 not in caplog.text


@pytest.mark.django_db
def test_feed_page_shows_the_address_once_and_revokes(world, verified_client):
    user = world.users[Role.SUPERVISOR]
    client = verified_client(user)
    response = client.post(reverse("conferences:calendar_feeds"), {"name": "Kalendar"})
    new_url = response.context["new_url"]
    assert "/conferences/calendar/feed/" in new_url
    again = client.get(reverse("conferences:calendar_feeds")).content.decode()
    assert new_url not in again  # shown only once
    feed = CalendarFeed.objects.get(user=user)
    # Someone else cannot revoke it.
    other = verified_client(world.users[Role.CASEWORKER])
    assert other.post(reverse("conferences:calendar_feed_revoke", kwargs={"pk": feed.pk})).status_code == 404
    client = verified_client(user)
    assert client.post(reverse("conferences:calendar_feed_revoke", kwargs={"pk": feed.pk})).status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    token = new_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(reverse("conferences:calendar_feed", kwargs={"token": token})).status_code == 404
