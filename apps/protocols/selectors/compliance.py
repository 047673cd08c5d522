"""Compliance with the procedure steps, measured from the case events (figures only).

Every figure comes from one statement over ``protocols_compliance_events`` (migration protocols 0002,
the one definition of what each measure counts). Per measure, institution and month (Europe/Belgrade):
how many events fell due (done, or their deadline passed), how many were on time, how many are still
running, and the median hours to the proving event. Readers who may not open the cases see cells of
fewer than 5 as "< 5", with a second cell of the row hidden when one alone would let the total reveal it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from apps.cases.models import Case
from apps.institutions.models import Institution

from ..choices import ProvingEvent, TimeUnit
from ..models import ProtocolStep
from ..rules import compliance_reach, compliance_rows

TZ = ZoneInfo("Europe/Belgrade")
K = 5  # cells below this are suppressed for readers who may not open the cases
MEASURES = [value for value in ProvingEvent.values if value]
DEFAULT_PLAN_DAYS = 15

STATEMENT = """
SELECT e.measure, e.institution_id,
       date_trunc('month', e.started_at AT TIME ZONE 'Europe/Belgrade')::date AS month,
       count(*) FILTER (WHERE e.done_at IS NOT NULL OR e.due_at <= %s) AS due,
       count(*) FILTER (WHERE e.done_at <= e.due_at) AS on_time,
       count(*) FILTER (WHERE e.done_at IS NULL AND e.due_at > %s) AS running,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.done_at - e.started_at) / 3600.0)
           FILTER (WHERE e.done_at IS NOT NULL) AS median_hours
FROM protocols_compliance_events(%s, %s, %s, %s) e
WHERE {where}
GROUP BY 1, 2, 3
"""

CASES = """
SELECT DISTINCT e.case_id FROM protocols_compliance_events(%s, %s, %s, %s) e
WHERE e.measure = %s AND {rows} AND (e.done_at IS NOT NULL OR e.due_at <= %s)
  AND (%s = '' OR (%s = 'on_time') = (e.done_at IS NOT NULL AND e.done_at <= e.due_at))
"""


@dataclass
class Cell:
    """One figure: events due, on time, still running, median hours; ``hidden`` when suppressed."""

    due: int = 0
    on_time: int = 0
    running: int = 0
    median_hours: float | None = None
    hidden: bool = False

    @property
    def share(self) -> float | None:
        return None if self.hidden or not self.due else round(100.0 * self.on_time / self.due, 1)


@dataclass
class Table:
    """Rows (institutions) x months of one measure, with a total per row."""

    measure: str
    months: list[date]
    rows: list[dict] = field(default_factory=list)
    suppressed: bool = False
    drill_down: bool = False


def month_start(day: date) -> datetime:
    return datetime.combine(day.replace(day=1), time.min, tzinfo=TZ)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return month_start(date(year, 1, 1)), month_start(date(year + 1, 1, 1))


def plan_days(municipality_id: int) -> int:
    """The plan's time limit from the municipality's adopted protocol (in days), else 15 days."""
    step = ProtocolStep.objects.adopted_of(municipality_id, ProvingEvent.PLAN_MADE).first()
    if step is None:
        return DEFAULT_PLAN_DAYS
    return step.time_amount if step.time_unit == TimeUnit.DAYS else max(1, step.time_amount // 24)


def figures(municipality_id: int, start: datetime, end: datetime, *, institutions=None, now=None) -> list[tuple]:
    """Raw rows (measure, institution, month, due, on_time, running, median) in one statement."""
    now = now or timezone.now()
    where, params = ("TRUE", []) if institutions is None else compliance_rows("e", institutions)
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT.format(where=where),
                       [now, now, municipality_id, start, end, plan_days(municipality_id), *params])
        return cursor.fetchall()


def _suppress(cells: list[Cell]) -> None:
    small = [c for c in cells if 0 < c.due < K]
    for cell in small:
        cell.hidden = True
    if len(small) == 1:
        # One hidden cell and a shown total would reveal it: hide the next smallest one too.
        others = sorted((c for c in cells if c.due and not c.hidden), key=lambda c: c.due)
        if others:
            others[0].hidden = True


def compliance_table(user, municipality, year: int, measure: str, *, now=None) -> Table | None:
    """The table a user may read for one measure and year (None: not theirs to read)."""
    reach = compliance_reach(user.access, municipality.pk)
    if reach is None:
        return None
    institutions = None if isinstance(reach, str) else reach
    start, end = year_bounds(year)
    months = [date(year, m, 1) for m in range(1, 13)]
    found: dict = {}
    for row_measure, institution_id, month, due, on_time, running, median in figures(
            municipality.pk, start, end, institutions=institutions, now=now):
        if row_measure != measure:
            continue
        found[(institution_id, month)] = Cell(due, on_time, running, None if median is None else round(float(median), 1))
    names = {i.pk: i for i in Institution.objects.filter(pk__in={k[0] for k in found if k[0]})}
    table = Table(measure=measure, months=months, suppressed=reach != "cases", drill_down=reach == "cases")
    for institution_id in sorted({k[0] for k in found}, key=lambda pk: (pk is None, str(names.get(pk, "")))):
        cells = [found.get((institution_id, m), Cell()) for m in months]
        total = Cell(sum(c.due for c in cells), sum(c.on_time for c in cells), sum(c.running for c in cells))
        if table.suppressed:
            _suppress(cells)
            total.hidden = 0 < total.due < K
        table.rows.append({"institution": names.get(institution_id), "institution_id": institution_id,
                           "cells": list(zip(months, cells, strict=True)), "total": total})
    return table


def drill_down_cases(user, municipality, measure: str, institution_id, month: date, outcome: str = "", *, now=None):
    """The cases behind one figure, only those the user may open (coordinators only)."""
    if compliance_reach(user.access, municipality.pk) != "cases" or measure not in MEASURES:
        return Case.objects.none()
    now = now or timezone.now()
    start = month_start(month)
    end = month_start(date(month.year + (month.month == 12), month.month % 12 + 1, 1))
    rows, params = compliance_rows("e", [institution_id]) if institution_id else ("e.institution_id IS NULL", [])
    with connection.cursor() as cursor:
        cursor.execute(CASES.format(rows=rows), [municipality.pk, start, end, plan_days(municipality.pk), measure,
                                                 *params, now, outcome, outcome])
        ids = [r[0] for r in cursor.fetchall()]
    return Case.objects.visible_to(user, "view").filter(pk__in=ids).order_by("-reported_at")
