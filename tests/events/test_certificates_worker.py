"""A real Celery worker issues 200 certificates with visible progress in under 60 s, and sends an
event's invitation (the shared calendar sending) through a real SMTP server."""
from __future__ import annotations

import os
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from icalendar import Calendar

from apps.core import tenancy
from apps.core.choices import Role
from apps.events.models import Certificate, CertificateRun, Event, Participant
from apps.events.services import certificates as certificate_services
from apps.institutions.choices import InstitutionType
from tests.conftest_celery import celery_worker, smtp_server  # noqa: F401 - fixtures
from tests.factories import InstitutionFactory, MunicipalityFactory, member

from .helpers import plan

pytestmark = [pytest.mark.celery, pytest.mark.timeout(300)]


@pytest.fixture
def worker_media(settings):
    """The worker writes the certificate files where this process reads them."""
    os.environ["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    yield
    os.environ.pop("MEDIA_ROOT", None)


def test_200_certificates_in_a_worker_with_progress(worker_media, celery_worker, smtp_server):  # noqa: F811
    municipality = MunicipalityFactory(name="Testgrad Potvrde", name_cyrl="Тестград Потврде")
    csr = InstitutionFactory(municipality=municipality, type=InstitutionType.CSR, name="CSR Potvrde")
    coordinator = member(Role.COORDINATOR, csr)
    start = timezone.now() - timedelta(days=1)
    event = Event.objects.create(municipality=municipality, created_by=coordinator, kind="training", status="held",
                                 title="Obuka radnik (test)", starts_at=start, ends_at=start + timedelta(hours=6),
                                 hours=Decimal("6"))
    Participant.objects.bulk_create([
        Participant(event=event, municipality=municipality, name=f"Učesnik Test {i}", attended=True,
                    language=("sr-latn", "sr-cyrl", "en")[i % 3], hours=Decimal("6"))
        for i in range(200)
    ])
    started = time.monotonic()
    with tenancy.user_context(coordinator):
        run = certificate_services.certificates_request(user=coordinator, event=event)
    seen = set()
    deadline = started + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        done, status = certificate_services.progress(run)
        seen.add(done)
        if status == "done":
            break
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    assert status == "done", celery_worker.log()
    print(f"200 certificates through the worker in {elapsed:.1f} s")
    assert elapsed < 60
    assert any(0 < n < 200 for n in seen), seen  # the progress moved while the task ran
    assert Certificate.objects.filter(event=event).count() == 200
    assert CertificateRun.objects.get(pk=run.pk).done == 200
    certificate = Certificate.objects.filter(event=event, language="sr-cyrl").first()
    assert certificate.pdf.read()[:4] == b"%PDF"


def test_event_invitation_arrives_with_its_calendar_file(celery_worker, smtp_server):  # noqa: F811
    municipality = MunicipalityFactory(name="Testgrad Poziv")
    csr = InstitutionFactory(municipality=municipality, type=InstitutionType.CSR, name="CSR Poziv")
    coordinator = member(Role.COORDINATOR, csr)
    guest = member(Role.CASEWORKER, csr, email="gost.radnik@test.kzn.example")
    world = type("W", (), {"users": {Role.COORDINATOR: coordinator}, "mun_a": municipality})
    with tenancy.user_context(coordinator):
        event = plan(world, staff=[guest], place="Sala Radnik")
    [received] = smtp_server.wait_for(1, timeout=90, to="gost.radnik@test.kzn.example")
    parts = [p for p in received.message.walk() if p.get_content_type() == "text/calendar"]
    cal = Calendar.from_ical(parts[0].get_payload(decode=True))
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["UID"]) == event.uid and str(cal["METHOD"]) == "REQUEST"
    assert "Sala Radnik" in received.body
