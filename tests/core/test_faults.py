"""Faults with real processes: a Celery worker killed with SIGKILL in the middle of a reminder run.

The run holds the reminders' advisory lock for its whole transaction; the test holds that lock from
another connection, so the worker's run waits inside its transaction. The worker is then killed: its
transaction rolls back and its message stays unacknowledged in Redis (``acks_late``). A second worker
takes the message over after the visibility timeout and runs it again: every person gets exactly one
e-mail, and the reminders exist once.
"""
from __future__ import annotations

import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from apps.cases.models import Reminder
from apps.cases.services.reminders import ADVISORY_LOCK
from apps.cases.tasks import send_deadline_reminders
from apps.core.choices import OutboxStatus, Role
from apps.core.models import OutboxMessage
from tests.cases.factories_measures import emergency, join, make_case
from tests.conftest_celery import launch_worker, private_queue, smtp_server, stop_worker  # noqa: F401 - fixture

pytestmark = [pytest.mark.celery, pytest.mark.timeout(300)]


def _connect():
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                           password=s["PASSWORD"] or None, dbname=s["NAME"], autocommit=True)


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_a_worker_killed_in_a_reminder_run_sends_each_email_once(transactional_db, world, smtp_server, settings):  # noqa: F811
    now = timezone.now()
    worker_user = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker_user, number="TST-2026-00917")
    join(case, world.police_a, added_by=worker_user)
    emergency(case, ordered_by=world.police_a, recorded_by=worker_user, delivered_at=now - timedelta(hours=38),
              extension_proposed_at=now - timedelta(hours=20), court_decision_due=now + timedelta(hours=4))
    expected = {worker_user.email, world.users[Role.COORDINATOR].email, world.users["police_caseworker"].email}

    with private_queue(settings) as queue:
        blocker = _connect()
        blocker.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK])
        first = launch_worker(settings, smtp_server, queue=queue)
        try:
            send_deadline_reminders.delay()
            with _connect() as probe:
                _wait(lambda: probe.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' AND datname = current_database()"
                ).fetchone()[0] > 0, 120, "the reminder run to wait for the lock")
            first.process.kill()  # SIGKILL: no warm shutdown, no acknowledgement
            first.process.wait(30)
        finally:
            blocker.close()
            stop_worker(first)
        # The killed run left nothing: its transaction rolled back.
        assert not Reminder.objects.exists() and not OutboxMessage.objects.filter(kind="cases.deadline_reminder").exists()
        assert smtp_server.messages == []

        second = launch_worker(settings, smtp_server, queue=queue, extra_env={"KZN_TEST_VISIBILITY_TIMEOUT": "3"})
        try:
            smtp_server.wait_for(3, timeout=120)
            _wait(lambda: not OutboxMessage.objects.filter(kind="cases.deadline_reminder")
                  .exclude(status=OutboxStatus.SENT).exists(), 60, "every reminder e-mail to be recorded as sent")
            time.sleep(3)  # anything sent twice would arrive now
        finally:
            stop_worker(second)

    recipients = [to for mail in smtp_server.messages for to in mail.rcpt_tos]
    assert sorted(recipients) == sorted(expected)  # each person once
    assert Reminder.objects.count() == 2  # the run happened once in effect: CSR and police
    assert OutboxMessage.objects.filter(kind="cases.deadline_reminder", status=OutboxStatus.SENT).count() == 3
