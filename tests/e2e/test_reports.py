"""Browser journey of the dashboard: Dragana (official) signs in, her home page is her dashboard, she
opens it (charts drawn on the server, the data beside them, "< 5" for small numbers; screenshot in
Cyrillic) and downloads last year's monthly report as a PDF in Cyrillic."""
import subprocess
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.reports.choices import RunStatus
from apps.reports.models import Figure, ReportRun
from apps.reports.services.figures import refresh
from apps.reports.snapshots import take
from tests.cases.factories_measures import make_case
from tests.factories import InstitutionFactory, MunicipalityFactory, member

from .helpers import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _source(municipality_id, year):
    rows = Figure.objects.filter(municipality_id=municipality_id, year=year, institution_id=0)
    return {(u, c, p): (v, s) for u, c, p, v, s in rows.values_list("unit", "category", "period", "value", "state")}


def test_official_reads_her_dashboard_and_downloads_a_report(browser, live_server, screenshot):
    municipality = MunicipalityFactory(name="Zvezdara (test)", name_cyrl="Звездара (тест)")
    csr = InstitutionFactory(municipality=municipality, type=InstitutionType.CSR, name="CSR Zvezdara (test)")
    local = InstitutionFactory(municipality=municipality, type=InstitutionType.LOCAL_GOVERNMENT, name="Uprava (test)")
    worker = member(Role.CASEWORKER, csr)
    today = timezone.localdate()
    for i in range(9):
        make_case(institution=csr, opened_by=worker, reported_at=datetime(today.year, 1, 1 + i, 10, tzinfo=UTC),
                  risk_level="high" if i < 2 else "")
    make_case(institution=csr, opened_by=worker, reported_at=datetime(today.year - 1, 5, 3, 10, tzinfo=UTC))
    for year in (today.year - 1, today.year):
        refresh(municipality_id=municipality.pk, year=year)
    period = f"{today.year - 1}-05"
    run = ReportRun.objects.create(municipality=municipality, period=period, status=RunStatus.DONE, language="sr-latn",
                                   snapshot=take(_source(municipality.pk, today.year - 1), _source(municipality.pk, today.year - 2),
                                                 year=today.year - 1, month="05"))
    dragana = member(Role.OFFICIAL, local, username="e2e.dragana", email="e2e.dragana@test.kzn.example",
                     language="sr-cyrl")

    context = browser.new_context(base_url=live_server.url, locale="sr-Cyrl-RS", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.add_cookies([{"name": "kzn_language", "value": "sr-cyrl", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        login(page, dragana.username, "test-lozinka-123")
        page.wait_for_url(lambda url: "/accounts/" not in url)
        assert page.locator("#home-dashboard-title").is_visible()
        page.click(f"a[href='/reports/?municipality={municipality.pk}']")
        page.wait_for_selector("#figure-new_cases svg.chart")
        body = page.locator("main").inner_text()
        assert "Звездара (тест)" in body and "< 5" in body
        assert page.locator("#figure-new_cases svg.chart title").first.text_content()
        assert page.locator("#figure-new_cases table.figures").is_visible()
        screenshot(page, "dashboard-cyrillic")
        page.click(f"a[href='/reports/runs/?municipality={municipality.pk}']")
        page.wait_for_selector(f"text={period}")
        with page.expect_download() as download:
            page.click(f"a[href='/reports/runs/{run.pk}/pdf/']")
        data = open(download.value.path(), "rb").read()
        assert data.startswith(b"%PDF")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()
        assert "Звездара (тест)" in text and "Месечни извештај" in text
    finally:
        context.close()
