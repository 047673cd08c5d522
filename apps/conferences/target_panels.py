"""Panels other apps add to the conference targets page (the programme's other targets beside the
conference ones), without this app importing them.

An app registers ``fn(user, *, year, today) -> TargetPanel | None`` (in its ``ready()``); the page
renders each panel's template with its context, after the conference tables.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class TargetPanel:
    key: str
    template: str
    context: dict = field(default_factory=dict)


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(user, *, year: int, today) -> list[TargetPanel]:
    panels = []
    for provider in _providers:
        panel = provider(user, year=year, today=today)
        if panel is not None:
            panels.append(panel)
    return panels
