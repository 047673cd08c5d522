"""Automatic saving of draft minutes while the coordinator types (the general part on the minutes
page, one case's part on its own page).

The forms post here through htmx and show the answer as a one-line status beside the Save button.
The same rules as the Save button apply: a meeting one does not see is 404; the general part of a
meeting one sees but does not run is 403 (the case part: 404, as its page); approved minutes are
locked and never saved automatically (409); input the services refuse is 400 with the messages, and
nothing is saved. Every answer is a small HTML fragment marked with the ``X-Autosave`` header so
that the page can tell it from a login page or an error page; a refusal also carries each field's
messages (``<template data-autosave-field="name">``), which the page's script shows beside that
field (static/js/autosave.js) while the page stays as it is.
"""
from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from ..choices import MinutesStatus
from ..forms_minutes import AgendaItemMinutesForm, MinutesForm
from ..querysets import RECORDS
from ..services import minutes as minutes_services
from .minutes import MeetingMixin, MinutesItemView, meeting_invitees

SAVED, INVALID, LOCKED, FORBIDDEN = "saved", "invalid", "locked", "forbidden"
STATUS = {SAVED: 200, INVALID: 400, FORBIDDEN: 403, LOCKED: 409}
TEMPLATE = "conferences/minutes/_autosave.html"


def answer(request, state: str, *, saved_at=None, messages=(), fields=()):
    """The status fragment (and its HTTP status) for one automatic save; ``fields``: (input name,
    messages) to show beside the fields."""
    context = {"state": state, "saved_at": saved_at, "messages": list(messages), "fields": list(fields)}
    response = render(request, TEMPLATE, context, status=STATUS[state])
    response["X-Autosave"] = state
    response["Cache-Control"] = "private, no-store"
    return response


def is_locked(meeting) -> bool:
    """Whether the meeting's minutes are approved (locked)."""
    minutes = minutes_services.minutes_for(meeting)
    return minutes is not None and minutes.status == MinutesStatus.APPROVED


def field_errors(form, error: ValidationError | None = None) -> list[tuple[str, list[str]]]:
    """The form's errors (or a service's) by the input they belong to: (input name, messages)."""
    if error is not None and not hasattr(error, "error_dict"):
        return []
    by_field = error.error_dict if error is not None else form.errors.as_data()
    return [
        (form[name].html_name, [str(m) for item in errors for m in item.messages])
        for name, errors in by_field.items()
        if name != NON_FIELD_ERRORS and name in form.fields
    ]


def refused(request, form, error: ValidationError | None = None):
    """The answer to input the form or a service refused: the messages in the status line and beside
    their fields."""
    return answer(request, INVALID, messages=error_lines(form, error), fields=field_errors(form, error))


def error_lines(form, error: ValidationError | None = None) -> list[str]:
    """The form's errors (or a service's) as lines that name the field by its label."""
    if error is not None and not hasattr(error, "error_dict"):
        return [str(m) for m in error.messages]
    by_field = error.error_dict if error is not None else form.errors.as_data()
    lines = []
    for name, errors in by_field.items():
        field = form.fields.get(name) if name != NON_FIELD_ERRORS else None
        for item in errors:
            for message in item.messages:
                lines.append(f"{field.label}: {message}" if field is not None else str(message))
    return lines


class MinutesAutosaveView(MeetingMixin, View):
    """Save the general part of draft minutes (attendance, also present, general notes) (POST)."""

    http_method_names = ["post"]
    action = RECORDS

    def post(self, request, pk):
        meeting = self.get_meeting()
        if not self.runs(meeting):
            return answer(request, FORBIDDEN, messages=[_t("Only those who run the meeting record its minutes.")])
        if is_locked(meeting):
            return answer(request, LOCKED)
        form = MinutesForm(request.POST, invitees=meeting_invitees(meeting))
        if not form.is_valid():
            return refused(request, form)
        try:
            minutes = minutes_services.minutes_save(
                user=request.user, meeting=meeting, attendance=form.attendance(),
                attendance_note=form.cleaned_data["attendance_note"], general_notes=form.cleaned_data["general_notes"],
            )
        except ValidationError as error:
            if is_locked(meeting):  # approved in the meantime
                return answer(request, LOCKED)
            return refused(request, form, error)
        return answer(request, SAVED, saved_at=minutes.updated_at or timezone.now())


class MinutesItemAutosaveView(MinutesItemView):
    """Save one case's part of draft minutes (POST; only those who run the meeting, like its page)."""

    http_method_names = ["post"]

    def post(self, request, pk, item_pk):
        item = self.get_item()
        meeting = self.get_meeting()
        if is_locked(meeting):
            return answer(request, LOCKED)
        form = AgendaItemMinutesForm(request.POST, case=item.case)
        if not form.is_valid():
            return refused(request, form)
        try:
            item = minutes_services.agenda_item_record(user=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            if is_locked(meeting):
                return answer(request, LOCKED)
            return refused(request, form, error)
        return answer(request, SAVED, saved_at=item.updated_at or timezone.now())
