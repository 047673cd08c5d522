"""Extension points for apps built on the cases app (cases never imports them).

An app registers callables in its ``AppConfig.ready()``:

* ``work_queue_sections``: ``fn(user, now) -> WorkQueueSection | None``: one more group of the work
  queue (the callable must cost a fixed number of queries, ideally one);
* ``case_panels``: ``fn(request, case) -> CasePanel | None``: a panel on the case page;
* ``anonymisers``: ``fn(case_ids)``: remove the app's own texts about cases being anonymised past
  retention (called inside the anonymising transaction; services/retention.py);
* ``next_conference``: ``fn(user, case) -> datetime | None``: when the next case conference that will
  take up the case starts, if one is scheduled and the user may see it (messages name it).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class WorkQueueSection:
    """A group of the work queue contributed by another app, rendered by its own template."""

    key: str
    template: str
    items: list
    cases: list = field(default_factory=list)  # the cases shown, audited as read with the queue
    extra: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class CasePanel:
    """A panel on the case page contributed by another app, rendered by its own template."""

    key: str
    template: str
    context: dict = field(default_factory=dict)


work_queue_sections: list[Callable] = []
case_panels: list[Callable] = []
next_conference: list[Callable] = []
anonymisers: list[Callable] = []


def register(registry: list[Callable], fn: Callable) -> Callable:
    """Add ``fn`` to a registry once (ready() may run more than once in tests)."""
    if fn not in registry:
        registry.append(fn)
    return fn


def collect_work_queue_sections(user, now) -> list[WorkQueueSection]:
    """Every registered section that has something for the user."""
    sections = []
    for fn in work_queue_sections:
        section = fn(user, now)
        if section is not None and len(section):
            sections.append(section)
    return sections


def collect_case_panels(request, case) -> list[CasePanel]:
    """Every registered panel for this case and reader."""
    return [panel for fn in case_panels if (panel := fn(request, case)) is not None]


def next_conference_start(user, case):
    """The start of the next case conference for the case that the user may see (the earliest any
    registered app knows of), or None."""
    starts = [start for fn in next_conference if (start := fn(user, case)) is not None]
    return min(starts) if starts else None
