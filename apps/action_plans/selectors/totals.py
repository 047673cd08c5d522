"""The figures of a plan's programme budget: one read of its lines, every total summed from it.

Every table (the execution table, the tables per programme, funding source and institution, the
exports, the PDF and the snapshot of a version) is built from ``budget_rows``: the same lines, the
same Decimal sums, so a total shown anywhere equals the sum of the lines shown with it.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import get_language

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


@dataclass(slots=True)
class Row:
    """One budget line as the tables show it (read with ``values()``: no model instances)."""

    id: int
    year: int
    programme: str
    programme_activity: str
    function: str
    konto: str
    source: str
    donor: str
    description: str
    planned: Decimal
    amended: Decimal | None
    committed: Decimal
    version: int
    activity_id: int
    activity_title: str
    activity_number: str
    owner_id: int
    owner_name: str
    owner_name_cyrl: str
    executed: Decimal = ZERO
    source_name: str = ""
    konto_name: str = ""
    programme_activity_name: str = ""
    executions: list = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def current_amount(self) -> Decimal:
        return self.planned if self.amended is None else self.amended

    def owner(self, language: str | None = None) -> str:
        language = (language if language is not None else get_language()) or ""
        return self.owner_name_cyrl if language.lower().endswith("cyrl") and self.owner_name_cyrl else self.owner_name


ROW_FIELDS = ("id", "year", "programme", "programme_activity", "function", "konto", "source", "donor", "description",
              "planned", "amended", "committed", "version", "activity_id", "activity__title", "activity__number",
              "activity__measure__number", "activity__measure__goal__number", "activity__owner_institution_id",
              "activity__owner_institution__name", "activity__owner_institution__name_cyrl")


def budget_rows(plan, year: int | None = None, activity_id: int | None = None) -> list[Row]:
    """The plan's lines (of one year, or all; of one activity, or all) with ``executed`` summed, in table
    order: two statements (the lines with their activity and owner, the executions summed per line)."""
    lines = BudgetLine.objects.filter(plan=plan)
    executions = Execution.objects.filter(plan=plan)
    if year is not None:
        lines = lines.filter(year=year)
        # An execution is dated in its line's year (services/budget.py): one range on the plan's rows.
        executions = executions.filter(executed_on__gte=date(year, 1, 1), executed_on__lte=date(year, 12, 31))
    if activity_id is not None:
        lines = lines.filter(activity_id=activity_id)
        executions = executions.filter(line__activity_id=activity_id)
    executed = dict(executions.order_by().values("line_id").annotate(s=Sum("amount")).values_list("line_id", "s"))
    rows = []
    for v in lines.order_by("year", "programme_activity", "activity__measure__goal__number", "activity__measure__number",
                            "activity__number", "konto", "id").values_list(*ROW_FIELDS):
        rows.append(Row(
            id=v[0], year=v[1], programme=v[2], programme_activity=v[3], function=v[4], konto=v[5], source=v[6],
            donor=v[7], description=v[8], planned=v[9], amended=v[10], committed=v[11], version=v[12], activity_id=v[13],
            activity_title=v[14], activity_number=f"{v[17]}.{v[16]}.{v[15]}", owner_id=v[18], owner_name=v[19],
            owner_name_cyrl=v[20], executed=executed.get(v[0], ZERO),
        ))
    return rows


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
        row.source_name = names.get((row.year, "source", row.source), "")
        row.konto_name = names.get((row.year, "economic", row.konto), "")
        row.programme_activity_name = names.get((row.year, "activity", row.programme_activity), "")
    return BudgetSummary(
        rows=rows,
        total=total,
        by_programme=_grouped(rows, lambda r: r.programme_activity, lambda r: r.programme_activity_name),
        by_source=_grouped(rows, lambda r: r.source, lambda r: r.source_name),
        by_institution=_grouped(rows, lambda r: str(r.owner_id), lambda r: r.owner(language)),
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
