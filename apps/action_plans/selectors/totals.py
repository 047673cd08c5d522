"""The figures of a plan's programme budget: one read of its lines, every total summed from it.

Every table (the execution table, the tables per programme, funding source and institution, the
exports, the PDF and the snapshot of a version) is built from ``budget_rows``: the same lines, the
same Decimal sums, so a total shown anywhere equals the sum of the lines shown with it.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from ..models import BudgetCode, BudgetLine, Execution

ZERO = Decimal("0.00")


@dataclass
class Totals:
    """Planned, in force (after rebalans), committed and executed, in RSD."""

    planned: Decimal = ZERO
    current: Decimal = ZERO
    committed: Decimal = ZERO
    executed: Decimal = ZERO
    lines: int = 0

    def add(self, row) -> None:
        self.planned += row.planned
        self.current += row.current_amount
        self.committed += row.committed
        self.executed += row.executed
        self.lines += 1

    @property
    def remaining(self) -> Decimal:
        return self.current - self.executed

    @property
    def percent(self) -> Decimal:
        """Executed as a share of the amount in force (one decimal)."""
        if not self.current:
            return ZERO
        return (self.executed * 100 / self.current).quantize(Decimal("0.1"))


@dataclass
class Group:
    key: str
    label: str
    totals: Totals = field(default_factory=Totals)


def budget_rows(plan, year: int | None = None) -> list[BudgetLine]:
    """The plan's lines (of one year, or all) with ``executed`` summed, activity and owner, in table
    order; one statement."""
    executed = (
        Execution.objects.filter(line_id=OuterRef("pk")).order_by().values("line_id")
        .annotate(s=Sum("amount")).values("s")
    )
    queryset = (
        BudgetLine.objects.filter(plan=plan)
        .select_related("activity", "activity__owner_institution", "activity__measure__goal")
        .annotate(executed=Coalesce(Subquery(executed, output_field=DecimalField(max_digits=16, decimal_places=2)),
                                    Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2)))
        .order_by("year", "programme_activity", "activity__measure__goal__number", "activity__measure__number",
                  "activity__number", "konto", "id")
    )
    if year is not None:
        queryset = queryset.filter(year=year)
    return list(queryset)


def code_names(years, language: str | None = None) -> dict[tuple[int, str, str], str]:
    """{(year, kind, code): name in the reader's script} for the given years (one query)."""
    return {(c.year, c.kind, c.code): c.display_name(language) for c in BudgetCode.objects.filter(year__in=set(years))}


def _grouped(rows, key, label) -> list[Group]:
    groups: OrderedDict[str, Group] = OrderedDict()
    for row in rows:
        k = key(row)
        group = groups.get(k)
        if group is None:
            group = groups[k] = Group(k, label(row))
        group.totals.add(row)
    return sorted(groups.values(), key=lambda g: g.key)


@dataclass
class BudgetSummary:
    rows: list
    total: Totals
    by_programme: list[Group]
    by_source: list[Group]
    by_institution: list[Group]
    names: dict


def summary(plan, year: int | None = None, language: str | None = None) -> BudgetSummary:
    """The execution table of a plan and its totals per programme activity, funding source and owner
    institution, all summed from the same rows."""
    rows = budget_rows(plan, year)
    names = code_names({r.year for r in rows} or {year or plan.period_from}, language)
    total = Totals()
    for row in rows:
        total.add(row)
        row.activity_name = row.activity.title
        row.source_name = names.get((row.year, "source", row.source), "")
        row.konto_name = names.get((row.year, "economic", row.konto), "")
        row.programme_activity_name = names.get((row.year, "activity", row.programme_activity), "")
    return BudgetSummary(
        rows=rows,
        total=total,
        by_programme=_grouped(rows, lambda r: r.programme_activity, lambda r: r.programme_activity_name),
        by_source=_grouped(rows, lambda r: r.source, lambda r: r.source_name),
        by_institution=_grouped(rows, lambda r: str(r.activity.owner_institution_id),
                                lambda r: r.activity.owner_institution.display_name(language)),
        names=names,
    )


def monthly_execution(plan, year: int) -> list[Decimal]:
    """Executed amount per month of ``year`` (12 values), for the chart."""
    months = [ZERO] * 12
    rows = (
        Execution.objects.filter(plan=plan, executed_on__year=year).annotate(m=ExtractMonth("executed_on"))
        .order_by().values("m").annotate(s=Sum("amount"))
    )
    for row in rows:
        months[row["m"] - 1] = row["s"]
    return months


def plan_snapshot(plan) -> dict:
    """The figures of a version of the plan (kept with the version: counts and budget totals per year)."""
    rows = budget_rows(plan)
    per_year: dict[int, Totals] = {}
    for row in rows:
        per_year.setdefault(row.year, Totals()).add(row)
    return {
        "goals": plan.goals.count(),
        "measures": plan.measures.count(),
        "activities": plan.activities.count(),
        "indicators": plan.indicators.count(),
        "budget": {str(y): {"planned": str(t.planned), "in_force": str(t.current), "lines": t.lines}
                   for y, t in sorted(per_year.items())},
    }
