# ruff: noqa: E402  (Django is set up before the project modules are imported)
"""How long the minutes PDF of a 10-case meeting takes to render (WeasyPrint, Serbian Cyrillic).

    DATABASE_URL=... REDIS_URL=... .venv/bin/python benchmarks/minutes_pdf.py

Builds a fictional meeting (10 discussed cases, 20 action items, 6 invitees) inside a transaction
that is rolled back, renders once to warm up fonts and templates, then prints five timed renders
and their median.
"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
import django

django.setup()
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.conferences.pdf import render_minutes_pdf
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from tests.conferences.factories import InviteeFactory
from tests.conferences.factories_minutes import action, make_case, on_agenda, past_meeting
from tests.factories import InstitutionFactory, MunicipalityFactory, member

with transaction.atomic():
    mun = MunicipalityFactory(name="Mera Testgrad", name_cyrl="Мера Тестград")
    csr = InstitutionFactory(municipality=mun, type=InstitutionType.CSR, name="CSR Mera")
    police = InstitutionFactory(municipality=mun, type=InstitutionType.POLICE, name="Policija Mera")
    co = member(Role.COORDINATOR, csr)
    cw = member(Role.CASEWORKER, csr)
    meeting = past_meeting(mun, created_by=co)
    for i in range(6):
        InviteeFactory(meeting=meeting, user=member(Role.CASEWORKER, police if i % 2 else csr))
    for _ in range(10):
        case = make_case(institution=csr, opened_by=cw)
        item = on_agenda(meeting, case, discussed=True,
                         discussion="Čaćak, žrtva šalje đaka u školu; Разговор о безбедности породице. " * 4,
                         decisions="Ђорђе из школе прати дете; kućna poseta jednom nedeljno.", risk_level="high",
                         next_review_on=timezone.localdate() + timedelta(days=30))
        for j in range(2):
            action(item, owner=police if j else csr, created_by=co)
    render_minutes_pdf(meeting, co, "sr-cyrl")  # warm-up (fonts, templates)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        data = render_minutes_pdf(meeting, co, "sr-cyrl")
        times.append(time.perf_counter() - t)
    print("runs (s):", ", ".join(f"{x:.3f}" for x in times))
    print(f"median {statistics.median(times):.3f} s, {len(data)} bytes")
    transaction.set_rollback(True)
