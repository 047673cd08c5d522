"""A real Celery worker produces a monthly report; a worker killed in the middle of one leaves it
queued (nothing half-written: no PDF, no snapshot), the run shows as failed once stale and is produced
again in place by the next worker: one run, never two."""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.cache import cache

from apps.core.choices import Role
from apps.reports.choices import RunStatus
from apps.reports.models import ReportRun
from apps.reports.services import runs
from tests.cases.factories_measures import make_case
from tests.conftest_celery import ROOT, celery_worker, smtp_server  # noqa: F401 - fixtures
from tests.factories import InstitutionFactory, MunicipalityFactory, member

pytestmark = [pytest.mark.celery, pytest.mark.timeout(400)]


@pytest.fixture
def worker_media(settings):
    os.environ["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    yield
    os.environ.pop("MEDIA_ROOT", None)


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    pytest.fail(f"{what} within {timeout} s")


def test_killed_worker_leaves_the_run_queued_and_the_next_one_finishes_it(worker_media, celery_worker):  # noqa: F811
    municipality = MunicipalityFactory(name="Testgrad Izveštaj", name_cyrl="Тестград Извештај")
    csr = InstitutionFactory(municipality=municipality, type="csr", name="CSR Izveštaj")
    worker_user = member(Role.CASEWORKER, csr)
    for day in range(1, 12):
        make_case(institution=csr, opened_by=worker_user, reported_at=datetime(2026, 3, day, 10, tzinfo=UTC))

    worker_env = _worker_env(celery_worker)
    run = runs.request_run(municipality_id=municipality.pk, period="2026-03")
    key = runs.progress_key(run.pk)
    _wait(lambda: cache.get(key) is not None, 120, "the worker did not start the report")
    celery_worker.process.send_signal(signal.SIGKILL)  # in the middle: figures summarised, PDF not yet stored
    celery_worker.process.wait(30)

    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and not run.pdf and not run.snapshot
    assert ReportRun.objects.filter(municipality=municipality, period="2026-03").count() == 1
    # Asked again before it is stale: the same run, left alone.
    assert runs.request_run(municipality_id=municipality.pk, period="2026-03").pk == run.pk
    # Long after the time limits it shows as failed and is queued again in place.
    ReportRun.objects.filter(pk=run.pk).update(queued_at=run.queued_at - timedelta(hours=1))
    run.refresh_from_db()
    assert runs.is_stale(run)
    cache.delete(key)

    # The next worker (the same command and environment on the same private queue).
    log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    second = subprocess.Popen(celery_worker.process.args, cwd=ROOT, env=worker_env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        again = runs.request_run(municipality_id=municipality.pk, period="2026-03")
        assert again.pk == run.pk
        _wait(lambda: ReportRun.objects.get(pk=run.pk).status == RunStatus.DONE, 180, "the report was not produced")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(30)
        except subprocess.TimeoutExpired:
            second.kill()
        log.close()
        os.unlink(log.name)
    run.refresh_from_db()
    assert run.pdf and run.snapshot["month"] == "03" and run.attempts == 1
    assert ReportRun.objects.filter(municipality=municipality, period="2026-03").count() == 1


def _worker_env(worker) -> dict:
    """The environment the fixture gave its worker (read back from /proc; the same settings and queue)."""
    raw = Path(f"/proc/{worker.process.pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)
