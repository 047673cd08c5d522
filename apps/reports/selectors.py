"""Reads of the reports app: the dashboard's tables from the summary (never from the cases), as a reader
sees them. One structure serves the page, the charts, the CSV/XLSX exports, the API and the PDF, so
that every output shows the same cells and hides the same ones."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from apps.core.suppression import PRIMARY, SHOWN, display

from .charts import Chart, bar_chart
from .indicators import FIGURES, UNITS
from .indicators import Figure as FigureDef
from .models import Figure, FigureRefresh, NationalFigure
from .periods import MONTHS, PERIODS, QUARTERS, YEAR, label


@dataclass
class Cell:
    value: int | None  # None: hidden
    state: str = SHOWN

    @property
    def shown(self) -> str:
        return display(self.value, self.state)


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, Cell]
    is_total: bool = False

    def ordered(self, periods=PERIODS) -> list[Cell]:
        return [self.cells[p] for p in periods]


@dataclass
class Table:
    figure: FigureDef
    rows: list[Row]
    suppressed: bool
    chart: Chart | None = None
    comparison: list[tuple[str, Cell]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.figure.key

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(p, label(p)) for p in PERIODS]

    @property
    def any_hidden(self) -> bool:
        return any(c.value is None for r in self.rows for c in r.cells.values())

    def headers(self) -> list[str]:
        return [_("Figure"), *[label(p) for p in PERIODS]]

    def export_rows(self) -> list[list]:
        """The rows as exported: shown counts as numbers, hidden ones as "< 5" or "c"."""
        return [[row.label, *[(c.value if c.value is not None else c.shown) for c in row.ordered()]]
                for row in self.rows]


@dataclass
class Dashboard:
    year: int
    period: str
    tables: list[Table]
    suppressed: bool
    refreshed_at: object = None


Source = dict[tuple[str, str, str], tuple[int, str]]  # (unit, category, period) -> (value, state)


def _cells(source: Source, unit_key: str, category: str, suppressed: bool) -> dict[str, Cell]:
    unit = UNITS[unit_key]
    protect = suppressed and unit.sensitive
    cells = {}
    for period in PERIODS:
        value, state = source.get((unit_key, category, period), (0, PRIMARY if protect else SHOWN))
        if protect and state:
            cells[period] = Cell(None, state)
        else:
            cells[period] = Cell(value, SHOWN)
    return cells


def previous_period(year: int, period: str) -> tuple[int, str]:
    if period == YEAR:
        return year - 1, YEAR
    if period in QUARTERS:
        i = QUARTERS.index(period)
        return (year, QUARTERS[i - 1]) if i else (year - 1, "Q4")
    i = MONTHS.index(period)
    return (year, MONTHS[i - 1]) if i else (year - 1, "12")


def build_tables(source: Source, previous: Source, *, year: int, period: str, suppressed: bool,
                 figures=FIGURES) -> list[Table]:
    """The dashboard's tables from one year's cells (and the year before, for the comparisons)."""
    tables = []
    for figure in figures:
        rows = []
        if figure.with_total:
            rows.append(Row("", _("Total") if figure.categories else str(figure.title),
                            _cells(source, figure.unit, "", suppressed), is_total=True))
        for key, name in figure.categories:
            rows.append(Row(key, str(name), _cells(source, figure.unit, key, suppressed)))
        table = Table(figure=figure, rows=rows, suppressed=suppressed)
        head = rows[0]
        prev_year, prev_period = previous_period(year, period)
        prev_source = source if prev_year == year else previous
        table.comparison = [
            (_("This period (%(p)s)") % {"p": label(period)}, head.cells[period]),
            (_("Previous period (%(p)s)") % {"p": label(prev_period)},
             _cells(prev_source, figure.unit, head.key, suppressed)[prev_period]),
            (_("Same period last year"), _cells(previous, figure.unit, head.key, suppressed)[period]),
        ]
        table.chart = bar_chart(figure, rows, suppressed=suppressed)
        tables.append(table)
    return tables


def _source(queryset) -> Source:
    return {(u, c, p): (v, s) for u, c, p, v, s in queryset.values_list("unit", "category", "period", "value", "state")}


def municipal_dashboard(user, municipality_id: int, *, year: int, period: str, institution_id: int = 0,
                        suppressed: bool = True) -> Dashboard:
    """A municipality's (or one of its institutions') figures as ``user`` may read them; the caller has
    checked the reach (rules.reach)."""
    rows = Figure.objects.visible_to(user).for_municipality(municipality_id).for_institution(institution_id).filter(
        year__in=(year, year - 1))
    current = _source(rows.filter(year=year))
    previous = _source(rows.filter(year=year - 1))
    stamp = FigureRefresh.objects.visible_to(user).for_municipality(municipality_id).filter(year=year).first()
    return Dashboard(year=year, period=period, suppressed=suppressed,
                     tables=build_tables(current, previous, year=year, period=period, suppressed=suppressed),
                     refreshed_at=stamp.refreshed_at if stamp else None)


def national_dashboard(*, year: int, period: str) -> Dashboard:
    """The national aggregates (every municipality together), always protected."""
    rows = NationalFigure.objects.filter(year__in=(year, year - 1), place_id=0)
    current = _source(rows.filter(year=year))
    previous = _source(rows.filter(year=year - 1))
    return Dashboard(year=year, period=period, suppressed=True,
                     tables=build_tables(current, previous, year=year, period=period, suppressed=True))


COMPARED = ("cases", "emergency", "protective", "referrals", "plans")


def national_comparison(*, year: int, period: str, municipalities) -> tuple[list[str], list[tuple[str, list[Cell]]]]:
    """Each municipality's totals of the period side by side (protected together with the national cells):
    the headers and one row per municipality."""
    rows = NationalFigure.objects.filter(year=year, period=period, category="", unit__in=COMPARED).exclude(place_id=0)
    found = {(u, m): (v, s) for u, m, v, s in rows.values_list("unit", "place_id", "value", "state")}
    out = []
    for municipality in municipalities:
        cells = []
        for unit_key in COMPARED:
            value, state = found.get((unit_key, municipality.pk), (0, PRIMARY))
            cells.append(Cell(None, state) if state else Cell(value))
        out.append((municipality.display_name(), cells))
    return [str(UNITS[u].title) for u in COMPARED], out
