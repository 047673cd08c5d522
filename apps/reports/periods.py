"""Periods of the figures: the months, quarters and the year of one calendar year."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

TZ = ZoneInfo("Europe/Belgrade")
MONTHS = tuple(f"{m:02d}" for m in range(1, 13))
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
YEAR = "Y"
PERIODS = (*MONTHS, *QUARTERS, YEAR)
MONTH_NAMES = (_("Jan"), _("Feb"), _("Mar"), _("Apr"), _("May"), _("Jun"), _("Jul"), _("Aug"), _("Sep"),
               _("Oct"), _("Nov"), _("Dec"))


def quarter_of(month: str) -> str:
    return QUARTERS[(int(month) - 1) // 3]


def months_of(quarter: str) -> tuple[str, ...]:
    q = QUARTERS.index(quarter)
    return MONTHS[q * 3:q * 3 + 3]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=TZ), datetime(year + 1, 1, 1, tzinfo=TZ)


def label(period: str) -> str:
    if period in MONTHS:
        return str(MONTH_NAMES[int(period) - 1])
    if period == YEAR:
        return str(_("Year"))
    return period


def previous_month(day: date) -> tuple[int, int]:
    """(year, month) of the month before ``day``'s."""
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def time_relations(keys_of) -> list:
    """Quarter = its months, year = its quarters, for the cells ``keys_of(period)``."""
    relations = []
    for quarter in QUARTERS:
        relations.append((keys_of(quarter), tuple(keys_of(m) for m in months_of(quarter))))
    relations.append((keys_of(YEAR), tuple(keys_of(q) for q in QUARTERS)))
    return relations
