"""Dragana's journey on the demo data: her home page is her dashboard (no name, no figure under 5), a
year of monthly reports is in the archive, and she downloads last year's in Cyrillic; the national
reader sees every municipality and no case."""
from __future__ import annotations

import subprocess

import pytest
from django.utils import timezone

from apps.cases import demo as cases_demo
from apps.cases.models import CasePerson
from apps.reports import demo
from apps.reports.models import ReportRun, Subscription
from tests.cases.test_demo import _demo_context

SLUGS = ("zvezdara", "loznica")


@pytest.mark.django_db
def test_draganas_journey(login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    context = _demo_context(SLUGS)
    cases_demo.seed(context)
    demo.seed(context)
    demo.seed(context)  # idempotent
    zvezdara = context["municipalities"]["zvezdara"]
    assert ReportRun.objects.filter(municipality=zvezdara, status="done").count() == 12
    dragana = context["users"]["zvezdara.official"]
    assert Subscription.objects.filter(user=dragana, municipality=zvezdara).exists()

    client = login(dragana)
    home = client.get("/").content.decode()
    assert "Open the dashboard" in home and "Monthly reports" in home
    names = set(CasePerson.objects.filter(municipality=zvezdara).values_list("last_name", flat=True)[:50])
    board = client.get(f"/reports/?municipality={zvezdara.pk}").content.decode()
    assert not [n for n in names if n and n in board]
    runs_page = client.get(f"/reports/runs/?municipality={zvezdara.pk}").content.decode()
    today = timezone.localdate()
    # Last year's report of this month (the archive holds the twelve months before this one).
    run = ReportRun.objects.filter(municipality=zvezdara, period__startswith=str(today.year - 1)).order_by("period").first()
    assert run is not None and run.period in runs_page
    client.cookies["kzn_language"] = "sr-cyrl"
    pdf = client.get(f"/reports/runs/{run.pk}/pdf/")
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Звездара" in text and "Месечни извештај" in text
    assert not [n for n in names if n and n in text]

    reader = context["users"][demo.NATIONAL_READER]
    national = login(reader).get(f"/reports/national/?year={today.year}&period=Y").content.decode()
    assert "Zvezdara" in national and "Loznica" in national
    assert not [n for n in names if n and n in national]
