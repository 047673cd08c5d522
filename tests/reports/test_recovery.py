"""Someone who may not open the cases collects every output about a municipality's year — the dashboard
page (whole and per institution), the CSV and XLSX of every figure, the API and the report's PDF
snapshot — and tries to work out the hidden cells from the totals, the rows, the quarters and the
institutions: no hidden cell can be pinned to one value, and no cell is shown differently in two places."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
import time_machine
from openpyxl import load_workbook

from apps.core.choices import Role
from apps.core.suppression import COMPLEMENT, HIDDEN, PRIMARY, SECONDARY, attack
from apps.reports.indicators import FIGURES, UNITS
from apps.reports.periods import PERIODS
from apps.reports.services import runs
from apps.reports.services.figures import refresh, relations_of
from tests.cases.factories_measures import make_case

from .conftest import NOW, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def busier_year(year):
    """More cases, so that some cells are shown and the protection has something to protect."""
    w = year.w
    worker, cop = w.users[Role.CASEWORKER], w.users["police_caseworker"]
    plan = [(1, w.csr_a, worker, 9), (2, w.police_a, cop, 6), (3, w.csr_a, worker, 2), (4, w.police_a, cop, 7),
            (5, w.csr_a, worker, 5)]
    for month, institution, by, count in plan:
        for i in range(count):
            case = make_case(institution=institution, opened_by=by,
                             reported_at=datetime(2026, month, 3 + i, 10, tzinfo=UTC),
                             risk_level="high" if i % 3 == 0 else "")
            person(case, "victim", "female" if i % 4 else "male", birth_year=1980 + i)
    with time_machine.travel(NOW, tick=False):
        refresh(municipality_id=w.mun_a.pk, year=2026, now=NOW)
        refresh(municipality_id=w.mun_a.pk, year=2025, now=NOW)
    return year


def _put(known: dict, key, shown: str, where: str):
    shown = shown.strip()
    if key in known:
        assert known[key] == shown, f"{key} shown as {known[key]!r} and as {shown!r} ({where})"
    known[key] = shown


def _from_rows(known, place, figure, rows, where):
    keys = ([""] if figure.with_total else []) + [k for k, _l in figure.categories]
    assert len(rows) == len(keys), where
    for category, cells in zip(keys, rows, strict=True):
        assert len(cells) == len(PERIODS), where
        for period, shown in zip(PERIODS, cells, strict=True):
            _put(known, (figure.unit, category, period, place), str(shown), where)


def collect(client, municipality, institutions) -> dict:
    known: dict = {}
    for place in [0, *institutions]:
        query = f"municipality={municipality}&year=2026&period=Y" + (f"&institution={place}" if place else "")
        html = client.get(f"/reports/?{query}").content.decode()
        for figure in FIGURES:
            start = html.index(f'id="figure-{figure.key}"')
            section = html[start:html.index("</section>", start)]
            rows = [re.findall(r"<td>([^<]*)</td>", r) for r in
                    re.findall(r'<tr(?: class="total")?><th scope="row">[^<]*</th>((?:<td>[^<]*</td>)+)</tr>', section)]
            rows = [r for r in rows if len(r) == len(PERIODS)]
            _from_rows(known, place, figure, [[c.replace("&lt;", "<") for c in r] for r in rows], f"page {place}")
            csv = client.get(f"/reports/export/csv/{figure.key}/?{query}").content.decode("utf-8-sig").splitlines()[1:]
            _from_rows(known, place, figure, [line.split(";")[1:] for line in csv], f"csv {place}")
            book = load_workbook(io.BytesIO(client.get(f"/reports/export/xlsx/{figure.key}/?{query}").content))
            sheet_rows = list(book.active.iter_rows(values_only=True))[1:]
            _from_rows(known, place, figure, [[str(v) for v in r[1:]] for r in sheet_rows], f"xlsx {place}")
        api = client.get(f"/api/v1/report-figures/?{query}").json()
        for data in api["figures"]:
            figure = next(f for f in FIGURES if f.key == data["key"])
            _from_rows(known, place, figure, [[c["shown"] for c in r["cells"]] for r in data["rows"]], f"api {place}")
    return known


def test_no_hidden_cell_can_be_recovered_from_any_output(busier_year, login, settings,
                                                         django_capture_on_commit_callbacks):
    w = busier_year.w
    client = login(w.users[Role.OFFICIAL])
    institutions = [w.csr_a.pk, w.police_a.pk]
    known = collect(client, w.mun_a.pk, institutions)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        run = runs.request_run(municipality_id=w.mun_a.pk, period="2026-11")
    run.refresh_from_db()
    for data in run.snapshot["tables"]:
        figure = next(f for f in FIGURES if f.key == data["key"])
        _from_rows(known, 0, figure, [[r["cells"][p] for p in PERIODS] for r in data["rows"]], "pdf")
    all_institutions = sorted(i for i in {k[3] for k in known} if i)
    assert any(v.isdigit() for v in known.values()), "nothing shown: the test would prove nothing"
    hidden_seen = 0
    for unit in UNITS.values():
        if not unit.sensitive:
            continue
        keys, relations = relations_of(unit, all_institutions)
        # Institutions the page does not list are not known to the reader either; the relations of the
        # ones it lists are what she can use. Cells of the listed places she never saw count as hidden.
        shown, states = {}, {}
        for key in keys:
            mark = known.get(key, HIDDEN)
            shown[key] = int(mark) if mark.isdigit() else None
            states[key] = PRIMARY if mark == HIDDEN else (SECONDARY if mark == COMPLEMENT else "")
            assert mark == HIDDEN or mark == COMPLEMENT or int(mark) >= 5, f"{key} shows {mark}"
        # The largest shown count bounds every cell (the year total of a unit is shown when it is 5 or more).
        bounds = attack(shown, states, relations, ceiling=max([v for v in shown.values() if v is not None] + [5]))
        hidden_seen += len(bounds)
        pinned = {k: b for k, b in bounds.items() if b[0] >= b[1]}
        assert not pinned, f"recovered: {pinned}"
    assert hidden_seen
