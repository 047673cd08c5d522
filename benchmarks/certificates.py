# ruff: noqa: E402  (Django is set up before the project modules are imported)
"""How long issuing 200 certificates of one training takes (the task body of events.issue_certificates).

    DATABASE_URL=... REDIS_URL=... .venv/bin/python benchmarks/certificates.py [count]

Builds a fictional training with ``count`` (200) attending participants in three languages and
scripts (Latin, Cyrillic, English) inside a transaction that is rolled back, warms up fonts and
templates with one certificate of another event, then times the run: WeasyPrint renders each
language's certificates as one document per chunk of 50 pages and pypdf splits it into one file
per participant. Prints the progress as the run reports it and the total.
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django

django.setup()
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.core.choices import Role
from apps.events.models import CertificateRun, Event, Participant
from apps.events.services import certificates as certificate_services
from apps.institutions.choices import InstitutionType
from tests.factories import InstitutionFactory, MunicipalityFactory, member

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 200
LANGUAGES = ("sr-latn", "sr-cyrl", "en")
NAMES = ("Jelena Đorđević", "Милош Петровић", "Ana Kovač", "Ђурђа Јанковић", "Marko Čolić")

settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="kzn-certificates-")


def training(municipality, coordinator, count: int) -> Event:
    start = timezone.now() - timedelta(days=2)
    event = Event.objects.create(municipality=municipality, created_by=coordinator, kind="training", status="held",
                                 title="Napredni seminar: procena rizika (mera)", starts_at=start,
                                 ends_at=start + timedelta(hours=6), hours=Decimal("6"), place="Sala (mera)",
                                 topics="Procena rizika; hitne mere; individualni plan zaštite")
    Participant.objects.bulk_create([
        Participant(event=event, municipality=municipality, name=f"{NAMES[i % len(NAMES)]} {i + 1}",
                    institution_name="Centar za socijalni rad (mera)", function="stručni radnik",
                    language=LANGUAGES[i % len(LANGUAGES)], attended=True, hours=Decimal("6"))
        for i in range(count)
    ])
    return event


with transaction.atomic():
    mun = MunicipalityFactory(name="Mera Testgrad", name_cyrl="Мера Тестград")
    csr = InstitutionFactory(municipality=mun, type=InstitutionType.CSR, name="CSR Mera")
    coordinator = member(Role.COORDINATOR, csr)
    warm = training(mun, coordinator, 3)
    run = CertificateRun.objects.create(event=warm, municipality=mun, requested_by=coordinator, total=3)
    certificate_services.run_certificates(run_id=run.pk)  # warm-up (fonts, templates)

    event = training(mun, coordinator, COUNT)
    run = CertificateRun.objects.create(event=event, municipality=mun, requested_by=coordinator, total=COUNT)
    original = cache.set
    started = time.perf_counter()

    def report(key, value, *args, **kwargs):
        if key == certificate_services.progress_key(run):
            print(f"  {time.perf_counter() - started:6.2f} s  {value['done']:>4} / {COUNT}  {value['status']}")
        return original(key, value, *args, **kwargs)

    cache.set = report
    done = certificate_services.run_certificates(run_id=run.pk)
    elapsed = time.perf_counter() - started
    cache.set = original
    sizes = [p.certificate.pdf.size for p in Participant.objects.filter(event=event).prefetch_related("certificates")]
    print(f"{done} certificates in {elapsed:.1f} s ({elapsed / max(done, 1) * 1000:.0f} ms each), "
          f"{sum(sizes) // 1024} KiB in {len(sizes)} files; target: under 60 s")
    transaction.set_rollback(True)
