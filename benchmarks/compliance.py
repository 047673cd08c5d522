"""The protocols compliance figures on the largest municipality of the data set: every measure, the
whole history and one year, as its coordinator (row-level security on, the request's tenant context)."""
from __future__ import annotations

import statistics
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection

from apps.accounts.models import Membership
from apps.cases.models import Case
from apps.core.choices import Role
from apps.core.tenancy import user_context
from apps.municipalities.models import Municipality
from apps.protocols.selectors.compliance import MEASURES, compliance_table, figures

TZ = ZoneInfo("Europe/Belgrade")


def largest_municipality() -> tuple[Municipality, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT municipality_id, count(*) FROM {Case._meta.db_table} GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
        municipality_id, cases = cursor.fetchone()
    return Municipality.objects.get(pk=municipality_id), cases


def _timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def run(runs: int = 5) -> dict:
    """Median and max milliseconds of: all measures over the whole history in one statement; one
    measure's table for the last full year (the page); and the number of events counted."""
    municipality, cases = largest_municipality()
    coordinator = (Membership.objects.filter(municipality=municipality, role=Role.COORDINATOR, is_active=True)
                   .select_related("user").first().user)
    first = Case.objects.filter(municipality=municipality).order_by("reported_at").first().reported_at
    start = datetime(first.year, 1, 1, tzinfo=TZ)
    end = datetime(date.today().year + 1, 1, 1, tzinfo=TZ)
    year = date.today().year - 1
    result = {"municipality": municipality.name, "cases": cases}
    with user_context(coordinator):
        coordinator.refresh_access()
        rows = figures(municipality.pk, start, end)
        result["events"] = sum(r[3] + r[5] for r in rows)
        result["rows"] = len(rows)
        whole = _timed(lambda: figures(municipality.pk, start, end), runs)
        page = _timed(lambda: compliance_table(coordinator, municipality, year, MEASURES[1]), runs)
    result["whole_history_ms"] = {"median": round(statistics.median(whole), 1), "max": round(max(whole), 1)}
    result["one_year_page_ms"] = {"median": round(statistics.median(page), 1), "max": round(max(page), 1)}
    return result
