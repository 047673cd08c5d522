"""Fixtures for tests that need a real Celery worker and a real SMTP server.

Import them into a test module (``from tests.conftest_celery import celery_worker, smtp_server``).
The worker is a separate process using the test settings, the pytest-django test database and the
Redis at REDIS_URL; it consumes a queue of its own, so messages left in the same Redis database by
other tests or other workers never reach it. Use it with ``transactional_db`` data: the worker only
sees committed rows.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
WORKER_START_TIMEOUT = 90
WORKER_STOP_TIMEOUT = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ReceivedMail:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class SMTPServer:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it receives."""

    host: str
    port: int
    messages: list[ReceivedMail] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        mail = ReceivedMail(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=message_from_bytes(envelope.original_content or envelope.content, policy=policy.default),
        )
        with self._arrived:
            self.messages.append(mail)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 60, *, to: str | None = None) -> list[ReceivedMail]:
        """Block until at least `count` messages arrived (addressed to `to`, when given: other mail, such
        as the coordinators' notices of the test world's new staff, may arrive too); fail the test after
        `timeout` seconds."""
        deadline = time.monotonic() + timeout

        def received() -> list[ReceivedMail]:
            return [mail for mail in self.messages if to is None or to in mail.rcpt_tos]

        with self._arrived:
            while len(received()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"the SMTP server received {len(received())} of {count} messages in {timeout} s")
                self._arrived.wait(left)
            return received()


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free loopback port."""
    from aiosmtpd.controller import Controller

    server = SMTPServer(host="127.0.0.1", port=_free_port())
    controller = Controller(server, hostname=server.host, port=server.port, ready_timeout=10)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the test database (a Unix-socket host is percent-encoded)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@dataclass
class Worker:
    """A running `celery -A config worker` process."""

    process: subprocess.Popen
    queue: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _wait_until_ready(worker: Worker) -> None:
    deadline = time.monotonic() + WORKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {worker.process.returncode}:\n{worker.log()}")
        if " ready." in worker.log():
            return
        time.sleep(0.2)
    pytest.fail(f"the Celery worker was not ready within {WORKER_START_TIMEOUT} s:\n{worker.log()}")


def launch_worker(settings, smtp_server, *, queue: str, extra_env: dict | None = None) -> Worker:
    """Start `celery -A config worker` (solo pool) on ``queue`` with the test settings, the test
    database and the Redis at REDIS_URL, delivering e-mail to ``smtp_server``; wait until it is ready."""
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "EMAIL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=_database_url(connection.settings_dict),
        REDIS_URL=os.environ.get("REDIS_URL", settings.REDIS_URL),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CELERY_RESULT_BACKEND=settings.CELERY_RESULT_BACKEND,
        TEST_SMTP="1",
        EMAIL_HOST=smtp_server.host,
        EMAIL_PORT=str(smtp_server.port),
        SITE_URL=settings.SITE_URL,
        DB_CONN_MAX_AGE="0",
        PYTHONUNBUFFERED="1",
        **(extra_env or {}),
    )
    log_file = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    # The worker keeps the tests' clock: when they pin it (tests/clock.py), it starts at the same moment.
    if time_machine.escape_hatch.is_travelling():
        env["KZN_TEST_CLOCK"] = timezone.now().isoformat()
    cmd = [
        sys.executable, "-m", "tests.clocked", "celery", "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "--queues", queue, "--hostname", f"{queue}-{uuid.uuid4().hex[:6]}@%h",
        "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO",
    ]
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    log_file.close()
    worker = Worker(process=process, queue=queue, log_path=Path(log_file.name))
    _wait_until_ready(worker)
    return worker


def stop_worker(worker: Worker) -> None:
    """Warm shutdown (finish the current task, then exit); fail the test if it does not stop."""
    try:
        if worker.process.poll() is None:
            worker.process.send_signal(signal.SIGTERM)
            try:
                worker.process.wait(WORKER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
                pytest.fail(f"the Celery worker did not stop on SIGTERM:\n{worker.log()}")
    finally:
        if worker.log_path.exists():
            os.unlink(worker.log_path)


@contextmanager
def private_queue(settings):
    """A queue of the test's own: what this process sends goes there (and e-mail it records is
    delivered by a worker, which itself delivers inline)."""
    from config.celery_app import app

    queue = f"kzn-test-{uuid.uuid4().hex[:12]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    settings.OUTBOX_DELIVERY = "celery"
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous_queue


@pytest.fixture
def celery_worker(transactional_db, smtp_server, settings):
    """A real Celery worker (solo pool) on a private queue, delivering e-mail to `smtp_server`."""
    with private_queue(settings) as queue:
        worker = launch_worker(settings, smtp_server, queue=queue)
        try:
            yield worker
        finally:
            stop_worker(worker)
