"""The conferences' list parameters are defined once (apps/conferences/filters.py): the action-item
page and the API give the same items for the same ``status`` and ``meeting``, and bad input is a
message naming the parameter, never a silently different list."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.conferences.choices import ActionStatus
from tests.cases.factories import english  # noqa: F401 - fixture

from .factories_minutes import action, make_case, on_agenda, past_meeting
from .test_minutes_api import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    """Items of two meetings of municipality A: open (one overdue), done and cancelled; and one
    item of municipality B's meeting."""
    coordinator = world.users["coordinator"]
    worker = world.users["caseworker"]
    first = past_meeting(world.mun_a, created_by=coordinator, days_ago=3)
    second = past_meeting(world.mun_a, created_by=coordinator, days_ago=1)
    case = make_case(institution=world.csr_a, opened_by=worker)
    a, b = on_agenda(first, case), on_agenda(second, case)
    today = timezone.localdate()
    made = {
        "open": action(a, owner=world.csr_a, created_by=coordinator, description="Otvorena radnja (test)"),
        "overdue": action(a, owner=world.csr_a, created_by=coordinator, description="Zakasnela radnja (test)",
                          due_on=today - timedelta(days=2)),
        "done": action(b, owner=world.csr_a, created_by=coordinator, status=ActionStatus.DONE,
                       description="Obavljena radnja (test)"),
        "cancelled": action(b, owner=world.csr_a, created_by=coordinator, status=ActionStatus.CANCELLED,
                            description="Otkazana radnja (test)"),
    }
    other_coordinator = world.users["other_municipality"]["coordinator"]
    other_meeting = past_meeting(world.mun_b, created_by=other_coordinator, days_ago=1)
    other_case = make_case(institution=world.csr_b, opened_by=world.users["other_municipality"]["caseworker"])
    made["other"] = action(on_agenda(other_meeting, other_case), owner=world.csr_b, created_by=other_coordinator,
                           description="Radnja druge opštine (test)")
    return made, first, second, other_meeting


EXPECTED = {
    "open": {"open", "overdue"},
    "overdue": {"overdue"},
    "done": {"done"},
    "cancelled": {"cancelled"},
    "all": {"open", "overdue", "done", "cancelled"},
}


def page_descriptions(client, params) -> set[str]:
    response = client.get(reverse("conferences:actions"), params)
    assert response.status_code == 200
    body = response.content.decode()
    return {d for d in ("Otvorena", "Zakasnela", "Obavljena", "Otkazana", "druge opštine") if d in body}, body


NAMES = {"open": "Otvorena", "overdue": "Zakasnela", "done": "Obavljena", "cancelled": "Otkazana", "other": "druge opštine"}


@pytest.mark.parametrize("status", sorted(EXPECTED))
def test_the_page_and_the_api_give_the_same_items_for_the_same_status(world, items, login, status):
    made, *_ = items
    coordinator = world.users["coordinator"]
    shown, _body = page_descriptions(login(coordinator), {"status": status})
    api = client_for(coordinator).get("/api/v1/action-items/", {"status": status})
    assert api.status_code == 200
    from_api = {pk for pk in (row["id"] for row in api.json()["results"])}
    assert shown == {NAMES[k] for k in EXPECTED[status]}
    assert from_api == {made[k].pk for k in EXPECTED[status]}


def test_meeting_narrows_both_and_another_municipalitys_meeting_gives_nothing(world, items, login):
    made, first, second, other_meeting = items
    coordinator = world.users["coordinator"]
    shown, body = page_descriptions(login(coordinator), {"status": "all", "meeting": first.pk})
    assert shown == {"Otvorena", "Zakasnela"}
    # The tabs keep the meeting.
    assert f"status=done&amp;meeting={first.pk}" in body
    api = client_for(coordinator)
    assert {r["id"] for r in api.get("/api/v1/action-items/", {"meeting": second.pk}).json()["results"]} == {
        made["done"].pk, made["cancelled"].pk}
    assert api.get("/api/v1/action-items/", {"meeting": other_meeting.pk}).json()["results"] == []
    assert page_descriptions(login(coordinator), {"status": "all", "meeting": other_meeting.pk})[0] == set()
    items_api = api.get("/api/v1/minutes-items/", {"meeting": first.pk}).json()["results"]
    assert {row["meeting"] for row in items_api} == {first.pk}
    assert api.get("/api/v1/minutes-items/", {"meeting": other_meeting.pk}).json()["results"] == []


def test_the_page_starts_on_open_items_and_the_api_on_all(world, items, login):
    made, *_ = items
    coordinator = world.users["coordinator"]
    assert page_descriptions(login(coordinator), {})[0] == {"Otvorena", "Zakasnela"}
    results = client_for(coordinator).get("/api/v1/action-items/").json()["results"]
    assert {row["id"] for row in results} == {made[k].pk for k in EXPECTED["all"]}


@pytest.mark.parametrize("params, field", [
    ({"status": "someday"}, "status"),
    ({"meeting": "abc"}, "meeting"),
    ({"meeting": "1.5"}, "meeting"),
    ({"meeting": "0"}, "meeting"),
])
def test_bad_parameters_are_named(world, items, login, params, field):
    coordinator = world.users["coordinator"]
    api = client_for(coordinator)
    for url in ("/api/v1/action-items/", "/api/v1/minutes-items/"):
        if url.endswith("minutes-items/") and field != "meeting":
            continue
        response = api.get(url, params)
        assert response.status_code == 400
        assert list(response.json()) == [field]
    # The page says which parameter was wrong and shows the open items.
    shown, body = page_descriptions(login(coordinator), params)
    label = {"status": "Which action items", "meeting": "Meeting"}[field]
    assert f"{label}: " in body
    assert shown == {"Otvorena", "Zakasnela"}


def test_a_detail_is_not_narrowed_by_list_parameters(world, items):
    made, first, *_ = items
    api = client_for(world.users["coordinator"])
    assert api.get(f"/api/v1/action-items/{made['done'].pk}/", {"status": "open"}).status_code == 200
