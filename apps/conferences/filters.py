"""The parameters of the conferences' lists, defined once for the page and the API (same names):

- action items (``/conferences/actions/`` and ``/api/v1/action-items/``): ``status`` (open, overdue,
  done, cancelled or all) and ``meeting`` (the items decided at one meeting);
- the case parts of minutes (``/api/v1/minutes-items/``): ``meeting``.

The FilterSet validates and normalises; the rows come from the selectors (``selectors.actions``), over
``visible_to(user)``. Bad input is a message on the field it names, in the user's language.
"""
from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.filters import FormOnceFilterSet

from .choices import ActionStatus
from .models import ActionItem, AgendaItem

OVERDUE = "overdue"
ALL = "all"
# The action-item list's choices, in the order the page offers them.
ACTION_STATUS_CHOICES = [
    (ActionStatus.OPEN, _("Open")),
    (OVERDUE, _("Overdue")),
    (ActionStatus.DONE, _("Done")),
    (ActionStatus.CANCELLED, _("Cancelled")),
    (ALL, _("All")),
]


@dataclass(frozen=True)
class ActionListQuery:
    """The validated parameters of an action-item list, as ``selectors.actions.action_list`` takes them."""

    shown: str  # the choice made (the page marks it)
    status: str = ""  # an ActionStatus value, or "" for any
    overdue: bool = False
    meeting_id: int | None = None


class WholeNumberFilter(django_filters.NumberFilter):
    """A key typed as a whole number (``1.5`` or ``abc`` is a message on the field)."""

    field_class = forms.IntegerField


class MeetingFilterMixin(django_filters.FilterSet):
    """``meeting``: the rows of one meeting (a positive whole number; none of the user's: no row)."""

    meeting = WholeNumberFilter(label=_("Meeting"), min_value=1, max_value=2**63 - 1)


class ActionItemFilter(MeetingFilterMixin, FormOnceFilterSet):
    """Filters of the action-item list: the page (default: open items) and the API (default: all)."""

    status = django_filters.ChoiceFilter(label=_("Which action items"), choices=ACTION_STATUS_CHOICES)

    class Meta:
        model = ActionItem
        fields: list[str] = []

    def __init__(self, data=None, *, default_status: str = ALL, **kwargs):
        super().__init__(data, queryset=ActionItem.objects.none(), **kwargs)
        self.default_status = default_status

    def query(self) -> ActionListQuery:
        """The validated parameters (after ``is_valid()``; unbound or invalid: the defaults)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        shown = data.get("status") or self.default_status
        meeting = data.get("meeting")
        return ActionListQuery(
            shown=shown,
            status=shown if shown in ActionStatus.values else "",
            overdue=shown == OVERDUE,
            meeting_id=int(meeting) if meeting else None,
        )


class MinutesItemFilter(MeetingFilterMixin, FormOnceFilterSet):
    """Filters of the minutes' case parts (the API)."""

    class Meta:
        model = AgendaItem
        fields: list[str] = []

    def __init__(self, data=None, **kwargs):
        super().__init__(data, queryset=AgendaItem.objects.none(), **kwargs)

    def meeting_id(self) -> int | None:
        """The meeting asked for (after ``is_valid()``), or None."""
        meeting = self.form.cleaned_data.get("meeting") if self.is_bound and self.form.is_valid() else None
        return int(meeting) if meeting else None
