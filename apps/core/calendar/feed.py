"""What the private calendar feed lists: every app that has calendar items registers a source.

A source is ``fn(user) -> iterable of CalendarEntry`` (the user's own items the user may still see,
in the current language). The feed view (apps.conferences.feeds, where the feed tokens live) serves
``entries_for(user)``; an app adds its items with ``register(fn)`` in its ``ready()``, so the feed
module never imports the apps it lists.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .entry import CalendarEntry

Source = Callable[[object], Iterable[CalendarEntry]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add a source of feed entries (once)."""
    if source not in _sources:
        _sources.append(source)
    return source


def sources() -> list[Source]:
    return list(_sources)


def entries_for(user) -> list[CalendarEntry]:
    """Every registered source's entries for the user, soonest first."""
    entries: list[CalendarEntry] = []
    for source in _sources:
        entries.extend(source(user))
    entries.sort(key=lambda e: (e.starts_at, e.uid))
    return entries
