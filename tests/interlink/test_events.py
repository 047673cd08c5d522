"""Events are collected as the account's own user: only what its institution may see, once per change."""
import pytest

from apps.interlink.models import FeedEvent
from apps.interlink.services.events import collect_for

from .conftest import client_for, report, when


@pytest.mark.django_db
def test_a_measure_deadline_becomes_one_event_for_the_station_that_sees_the_case(machines):
    measure = {"kind": "removal", "order_number": "HM-9/26", "delivered_at": when(30)}
    body = client_for(machines.a.secret).post("/api/v1/interlink/police-reports/", report(hours_ago=31, measure=measure),
                                              format="json").json()
    assert collect_for(machines.a.account) == 1
    assert collect_for(machines.a.account) == 0  # the same deadline is no new event
    assert collect_for(machines.b.account) == 0  # another municipality's station sees nothing of it
    event = FeedEvent.objects.get(account=machines.a.account)
    assert event.event_type == "measure.deadline"
    assert event.payload["case_number"] == body["case_number"] and event.payload["deadline"] == "expiry"
    assert set(event.payload) == {"case_number", "order_number", "measure_kind", "deadline", "due_at"}
