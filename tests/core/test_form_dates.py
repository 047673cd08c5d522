"""Every date and date-time typed into a page's form stays inside the window the database and date
arithmetic handle (apps/core/dates.py): 31.12.9999 or 01.01.0001 in a case form is a message
naming the field, never a server error or a deadline that cannot be computed."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

import apps
from apps.cases.models import Incident
from apps.core.dates import validate_date_window, validate_datetime_window
from tests.cases.factories import open_case
from tests.clock import moment, travel


def _form_classes():
    for module_info in pkgutil.walk_packages(apps.__path__, "apps."):
        leaf = module_info.name.rsplit(".", 1)[-1]
        if "migrations" in module_info.name or not (leaf.startswith("forms") or leaf in ("filters", "onboarding")):
            continue
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and hasattr(cls, "base_fields"):
                yield cls


def test_every_date_field_of_every_form_checks_the_window():
    unchecked, seen = [], 0
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.DateTimeField):
                seen += 1
                if validate_datetime_window not in field.validators:
                    unchecked.append(f"{cls.__module__}.{cls.__name__}.{name}")
            elif isinstance(field, forms.DateField):
                seen += 1
                if validate_date_window not in field.validators:
                    unchecked.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert seen > 15
    assert not unchecked, "date fields without the window check: " + ", ".join(unchecked)


@pytest.mark.parametrize("typed", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_an_incident_at_the_end_of_the_calendar_is_a_message_on_the_field(world, verified_client, typed):
    jelena = world.users["caseworker"]
    case = open_case(jelena)
    client = verified_client(jelena)
    client.cookies["kzn_language"] = "en"
    response = client.post(reverse("cases:incident_add", args=[case.pk]), {
        "occurred_at": typed, "reported_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "forms": ["physical"], "description": "Test (fictional).",
    })
    assert response.status_code == 200
    assert "Enter a date between 01.01.1900 and 31.12.2199." in response.content.decode()
    assert not Incident.objects.filter(case=case).exists()


@pytest.mark.parametrize("typed, expected", [
    # 25.10.2026: 02:00-03:00 happens twice; the first occurrence (summer time) is taken.
    ("2026-10-25T02:30", "2026-10-25T02:30:00+02:00"),
    ("25.10.2026 02:30", "2026-10-25T02:30:00+02:00"),
    # 29.03.2026: 02:00-03:00 does not exist; 02:30 is the moment the clocks then showed 03:30.
    ("2026-03-29T02:30", "2026-03-29T03:30:00+02:00"),
    ("2026-07-01T10:15", "2026-07-01T10:15:00+02:00"),
    ("2026-12-01T10:15", "2026-12-01T10:15:00+01:00"),
])
def test_times_typed_in_the_night_of_a_clock_change_are_read_not_refused(typed, expected):
    from apps.core.dates import WindowDateTimeField

    value = WindowDateTimeField().clean(typed)
    assert value.isoformat() == expected


@travel(moment("2026-10-25T09:00"))  # the morning after the change
def test_a_note_written_in_the_repeated_hour_of_the_autumn_change_is_saved(world, verified_client):
    from apps.cases.models import CaseNote

    jelena = world.users["caseworker"]
    case = open_case(jelena)
    response = verified_client(jelena).post(reverse("cases:note_add", args=[case.pk]), {
        "kind": "note", "occurred_at": "2026-10-25T02:40", "text": "Poziv u noći promene vremena (test).",
        "visibility": "team",
    })
    assert response.status_code == 302
    note = CaseNote.objects.get(case=case)
    assert timezone.localtime(note.occurred_at).isoformat() == "2026-10-25T02:40:00+02:00"
