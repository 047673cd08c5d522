"""A report's snapshot: the figures of one municipality and month as shown to readers who may not open
the cases (display strings only; a hidden count is never stored), and the tables rebuilt from it for
the PDF in any language."""
from __future__ import annotations

from apps.core.suppression import COMPLEMENT, HIDDEN, PRIMARY, SECONDARY, SHOWN

from .charts import bar_chart
from .indicators import FIGURES, FIGURES_BY_KEY
from .periods import MONTHS, PERIODS, label
from .selectors import Cell, Row, Table, build_tables


def take(source, previous, *, year: int, month: str) -> dict:
    """The snapshot of a month from the summary's cells (always protected)."""
    tables = build_tables(source, previous, year=year, period=month, suppressed=True)
    return {
        "year": year, "month": month,
        "tables": [{
            "key": t.key,
            "rows": [{"key": r.key, "total": r.is_total, "cells": {p: r.cells[p].shown for p in PERIODS}} for r in t.rows],
            "comparison": [c.shown for _name, c in t.comparison],
        } for t in tables],
    }


def _cell(shown: str) -> Cell:
    if shown == HIDDEN:
        return Cell(None, PRIMARY)
    if shown == COMPLEMENT:
        return Cell(None, SECONDARY)
    return Cell(int(shown or 0), SHOWN)


def tables_from_snapshot(snapshot: dict) -> tuple[list[Table], list[tuple[str, str]]]:
    """The snapshot's tables with labels in the active language, and the months it covers."""
    month = snapshot["month"]
    months = [(m, label(m)) for m in MONTHS[:MONTHS.index(month) + 1]]
    tables = []
    for data in snapshot["tables"]:
        figure = FIGURES_BY_KEY.get(data["key"])
        if figure is None:
            continue
        names = dict(figure.categories)
        rows = [Row(r["key"], str(names.get(r["key"], figure.title)) if r["key"] else str(figure.title),
                    {p: _cell(v) for p, v in r["cells"].items()}, is_total=r["total"]) for r in data["rows"]]
        table = Table(figure=figure, rows=rows, suppressed=True)
        table.chart = bar_chart(figure, rows, suppressed=True)
        table.comparison = list(zip(("this", "previous", "last_year"), map(_cell, data["comparison"]), strict=False))
        tables.append(table)
    order = {f.key: i for i, f in enumerate(FIGURES)}
    tables.sort(key=lambda t: order[t.key])
    return tables, months
