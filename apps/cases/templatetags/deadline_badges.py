"""``{{ badge|deadline_badge }}``: the one deadline badge macro (templates/jinja2/cases/macros.html) in
the Django templates of the case pages."""
from __future__ import annotations

from functools import lru_cache

from django import template

from apps.core.jinja_env import jinja_macros

register = template.Library()


@lru_cache(maxsize=1)
def _macros():
    return jinja_macros("cases/macros.html")


@register.filter
def deadline_badge(badge):
    """The badge's markup (nothing for no badge)."""
    return _macros().badge(badge)
