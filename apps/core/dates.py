"""Dates and times typed into filters and forms, kept inside a window that the database and date
arithmetic handle (PostgreSQL refuses time zone offsets it cannot represent; a day after 31.12.9999
does not exist), so that a malformed or far-away value is a message naming the field, not an error."""
from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)
MAX_UTC_OFFSET = datetime.timedelta(hours=14)  # the widest offset any time zone uses (UTC+14, UTC-12)


def _range_error() -> ValidationError:
    return ValidationError(
        _("Enter a date between %(start)s and %(end)s."),
        code="date_range",
        params={"start": formats.date_format(DATE_MIN, "d.m.Y"), "end": formats.date_format(DATE_MAX, "d.m.Y")},
    )


def validate_date_window(value: datetime.date | None) -> None:
    """A date within DATE_MIN..DATE_MAX."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not DATE_MIN <= value <= DATE_MAX:
        raise _range_error()


def validate_datetime_window(value: datetime.datetime | None) -> None:
    """A moment with a real time zone offset (within ±14 hours) whose local date is in the window."""
    if value is None:
        return
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValidationError(_("The time zone offset must be between -14:00 and +14:00."), code="utc_offset")
    if not DATE_MIN <= value.date() <= DATE_MAX:
        raise _range_error()


def to_local(value: datetime.datetime | None) -> datetime.datetime | None:
    """An aware moment in the current time zone (what the database is given)."""
    if value is None or timezone.is_naive(value):
        return value
    # Through UTC: a wall time the clock change skipped becomes the real moment (02:30 -> 03:30).
    return timezone.localtime(value.astimezone(datetime.UTC))


class WindowDateField(forms.DateField):
    """A date field that refuses dates outside the window."""

    default_validators = [validate_date_window]


class WindowDateTimeField(forms.DateTimeField):
    """A date-time field that refuses odd offsets and moments outside the window; gives local time.

    A time typed in the hour the autumn clock change repeats (02:00-03:00 happens twice) is read as
    its first occurrence, and one in the hour the spring change skips as the same moment an hour
    later (what the zone database does), instead of Django's refusal "may be ambiguous or may not
    exist": a police officer recording an incident that night must be able to save it. The first
    occurrence is the earlier moment, so a time typed as "now" is never read as a future one."""

    default_validators = [validate_datetime_window]

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            typed = self._typed(value.strip())
            if typed is not None and timezone.is_naive(typed):
                value = typed.replace(tzinfo=timezone.get_current_timezone())
            elif typed is not None:
                value = typed
        return super().to_python(value)

    def _typed(self, text: str) -> datetime.datetime | None:
        """The date-time as typed (ISO or one of the input formats), or None to let Django say why not."""
        try:
            parsed = parse_datetime(text)
        except ValueError:
            return None
        if parsed is not None:
            return parsed
        for fmt in self.input_formats:
            try:
                return self.strptime(text, fmt)
            except (ValueError, TypeError):
                continue
        return None

    def clean(self, value):
        return to_local(super().clean(value))
