"""Programme indicators the programme apps contribute to the dashboards (the reports app reads them
through this registry and imports none of those apps' internals).

An app registers ``fn(user, *, municipality_id, year, today) -> list[ProgrammeFigure]`` in its
``AppConfig.ready()``; the function reads through the app's own selectors and rules, as ``user`` may,
and returns nothing it would not show that user. Figures about the services' work (meetings, money,
events), never about people: they are not small-number protected.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class ProgrammeFigure:
    """One figure against its target (``target`` None: no target)."""

    key: str
    label: str
    value: str
    target: str | None = None
    met: bool | None = None
    note: str = ""


_providers: list[Callable] = []


def register(fn: Callable) -> Callable:
    """Add ``fn`` once (ready() may run more than once in tests)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def figures_for(user, *, municipality_id: int, year: int, today) -> list[ProgrammeFigure]:
    """Every registered figure of a municipality's year that ``user`` may read."""
    out: list[ProgrammeFigure] = []
    for fn in _providers:
        out.extend(fn(user, municipality_id=municipality_id, year=year, today=today) or [])
    return out
