"""The outbox: e-mail recorded with what causes it, delivered after the commit, at most once, and the
deliveries page where a person decides about what could not be sent."""
from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.core import outbox
from apps.core.choices import AuditAction, OutboxStatus, Role
from apps.core.models import AuditEntry, OutboxMessage
from tests.outbox import run_after_commit

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: connections are refused


@pytest.fixture
def refusing_smtp(settings):
    """A mail server that is not there: every connection is refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2


def test_recorded_with_its_transaction_and_delivered_after_the_commit(django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives(subject="Sastanak", body="Telo poruke", to=["prva@test.kzn.example"])
    message.attach("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST")
    message.attach("spisak.pdf", b"%PDF-1.4 demo", "application/pdf")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert outbox.send_message(message, kind="test.meeting") == 1
    assert mail.outbox == []  # nothing leaves before the commit
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.PENDING and row.recipient_hint == "p•••@test.kzn.example"
    run_after_commit(callbacks)
    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.to) == ("Sastanak", "Telo poruke", ["prva@test.kzn.example"])
    assert [(a[0], a[2]) for a in sent.attachments] == [
        ("invite.ics", "text/calendar; method=REQUEST"), ("spisak.pdf", "application/pdf")]
    assert sent.attachments[1][1] == b"%PDF-1.4 demo"
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.sent_at is not None and row.attempts == 1
    assert row.payload == "{}"  # the content is gone once sent
    assert [h["outcome"] for h in row.history] == ["sent"]


def test_the_content_is_stored_encrypted():
    outbox.send_email(subject="Podsetnik", body="Rok ističe", to=["druga@test.kzn.example"], kind="test.plain")
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM core_outboxmessage")
        raw = cursor.fetchone()[0]
    assert "druga@test.kzn.example" not in raw and "Rok ističe" not in raw
    assert "Rok ističe" in OutboxMessage.objects.get().payload


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                outbox.send_email(subject="x", body="y", to=["treca@test.kzn.example"], kind="test.plain")
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
    assert mail.outbox == [] and not OutboxMessage.objects.exists()


def test_the_same_key_is_recorded_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.send_email(subject="x", body="y", to=["a@test.kzn.example"], kind="test.plain", key="k:1")
        again = outbox.send_email(subject="x", body="y", to=["a@test.kzn.example"], kind="test.plain", key="k:1")
    assert (first, again) == (1, 0)
    assert len(mail.outbox) == 1 and OutboxMessage.objects.count() == 1


def test_a_refused_connection_waits_with_back_off_then_fails(refusing_smtp, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_email(subject="x", body="y", to=["a@test.kzn.example"], kind="test.plain")
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert row.last_error.startswith("ConnectionRefusedError")
    assert "a@test.kzn.example" not in row.last_error
    assert outbox.sweep()["delivered"] == 0  # not due yet: nothing is tried
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    outbox.sweep()
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.attempts == 2
    assert [h["outcome"] for h in row.history] == ["retry", "failed"]


def test_an_interrupted_delivery_is_uncertain_and_never_sent_again_by_itself(settings):
    outbox.send_email(subject="x", body="y", to=["a@test.kzn.example"], kind="test.plain")
    row = OutboxMessage.objects.get()
    # A worker claimed it and died at the mail server: the row stays "sending".
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.SENDING, attempts=1,
                                                   claimed_at=timezone.now() - timedelta(hours=1))
    assert outbox.sweep()["uncertain"] == 1
    row.refresh_from_db()
    assert row.status == OutboxStatus.UNCERTAIN
    outbox.sweep()
    assert outbox.deliver(row.pk) == "" and mail.outbox == []  # a second delivery finds nothing to do


def test_the_deliveries_page_lets_a_platform_admin_decide(world, login, django_capture_on_commit_callbacks):
    outbox.send_email(subject="Tajni predmet", body="y", to=["a@test.kzn.example"], kind="cases.deadline_reminder")
    row = OutboxMessage.objects.get(kind="cases.deadline_reminder")
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.UNCERTAIN, last_error="SMTPServerDisconnected")
    for role in (Role.COORDINATOR, Role.INSTITUTION_ADMIN):
        other = login(world.users[role])
        assert other.get(reverse("core:outbox")).status_code == 404
        assert other.post(reverse("core:outbox_action", args=[row.pk, "send"])).status_code == 404
    admin = login(world.platform_admin)
    page = admin.get(reverse("core:outbox")).content.decode()
    assert "cases.deadline_reminder" in page and "a•••@test.kzn.example" in page and "SMTPServerDisconnected" in page
    assert "Tajni predmet" not in page and "a@test.kzn.example" not in page  # never the content
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("core:outbox_action", args=[row.pk, "send"]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and [m.subject for m in mail.outbox] == ["Tajni predmet"]
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, object_type="core.outboxmessage",
                                     object_id=str(row.pk), actor=world.platform_admin).exists()
    # Sent is final: neither sent again nor discarded.
    admin.post(reverse("core:outbox_action", args=[row.pk, "send"]))
    admin.post(reverse("core:outbox_action", args=[row.pk, "discard"]))
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and len(mail.outbox) == 1
    assert admin.post(reverse("core:outbox_action", args=[row.pk + 1000, "send"])).status_code == 404
    assert admin.post(reverse("core:outbox_action", args=[row.pk, "explode"])).status_code == 404


def test_discarding_removes_the_content():
    outbox.send_email(subject="x", body="Sadržaj", to=["a@test.kzn.example"], kind="test.plain")
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(status=OutboxStatus.FAILED)
    assert outbox.discard(row)
    row.refresh_from_db()
    assert row.status == OutboxStatus.DISCARDED and row.payload == "{}"


def test_sent_messages_are_forgotten_after_the_keeping_period(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    outbox.send_email(subject="x", body="y", to=["a@test.kzn.example"], kind="test.plain")
    OutboxMessage.objects.update(status=OutboxStatus.SENT, created_at=timezone.now() - timedelta(days=31))
    assert outbox.sweep()["purged"] == 1 and not OutboxMessage.objects.exists()
