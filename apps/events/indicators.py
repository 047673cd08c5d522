"""The programme events' figures on the dashboards (apps/core/indicators.py): held against the targets."""
from __future__ import annotations

from apps.core.indicators import ProgrammeFigure

from .selectors.targets import may_see, targets_for


def event_figures(user, *, municipality_id: int, year: int, today) -> list[ProgrammeFigure]:
    if not may_see(user):
        return []
    _name, rows = targets_for(user)
    row = next((m for m in rows if m.municipality_id == municipality_id), None)
    if row is None:
        return []
    return [ProgrammeFigure(f"events_{k.kind}", k.label, str(k.held), str(k.target), met=k.met)
            for k in row.kinds if k.target]
