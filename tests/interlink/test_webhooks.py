"""Events out: a conference-decision-like event reaches a real receiver on localhost, signed; a receiver
that is down gets it once it is back (the sender raises, the caller retries), never twice by event id."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from apps.core import outbox
from apps.core.choices import OutboxStatus
from apps.core.models import OutboxMessage
from apps.interlink.models import FeedEvent
from apps.interlink.services.events import emit
from apps.interlink.services.webhooks import webhook_create
from apps.interlink.webhooks import (
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    DeliveryFailed,
    deliver_webhook,
    enqueue_delivery,
    verify,
)

SECRET = "tajna-primer-" + "x" * 20


class Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"body": body, "signature": self.headers[SIGNATURE_HEADER],
                              "event_id": self.headers[EVENT_ID_HEADER]})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _serve(port: int) -> HTTPServer:
    server = HTTPServer(("127.0.0.1", port), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _free_port() -> int:
    probe = HTTPServer(("127.0.0.1", 0), Receiver)
    port = probe.server_address[1]
    probe.server_close()
    return port


@pytest.mark.django_db(transaction=False)
def test_a_signed_event_reaches_a_receiver_that_was_down(machines, settings):
    settings.INTERLINK_WEBHOOK_ALLOW_HTTP = True
    settings.INTERLINK_WEBHOOKS_ENABLED = False  # the test sends itself, as the retrying caller would
    port = _free_port()
    account = machines.a.account
    subscription = webhook_create(account=account, by=machines.a.admin, url=f"http://127.0.0.1:{port}/hook",
                                  secret=SECRET, event_types=["conference.decision"])
    event = emit(account, "decision:1:1", "conference.decision", {"case_number": "TST-2026-00001", "risk_level": "high"})
    assert emit(account, "decision:1:1", "conference.decision", {}) is None  # the same key is no new event
    message = {"subscription_id": subscription.pk, "event_id": str(event.event_id), "user_id": account.user_id}
    Receiver.received = []
    with pytest.raises(DeliveryFailed):
        deliver_webhook(message)  # nobody listens yet
    server = _serve(port)
    try:
        deliver_webhook(message)  # the retry, once the receiver is back
    finally:
        server.shutdown()
        server.server_close()
    assert len(Receiver.received) == 1
    got = Receiver.received[0]
    assert verify(SECRET, got["signature"], got["body"])
    assert not verify("another-secret-of-24-chars!", got["signature"], got["body"])
    body = json.loads(got["body"])
    assert got["event_id"] == body["id"] == str(event.event_id)
    assert body["data"] == {"case_number": "TST-2026-00001", "risk_level": "high"}
    assert FeedEvent.objects.filter(account=account).count() == 1


@pytest.mark.django_db
def test_the_pull_feed_pages_by_cursor_without_webhooks(machines):
    from .conftest import client_for

    account = machines.a.account
    for n in range(3):
        emit(account, f"referral:{n}:sent", "referral.changed", {"case_number": f"TST-{n}"})
    client = client_for(machines.a.secret)
    first = client.get("/api/v1/interlink/events/?page_size=2").json()
    assert [e["payload"]["case_number"] for e in first["results"]] == ["TST-0", "TST-1"]
    second = client.get(first["next"]).json()
    assert [e["payload"]["case_number"] for e in second["results"]] == ["TST-2"]


@pytest.mark.django_db
def test_a_conference_decision_on_the_stations_case_reaches_its_receiver_signed(machines, settings,
                                                                                django_capture_on_commit_callbacks):
    from apps.cases.models import Case
    from apps.interlink.services.events import collect_for
    from tests.conferences.factories_minutes import action, approved_minutes, on_agenda, past_meeting

    from .conftest import client_for, report

    settings.INTERLINK_WEBHOOK_ALLOW_HTTP = True
    settings.INTERLINK_WEBHOOKS_ENABLED = False
    world, account = machines.world, machines.a.account
    body = client_for(machines.a.secret).post("/api/v1/interlink/police-reports/", report(), format="json").json()
    case = Case.objects.get(number=body["case_number"])
    coordinator = world.users["coordinator"]
    meeting = past_meeting(world.mun_a, created_by=coordinator)
    item = on_agenda(meeting, case, risk_level="high")
    approved_minutes(meeting, recorded_by=coordinator)
    action(item, owner=world.police_a, created_by=coordinator, description="Provera poštovanja mere (test)")
    port = _free_port()
    subscription = webhook_create(account=account, by=machines.a.admin, url=f"http://127.0.0.1:{port}/hook",
                                  secret=SECRET, event_types=["conference.decision", "action_item.changed"])
    assert collect_for(account) == 2
    events = {e.event_type: e for e in FeedEvent.objects.filter(account=account)}
    assert events["conference.decision"].payload["action_items_for_institution"] == 1
    assert events["action_item.changed"].payload["action"] == "Provera poštovanja mere (test)"
    Receiver.received = []
    server = _serve(port)
    try:
        deliver_webhook(None, {"subscription_id": subscription.pk, "event_id": str(events["conference.decision"].event_id),
                               "user_id": account.user_id})
    finally:
        server.shutdown()
        server.server_close()
    got = Receiver.received[0]
    assert verify(SECRET, got["signature"], got["body"])
    data = json.loads(got["body"])["data"]
    assert data["case_number"] == case.number and data["risk_level"] == "high"
    assert "Primerović" not in got["body"].decode()  # no names leave with an event


@pytest.mark.django_db
def test_through_the_outbox_a_receiver_that_was_down_gets_each_event_once(machines, settings,
                                                                          django_capture_on_commit_callbacks):
    settings.INTERLINK_WEBHOOK_ALLOW_HTTP = True
    port = _free_port()
    account = machines.a.account
    subscription = webhook_create(account=account, by=machines.a.admin, url=f"http://127.0.0.1:{port}/hook",
                                  secret=SECRET, event_types=["conference.decision"])
    Receiver.received = []
    with django_capture_on_commit_callbacks(execute=True):
        event = emit(account, "decision:7:7", "conference.decision", {"case_number": "TST-2026-00007"})
        enqueue_delivery(event, subscription)  # the same event and subscription again: recorded once
    row = OutboxMessage.objects.get(kind="interlink.webhook")
    assert row.status == OutboxStatus.PENDING and row.attempts == 1  # refused: nobody listens yet
    server = _serve(port)
    try:
        OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        outbox.sweep()  # the receiver is back: the event goes out
        outbox.sweep()  # and is not sent again
    finally:
        server.shutdown()
        server.server_close()
    assert [got["event_id"] for got in Receiver.received] == [str(event.event_id)]
    assert verify(SECRET, Receiver.received[0]["signature"], Receiver.received[0]["body"])
    assert OutboxMessage.objects.get(pk=row.pk).status == OutboxStatus.SENT
