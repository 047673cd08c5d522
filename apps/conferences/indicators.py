"""The conferences' figures on the dashboards (apps/core/indicators.py): conferences and supervision
meetings held against the municipality's targets."""
from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.indicators import ProgrammeFigure

from .selectors.targets import may_see_targets, targets_for


def conference_figures(user, *, municipality_id: int, year: int, today) -> list[ProgrammeFigure]:
    if not may_see_targets(user):
        return []
    row = next((m for m in targets_for(user, year=year, today=today).municipalities
                if m.municipality_id == municipality_id), None)
    if row is None:
        return []
    return [
        ProgrammeFigure("conference_target", _("Case conferences held (due so far / target for the year)"),
                        str(row.held), f"{row.due_so_far} / {row.target_year}", met=row.on_track),
        ProgrammeFigure("supervision_target", _("Expert and supervision meetings held"), str(row.supervision_held),
                        str(row.supervision_target), met=row.supervision_held >= row.supervision_target),
    ]
