"""Chart geometry for the SVG templates (templates/reports/includes/chart.svg): one renderer for the
dashboard pages and the PDFs. Only shown cells are drawn; a hidden cell is a labelled gap, never a bar."""
from __future__ import annotations

from dataclasses import dataclass, field

from .periods import MONTHS, YEAR, label

WIDTH, HEIGHT = 560, 220
LEFT, BOTTOM, TOP = 44, 28, 12


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: str
    shown: str
    hidden: bool


@dataclass
class Chart:
    kind: str  # "months" (vertical bars by month) or "categories" (horizontal bars for the year)
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, int]] = field(default_factory=list)


def _scale(values: list[int]) -> tuple[int, list[int]]:
    top = max([*values, 1])
    step = max(1, -(-top // 4))
    top = step * 4
    return top, [step * i for i in range(5)]


def bar_chart(figure, rows, *, suppressed: bool) -> Chart:
    if figure.categories:
        return _categories(rows)
    return _months(rows[0])


def _months(row) -> Chart:
    cells = [row.cells[m] for m in MONTHS]
    top, ticks = _scale([c.value or 0 for c in cells])
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / len(MONTHS)
    chart = Chart("months", WIDTH, HEIGHT,
                  ticks=[(round(TOP + plot_h - plot_h * t / top, 1), t) for t in ticks])
    for i, (month, cell) in enumerate(zip(MONTHS, cells, strict=True)):
        h = 0 if cell.value is None else plot_h * cell.value / top
        chart.bars.append(Bar(x=round(LEFT + i * slot + slot * 0.15, 1), y=round(TOP + plot_h - h, 1),
                              w=round(slot * 0.7, 1), h=round(h, 1), label=label(month), shown=cell.shown,
                              hidden=cell.value is None))
    return chart


def _categories(rows) -> Chart:
    rows = [r for r in rows if not r.is_total]
    cells = [r.cells[YEAR] for r in rows]
    top, ticks = _scale([c.value or 0 for c in cells])
    slot = 22
    height = TOP + slot * len(rows) + BOTTOM
    left, plot_w = 210, WIDTH - 210 - 40
    chart = Chart("categories", WIDTH, height, ticks=[(round(left + plot_w * t / top, 1), t) for t in ticks])
    for i, (row, cell) in enumerate(zip(rows, cells, strict=True)):
        w = 0 if cell.value is None else plot_w * cell.value / top
        chart.bars.append(Bar(x=left, y=TOP + i * slot + 3, w=round(w, 1), h=slot - 6, label=row.label[:34],
                              shown=cell.shown, hidden=cell.value is None))
    return chart
