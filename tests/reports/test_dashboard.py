"""The dashboards as each reader sees them: officials and institution admins protected, coordinators
whole with a drill-down, nobody else; the national reader sees every municipality together, no case."""
from __future__ import annotations

import re

import pytest
import time_machine

from apps.core.choices import Role
from apps.reports.services.figures import refresh, refresh_national
from tests.factories import UserFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def summarised(year):
    with time_machine.travel(NOW, tick=False):
        refresh(municipality_id=year.w.mun_a.pk, year=2026, now=NOW)
        refresh(municipality_id=year.w.mun_a.pk, year=2025, now=NOW)
        refresh(municipality_id=year.w.mun_b.pk, year=2026, now=NOW)
        refresh_national(year=2026)
    return year


def figure_table(html: str, key: str) -> str:
    start = html.index(f'id="figure-{key}"')
    return html[start:html.index("</section>", start)]


def numbers(fragment: str) -> list[int]:
    cells = re.findall(r"<td>([^<]*)</td>", fragment)
    return [int(c) for c in cells if c.strip().isdigit()]


def test_official_sees_no_count_under_five(summarised, login):
    w = summarised.w
    response = login(w.users[Role.OFFICIAL]).get(f"/reports/?municipality={w.mun_a.pk}&year=2026&period=Q1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt; 5" in html
    table = figure_table(html, "new_cases")
    assert all(n >= 5 for n in numbers(table)), "a count under 5 is shown"
    assert "Fiktivna" not in html and "Primerić" not in html
    assert summarised.cases[0].number not in html
    assert "Open the cases" not in html and "Operational figures today" not in html


def test_coordinator_sees_the_counts_and_may_drill_down(summarised, login):
    w = summarised.w
    html = login(w.users[Role.COORDINATOR]).get(f"/reports/?municipality={w.mun_a.pk}&year=2026&period=Q1").content.decode()
    assert numbers(figure_table(html, "new_cases"))[:6] == [1, 1, 1, 0, 0, 1]
    assert "Open the cases" in html
    assert "Operational figures today" in html and "Referrals waiting for an answer" in html


def test_institution_admin_reads_only_her_institution(summarised, login):
    w = summarised.w
    client = login(w.users[Role.INSTITUTION_ADMIN])
    html = client.get(f"/reports/?municipality={w.mun_a.pk}&institution={w.police_a.pk}").content.decode()
    assert w.csr_a.name in html and "All institutions" not in html


def test_other_roles_and_municipalities_get_nothing(summarised, login):
    w = summarised.w
    assert login(w.users[Role.CASEWORKER]).get("/reports/").status_code == 404
    other = login(w.users["other_municipality"][Role.OFFICIAL])
    html = other.get(f"/reports/?municipality={w.mun_a.pk}").content.decode()
    assert "Testgrad A" not in html.split("<h1>")[1].split("</h1>")[0]
    assert other.get("/reports/national/").status_code == 404


def test_export_is_the_page(summarised, login):
    w = summarised.w
    client = login(w.users[Role.OFFICIAL])
    body = client.get(f"/reports/export/csv/new_cases/?municipality={w.mun_a.pk}&year=2026").content.decode("utf-8-sig")
    assert "< 5" in body
    assert all(int(v) >= 5 for v in re.findall(r";(\d+)", body))
    assert client.get(f"/reports/export/xlsx/risk/?municipality={w.mun_a.pk}&year=2026").status_code == 200


def test_national_reader(summarised, login):
    reader = UserFactory(is_national_reader=True)
    client = login(reader)
    html = client.get("/reports/national/?year=2026&period=Y").content.decode()
    assert "Municipalities compared" in html and "Testgrad A" in html and "Testgrad B" in html
    assert all(n >= 5 for n in numbers(figure_table(html, "new_cases")))
    assert client.get("/reports/").status_code == 404
    assert client.get("/cases/").status_code in (302, 403, 404) or "Fiktivna" not in client.get("/cases/").content.decode()


def test_quarterly_national_report(summarised, login):
    import subprocess

    from apps.reports.services.runs import produce_national

    run = produce_national(period="2026-Q1")
    assert produce_national(period="2026-Q1").pk == run.pk  # one per quarter
    reader = UserFactory(is_national_reader=True)
    client = login(reader)
    assert f"/reports/national/reports/{run.pk}/pdf/" in client.get("/reports/national/?year=2026").content.decode()
    pdf = client.get(f"/reports/national/reports/{run.pk}/pdf/")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content, capture_output=True,
                          check=True).stdout.decode()
    assert "Quarterly national report" in text and "All municipalities" in text
    assert "Fiktivna" not in text
    assert login(summarised.w.users[Role.OFFICIAL]).get(f"/reports/national/reports/{run.pk}/pdf/").status_code == 404
