"""Legal deadlines of the case record, computed in Europe/Belgrade (pure functions, no database).

Two kinds of arithmetic, chosen per rule and never mixed:

* Deadlines in HOURS are absolute: 48 h are 48 real hours (computed in UTC). Across a
  daylight-saving change the wall-clock time moves: an emergency measure delivered on
  Saturday 28.3.2026 at 14:20 expires on Monday 30.3.2026 at 15:20, because the night of
  29.3.2026 has only 23 hours; one delivered on 24.10.2026 at 14:20 expires on 26.10.2026
  at 13:20 (the night of 25.10.2026 has 25 hours).
* Deadlines in DAYS are calendar days and keep the wall-clock time (the 30-day extension, the
  CSR reaction days): 30 days after 10.3.2026 at 09:00 is 9.4.2026 at 09:00 even though a
  summer-time change lies between. A wall-clock time that does not exist that day (02:30 on
  the last Sunday of March) moves forward by the gap (03:30); an ambiguous one (02:30 on the
  last Sunday of October) is the first of the two (summer time), i.e. the earlier instant.
* Deadlines that end "within N days" of a decision (the appeal) follow the procedural rule:
  the day of the decision is not counted and the period ends at the end (24:00) of the last
  day; the deadline is returned as 23:59:59.999999 local time of that day.

Every function takes timezone-aware datetimes (a naive one is a programming error) and returns
aware datetimes in Europe/Belgrade.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .choices import Priority

TZ = ZoneInfo("Europe/Belgrade")

EMERGENCY_MEASURE_HOURS = 48
EXTENSION_PROPOSAL_HOURS = 24
COURT_DECISION_HOURS = 24
EXTENSION_DAYS = 30
APPEAL_DAYS = 3
PROTECTIVE_MEASURE_MAX_YEARS = 1
CSR_REACTION = {
    Priority.IMMEDIATE: ("hours", 24),
    Priority.URGENT: ("days", 3),
    Priority.REGULAR: ("days", 7),
}


class DeadlineKind:
    """Names of the deadlines (also used as Reminder.kind)."""

    EMERGENCY_EXPIRY = "emergency_expiry"
    EXTENSION_PROPOSAL = "extension_proposal"
    COURT_DECISION = "court_decision"
    EXTENSION_EXPIRY = "extension_expiry"
    APPEAL = "appeal"
    PROTECTIVE_EXPIRY = "protective_expiry"
    PLAN_MEASURE = "plan_measure"
    CSR_REACTION = "csr_reaction"


@dataclass(frozen=True)
class Countdown:
    """Time left until a deadline: whole seconds (negative once passed) and whether it has passed."""

    seconds: int
    overdue: bool

    @property
    def hours(self) -> int:
        """Whole hours left (rounded towards zero)."""
        return int(self.seconds / 3600)


@dataclass(frozen=True)
class Deadline:
    """One legal deadline: what it is and the moment it falls due (aware, Europe/Belgrade)."""

    kind: str
    due: datetime

    def countdown(self, now: datetime) -> Countdown:
        """Seconds remaining at ``now`` and whether the deadline has been reached."""
        return countdown(self.due, now)


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def local(value: datetime) -> datetime:
    """The same instant in Europe/Belgrade."""
    _require_aware(value, "value")
    return value.astimezone(TZ)


def add_hours(start: datetime, hours: int) -> datetime:
    """Absolute arithmetic: ``hours`` real hours later (a DST change shifts the wall clock)."""
    _require_aware(start, "start")
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(TZ)


def _localize(wall: datetime) -> datetime:
    """Attach Europe/Belgrade to a naive wall-clock time; a time in the spring gap moves forward."""
    aware = wall.replace(tzinfo=TZ, fold=0)
    # A non-existent time does not survive a round trip through UTC: normalise it to the real instant.
    return aware.astimezone(UTC).astimezone(TZ)


def add_calendar_days(start: datetime, days: int) -> datetime:
    """Calendar arithmetic: the same wall-clock time ``days`` days later in Europe/Belgrade."""
    _require_aware(start, "start")
    wall = start.astimezone(TZ).replace(tzinfo=None) + timedelta(days=days)
    return _localize(wall)


def start_of_day(day: date) -> datetime:
    """The first instant of a calendar day in Europe/Belgrade (00:00)."""
    return _localize(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    """The last instant of a calendar day in Europe/Belgrade (23:59:59.999999)."""
    return start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)


def countdown(due: datetime, now: datetime) -> Countdown:
    """Seconds from ``now`` to ``due`` (negative when passed) and whether ``due`` has been reached."""
    _require_aware(due, "due")
    _require_aware(now, "now")
    # Subtract in UTC: two datetimes sharing one tzinfo subtract as wall-clock times in Python.
    delta = due.astimezone(UTC) - now.astimezone(UTC)
    seconds = int(delta.total_seconds())
    return Countdown(seconds=seconds, overdue=delta <= timedelta(0))


# Emergency measures (Law on Prevention of Domestic Violence, art. 17-19)


def emergency_measure_expiry(delivered_at: datetime) -> Deadline:
    """The measure lasts 48 hours from delivery to the perpetrator (absolute hours)."""
    return Deadline(DeadlineKind.EMERGENCY_EXPIRY, add_hours(delivered_at, EMERGENCY_MEASURE_HOURS))


def extension_proposal_due(delivered_at: datetime) -> Deadline:
    """The basic prosecutor's extension proposal is due 24 hours after delivery."""
    return Deadline(DeadlineKind.EXTENSION_PROPOSAL, add_hours(delivered_at, EXTENSION_PROPOSAL_HOURS))


def court_decision_due(proposed_at: datetime) -> Deadline:
    """The court decides on the proposal within 24 hours of receiving it."""
    return Deadline(DeadlineKind.COURT_DECISION, add_hours(proposed_at, COURT_DECISION_HOURS))


def extension_until(decided_at: datetime) -> Deadline:
    """An extended measure lasts 30 calendar days from the court decision, to the same wall-clock time."""
    return Deadline(DeadlineKind.EXTENSION_EXPIRY, add_calendar_days(decided_at, EXTENSION_DAYS))


def appeal_due(decided_at: datetime) -> Deadline:
    """Appeal within 3 days: the decision day is not counted, the period ends at 24:00 of day 3."""
    _require_aware(decided_at, "decided_at")
    last_day = decided_at.astimezone(TZ).date() + timedelta(days=APPEAL_DAYS)
    return Deadline(DeadlineKind.APPEAL, end_of_day(last_day))


@dataclass(frozen=True)
class EmergencyDeadlines:
    """Every deadline of one emergency measure that is known at this point of its life."""

    expiry: Deadline
    extension_proposal: Deadline
    court_decision: Deadline | None = None
    extension: Deadline | None = None
    appeal: Deadline | None = None

    @property
    def in_force_until(self) -> datetime:
        """When the measure stops applying: the end of the extension if granted, else the 48 h."""
        return self.extension.due if self.extension is not None else self.expiry.due


def emergency_measure_deadlines(
    *,
    delivered_at: datetime,
    proposed_at: datetime | None = None,
    decided_at: datetime | None = None,
    extended: bool = False,
) -> EmergencyDeadlines:
    """All deadlines of an emergency measure from the moments recorded so far."""
    return EmergencyDeadlines(
        expiry=emergency_measure_expiry(delivered_at),
        extension_proposal=extension_proposal_due(delivered_at),
        court_decision=court_decision_due(proposed_at) if proposed_at is not None else None,
        extension=extension_until(decided_at) if decided_at is not None and extended else None,
        appeal=appeal_due(decided_at) if decided_at is not None else None,
    )


# Family Law protective measures (art. 198-199)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def protective_max_valid_until(valid_from: date) -> date:
    """The last day a protective measure may last: one year less one day (1.3.2026 -> 28.2.2027)."""
    return add_years(valid_from, PROTECTIVE_MEASURE_MAX_YEARS) - timedelta(days=1)


def protective_renewal_period(valid_until: date) -> tuple[date, date]:
    """A renewal continues the day after the measure ends, again for at most one year."""
    start = valid_until + timedelta(days=1)
    return start, protective_max_valid_until(start)


def protective_expiry(valid_until: date) -> Deadline:
    """A protective measure applies through the whole of its last day."""
    return Deadline(DeadlineKind.PROTECTIVE_EXPIRY, end_of_day(valid_until))


# Plans and CSR reaction


def plan_measure_due(deadline: date) -> Deadline:
    """A plan measure is due by the end of its deadline day."""
    return Deadline(DeadlineKind.PLAN_MEASURE, end_of_day(deadline))


def csr_reaction_due(reported_at: datetime, priority: str) -> Deadline:
    """CSR reaction time by priority: immediate 24 hours, urgent 3 days, regular 7 days."""
    unit, amount = CSR_REACTION[Priority(priority)]
    due = add_hours(reported_at, amount) if unit == "hours" else add_calendar_days(reported_at, amount)
    return Deadline(DeadlineKind.CSR_REACTION, due)
