"""Fixed moments the calendar-dependent tests run at, and the clock that pins them.

Whatever uses "today", "the next working day", "last week", a month or a year (the demo data, the
work queue, deadlines, targets, the agenda) is tested at each of these moments, Belgrade time, so
that the suite passes on every day of the year and not only on the day it was written:

- every day of one week, Monday to Sunday (the next working day, last week's conference);
- both daylight-saving changes (a day of 23 and one of 25 hours);
- the last evening of a month and of a year;
- Belgrade midnight, when Belgrade is already on the next day and UTC is not, also on New Year's Eve.

``pytest --clock NAME`` (or ``--clock 2027-02-28T23:30``) runs the whole suite with the clock set
to one moment (it keeps ticking from there).
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

BELGRADE = ZoneInfo("Europe/Belgrade")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BELGRADE)


MOMENTS: dict[str, datetime] = {
    "monday": _at("2026-11-30T09:15"),
    "tuesday": _at("2026-12-01T10:00"),
    "wednesday": _at("2026-12-02T13:40"),
    "thursday": _at("2026-12-03T08:05"),
    "friday": _at("2026-12-04T16:30"),
    "saturday": _at("2026-12-05T11:00"),
    "sunday": _at("2026-12-06T20:00"),
    # 29 March 2026: 02:00 becomes 03:00 (the day has 23 hours).
    "dst-spring": _at("2026-03-29T03:30"),
    # 25 October 2026: 03:00 becomes 02:00 again; 02:30 happens twice, this is the second one.
    "dst-autumn": _at("2026-10-25T02:30").replace(fold=1),
    "month-end": _at("2026-04-30T23:30"),
    "year-end": _at("2026-12-31T23:30"),
    # 00:20 in Belgrade is still the previous day in UTC.
    "belgrade-midnight": _at("2026-06-16T00:20"),
    "new-year-midnight": _at("2027-01-01T00:20"),
}


def moment(name_or_iso: str) -> datetime:
    """A moment by its name in MOMENTS, or an ISO date-time read as Belgrade time when it has no offset."""
    if name_or_iso in MOMENTS:
        return MOMENTS[name_or_iso]
    value = datetime.fromisoformat(name_or_iso)
    return value if value.tzinfo else value.replace(tzinfo=BELGRADE)


def travel(when: datetime) -> time_machine.travel:
    """The clock set to ``when`` and ticking from there (durations measured in a test stay real)."""
    return time_machine.travel(when, tick=True)
