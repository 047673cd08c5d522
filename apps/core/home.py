"""Panels of the home page, contributed by the apps (the core knows none of them).

An app registers ``fn(request) -> HomePanel | None`` in its ``AppConfig.ready()`` with
``register(fn)``; the home page shows every panel returned, the acting membership's role first,
then by ``order``. A panel callable must cost a fixed number of queries.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class HomePanel:
    """One block of the home page, rendered by its own template."""

    key: str
    template: str
    order: int
    roles: tuple[str, ...] = ()  # the roles the panel serves (shown first to a user acting in one)
    context: dict = field(default_factory=dict)
    styles: tuple[str, ...] = ()  # static paths of stylesheets the panel needs
    scripts: tuple[str, ...] = ()  # static paths of scripts the panel needs


home_panels: list[Callable] = []


def register(fn: Callable) -> Callable:
    """Add ``fn`` once (ready() may run more than once in tests)."""
    if fn not in home_panels:
        home_panels.append(fn)
    return fn


def collect(request, active_role: str = "") -> list[HomePanel]:
    """Every panel for this user, the acting role's first."""
    panels = [panel for fn in home_panels if (panel := fn(request)) is not None]
    panels.sort(key=lambda p: (0 if active_role and active_role in p.roles else 1, p.order))
    return panels
