"""Action plan contributions to the work queue, registered on the cases hooks (the same mechanism as
apps/conferences/hooks.py), and the link point for the programme-events app.

``event_links``: the events app (which this app never imports) may register ``fn(activity) -> str | None``
returning the URL of the event recorded for an activity whose ``event_kind`` is set; the activity keeps
that event's id in ``Activity.event_ref``.
"""
from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from apps.cases import hooks as case_hooks

from .selectors.plans import due_for

event_links: list[Callable] = []


def register_event_link(fn: Callable) -> Callable:
    """The events app registers how to link an activity to its event (once)."""
    return case_hooks.register(event_links, fn)


def activities_due_section(user, now):
    """The user's activities as responsible person: ending within 30 days, late, or with a report due."""
    items = due_for(user, timezone.localdate(now))
    if not items:
        return None
    return case_hooks.WorkQueueSection(
        key="action_plan_activities", template="action_plans/includes/work_queue.html", items=items,
        extra={"today": timezone.localdate(now)},
    )


case_hooks.register(case_hooks.work_queue_sections, activities_due_section)
