"""Month and week calendars of the meetings a user sees (plain data for server-rendered tables)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ..ics import BELGRADE
from ..models import Meeting


@dataclass
class Day:
    """One cell of the calendar."""

    day: date
    in_month: bool = True
    is_today: bool = False
    meetings: list[Meeting] = field(default_factory=list)


def _meetings_between(user, start: date, end: date) -> list[Meeting]:
    start_at = datetime.combine(start, time.min, tzinfo=BELGRADE)
    end_at = datetime.combine(end, time.min, tzinfo=BELGRADE)
    return list(
        Meeting.objects.visible_to(user)
        .filter(starts_at__gte=start_at, starts_at__lt=end_at)
        .select_related("municipality", "area")
        .order_by("starts_at", "id")
    )


def _fill(days: list[Day], meetings: list[Meeting]) -> None:
    index = {d.day: d for d in days}
    for meeting in meetings:
        cell = index.get(timezone.localtime(meeting.starts_at, BELGRADE).date())
        if cell is not None:
            cell.meetings.append(meeting)


def month_grid(user, year: int, month: int) -> dict:
    """Weeks (Monday first) of the month with each day's meetings, and the neighbouring months."""
    cal = calendar.Calendar(firstweekday=0)
    weeks_dates = cal.monthdatescalendar(year, month)
    today = timezone.localdate()
    days = [Day(day=d, in_month=d.month == month, is_today=d == today) for week in weeks_dates for d in week]
    _fill(days, _meetings_between(user, weeks_dates[0][0], weeks_dates[-1][-1] + timedelta(days=1)))
    first = date(year, month, 1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return {
        "first": first,
        "weeks": [days[i:i + 7] for i in range(0, len(days), 7)],
        "previous": previous,
        "next": following,
        "weekdays": [weeks_dates[0][i] for i in range(7)],
    }


def week_grid(user, any_day: date) -> dict:
    """The ISO week containing ``any_day``: seven days with their meetings."""
    monday = any_day - timedelta(days=any_day.weekday())
    today = timezone.localdate()
    days = [Day(day=monday + timedelta(days=i), is_today=monday + timedelta(days=i) == today) for i in range(7)]
    _fill(days, _meetings_between(user, monday, monday + timedelta(days=7)))
    iso = monday.isocalendar()
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "days": days,
        "year": iso[0],
        "week": iso[1],
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
    }
