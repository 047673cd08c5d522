"""The budget tables as rows for the exports: the same summary the page shows (selectors/totals.py),
so the totals of a file equal the page's."""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .totals import BudgetSummary

TENTH = Decimal("0.1")
TABLES = ("lines", "programme", "source", "institution")


def _amount_headers() -> list[str]:
    return [_("Planned (RSD)"), _("In force (RSD)"), _("Committed (RSD)"), _("Executed (RSD)"), _("Executed %")]


def _amounts(t) -> list:
    return [t.planned, t.current, t.committed, t.executed, t.percent]


def table(data: BudgetSummary, name: str) -> tuple[list[str], list[list]]:
    """(headers, rows) of one table, its last row the total."""
    total_row = _amounts(data.total)
    if name == "lines":
        headers = [_("Year"), _("Activity"), _("Owner institution"), _("Programme"), _("Programme activity or project"),
                   _("Function"), _("Konto"), _("Funding source"), _("Co-financing donor"), _("Description"),
                   *_amount_headers()]
        rows = []
        for r in data.rows:
            executed_pct = (r.executed * 100 / r.current_amount).quantize(TENTH) if r.current_amount else TENTH * 0
            rows.append([r.year, f"{r.activity_number} {r.activity_title}", r.owner(), r.programme,
                         r.programme_activity, r.function, r.konto, r.source, r.donor, r.description,
                         r.planned, r.current_amount, r.committed, r.executed, executed_pct])
        rows.append([_("Total"), "", "", "", "", "", "", "", "", "", *total_row])
        return headers, rows
    groups = {"programme": data.by_programme, "source": data.by_source, "institution": data.by_institution}[name]
    first = {"programme": _("Programme activity or project"), "source": _("Funding source"),
             "institution": _("Owner institution")}[name]
    headers = [first, _("Name"), *_amount_headers()]
    rows = [[g.key if name != "institution" else g.label, g.label if name != "institution" else "", *_amounts(g.totals)]
            for g in groups]
    rows.append([_("Total"), "", *total_row])
    return headers, rows
