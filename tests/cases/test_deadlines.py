"""Deadline arithmetic in Europe/Belgrade: absolute hours, calendar days, midnight and both DST changes.

2026: summer time starts Sunday 29 March at 02:00 (clocks jump to 03:00) and ends Sunday
25 October at 03:00 (clocks go back to 02:00).
"""
from datetime import UTC, date, datetime, timedelta

import pytest

from apps.cases import deadlines
from apps.cases.choices import Priority
from apps.cases.deadlines import TZ


def bg(*args, fold=0):
    """A Belgrade wall-clock time."""
    return datetime(*args, tzinfo=TZ, fold=fold)


def real_hours(start, end):
    """Elapsed real hours (in UTC: Python subtracts datetimes sharing a tzinfo as wall-clock times)."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600


class TestEmergencyMeasure:
    def test_expires_48_hours_after_delivery(self):
        due = deadlines.emergency_measure_expiry(bg(2026, 11, 21, 14, 20)).due
        assert due == bg(2026, 11, 23, 14, 20)
        assert due.tzinfo == TZ

    def test_delivered_just_before_midnight(self):
        delivered = bg(2026, 11, 21, 23, 59)
        assert deadlines.emergency_measure_expiry(delivered).due == bg(2026, 11, 23, 23, 59)
        assert deadlines.extension_proposal_due(delivered).due == bg(2026, 11, 22, 23, 59)

    def test_delivered_at_midnight(self):
        delivered = bg(2026, 11, 22, 0, 0)
        assert deadlines.emergency_measure_expiry(delivered).due == bg(2026, 11, 24, 0, 0)

    def test_across_spring_change_48_real_hours_end_an_hour_later_on_the_wall_clock(self):
        delivered = bg(2026, 3, 28, 14, 20)  # Saturday, winter time
        due = deadlines.emergency_measure_expiry(delivered).due
        assert due == bg(2026, 3, 30, 15, 20)
        assert real_hours(delivered, due) == 48
        assert due.utcoffset() == timedelta(hours=2)

    def test_across_autumn_change_48_real_hours_end_an_hour_earlier_on_the_wall_clock(self):
        delivered = bg(2026, 10, 24, 14, 20)  # Saturday, summer time
        due = deadlines.emergency_measure_expiry(delivered).due
        assert due == bg(2026, 10, 26, 13, 20)
        assert real_hours(delivered, due) == 48
        assert due.utcoffset() == timedelta(hours=1)

    def test_proposal_due_24_real_hours_across_spring_change(self):
        delivered = bg(2026, 3, 28, 22, 0)
        due = deadlines.extension_proposal_due(delivered).due
        assert due == bg(2026, 3, 29, 23, 0)
        assert real_hours(delivered, due) == 24

    def test_delivered_in_the_repeated_autumn_hour(self):
        first = bg(2026, 10, 25, 2, 30, fold=0)  # 02:30 summer time
        second = bg(2026, 10, 25, 2, 30, fold=1)  # 02:30 winter time, one hour later
        assert real_hours(first, second) == 1
        assert deadlines.emergency_measure_expiry(first).due == bg(2026, 10, 27, 1, 30)
        assert deadlines.emergency_measure_expiry(second).due == bg(2026, 10, 27, 2, 30)

    def test_court_decision_due_24_hours_after_the_proposal(self):
        proposed = bg(2026, 10, 24, 16, 0)
        due = deadlines.court_decision_due(proposed).due
        assert due == bg(2026, 10, 25, 15, 0)
        assert real_hours(proposed, due) == 24

    def test_input_in_utc_gives_belgrade_output(self):
        delivered = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
        assert deadlines.emergency_measure_expiry(delivered).due == bg(2026, 7, 3, 14, 0)
        assert str(deadlines.emergency_measure_expiry(delivered).due.tzinfo) == "Europe/Belgrade"

    def test_naive_datetimes_are_refused(self):
        with pytest.raises(ValueError):
            deadlines.emergency_measure_expiry(datetime(2026, 7, 1, 12, 0))


class TestExtensionAndAppeal:
    def test_extension_is_30_calendar_days_same_wall_clock_time(self):
        assert deadlines.extension_until(bg(2026, 11, 2, 10, 15)).due == bg(2026, 12, 2, 10, 15)

    def test_extension_across_spring_change_keeps_wall_clock_time(self):
        decided = bg(2026, 3, 10, 9, 0)
        due = deadlines.extension_until(decided).due
        assert due == bg(2026, 4, 9, 9, 0)
        assert real_hours(decided, due) == 30 * 24 - 1

    def test_extension_across_autumn_change_keeps_wall_clock_time(self):
        decided = bg(2026, 10, 10, 9, 0)
        due = deadlines.extension_until(decided).due
        assert due == bg(2026, 11, 9, 9, 0)
        assert real_hours(decided, due) == 30 * 24 + 1

    def test_extension_ending_in_the_spring_gap_moves_forward(self):
        # 27.2.2026 02:30 + 30 days = 29.3.2026 02:30, a time that does not exist.
        due = deadlines.extension_until(bg(2026, 2, 27, 2, 30)).due
        assert due == bg(2026, 3, 29, 3, 30)
        assert due.utcoffset() == timedelta(hours=2)

    def test_extension_ending_in_the_repeated_autumn_hour_takes_the_first(self):
        due = deadlines.extension_until(bg(2026, 9, 25, 2, 30)).due
        assert due.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)

    def test_appeal_ends_at_the_end_of_the_third_day(self):
        due = deadlines.appeal_due(bg(2026, 11, 20, 10, 0)).due
        assert due == bg(2026, 11, 23, 23, 59, 59, 999999)

    def test_appeal_decided_just_before_midnight_still_three_days(self):
        assert deadlines.appeal_due(bg(2026, 11, 20, 23, 59)).due.date() == date(2026, 11, 23)

    def test_appeal_decided_just_after_midnight(self):
        assert deadlines.appeal_due(bg(2026, 11, 21, 0, 1)).due.date() == date(2026, 11, 24)

    def test_appeal_decided_in_utc_counts_the_belgrade_day(self):
        # 23:30 UTC on 20.11. is already 21.11. in Belgrade.
        decided = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
        assert deadlines.appeal_due(decided).due.date() == date(2026, 11, 24)

    def test_appeal_period_over_the_autumn_change_ends_at_local_midnight(self):
        due = deadlines.appeal_due(bg(2026, 10, 23, 12, 0)).due
        assert due == bg(2026, 10, 26, 23, 59, 59, 999999)
        assert due.utcoffset() == timedelta(hours=1)

    def test_all_deadlines_of_a_measure(self):
        times = deadlines.emergency_measure_deadlines(
            delivered_at=bg(2026, 11, 21, 14, 20),
            proposed_at=bg(2026, 11, 22, 10, 0),
            decided_at=bg(2026, 11, 23, 9, 0),
            extended=True,
        )
        assert times.court_decision.due == bg(2026, 11, 23, 10, 0)
        assert times.extension.due == bg(2026, 12, 23, 9, 0)
        assert times.in_force_until == bg(2026, 12, 23, 9, 0)
        rejected = deadlines.emergency_measure_deadlines(
            delivered_at=bg(2026, 11, 21, 14, 20), proposed_at=bg(2026, 11, 22, 10, 0), decided_at=bg(2026, 11, 23, 9, 0)
        )
        assert rejected.extension is None
        assert rejected.in_force_until == bg(2026, 11, 23, 14, 20)


class TestProtectiveMeasure:
    def test_at_most_one_year_less_a_day(self):
        assert deadlines.protective_max_valid_until(date(2026, 3, 1)) == date(2027, 2, 28)
        assert deadlines.protective_max_valid_until(date(2026, 1, 1)) == date(2026, 12, 31)

    def test_over_a_leap_day(self):
        assert deadlines.protective_max_valid_until(date(2027, 3, 1)) == date(2028, 2, 29)
        assert deadlines.protective_max_valid_until(date(2028, 2, 29)) == date(2029, 2, 28)

    def test_renewal_continues_the_next_day(self):
        assert deadlines.protective_renewal_period(date(2026, 12, 31)) == (date(2027, 1, 1), date(2027, 12, 31))

    def test_applies_through_the_last_day(self):
        due = deadlines.protective_expiry(date(2026, 10, 25)).due
        assert due == bg(2026, 10, 25, 23, 59, 59, 999999)
        assert due.utcoffset() == timedelta(hours=1)
        assert not deadlines.protective_expiry(date(2026, 10, 25)).countdown(bg(2026, 10, 25, 23, 59)).overdue
        assert deadlines.protective_expiry(date(2026, 10, 25)).countdown(bg(2026, 10, 26, 0, 0)).overdue


class TestCsrReaction:
    def test_immediate_24_real_hours(self):
        reported = bg(2026, 3, 28, 20, 0)
        due = deadlines.csr_reaction_due(reported, Priority.IMMEDIATE).due
        assert real_hours(reported, due) == 24
        assert due == bg(2026, 3, 29, 21, 0)

    def test_urgent_three_calendar_days(self):
        assert deadlines.csr_reaction_due(bg(2026, 10, 23, 8, 0), Priority.URGENT).due == bg(2026, 10, 26, 8, 0)

    def test_regular_seven_calendar_days(self):
        assert deadlines.csr_reaction_due(bg(2026, 3, 25, 8, 0), Priority.REGULAR).due == bg(2026, 4, 1, 8, 0)


class TestCountdown:
    def test_remaining_seconds_and_not_overdue(self):
        deadline = deadlines.emergency_measure_expiry(bg(2026, 11, 21, 14, 20))
        left = deadline.countdown(bg(2026, 11, 23, 8, 20))
        assert left.seconds == 6 * 3600
        assert left.hours == 6
        assert left.overdue is False

    def test_reached_exactly_is_overdue(self):
        deadline = deadlines.emergency_measure_expiry(bg(2026, 11, 21, 14, 20))
        assert deadline.countdown(bg(2026, 11, 23, 14, 20)) == deadlines.Countdown(seconds=0, overdue=True)

    def test_passed_is_negative(self):
        deadline = deadlines.extension_proposal_due(bg(2026, 11, 21, 14, 20))
        left = deadline.countdown(bg(2026, 11, 22, 15, 20))
        assert left.seconds == -3600
        assert left.overdue is True

    def test_countdown_over_the_spring_change_counts_real_seconds(self):
        deadline = deadlines.emergency_measure_expiry(bg(2026, 3, 28, 14, 20))
        assert deadline.countdown(bg(2026, 3, 29, 1, 0)).seconds == (48 - 10 - 40 / 60) * 3600

    def test_countdown_with_now_in_utc(self):
        deadline = deadlines.emergency_measure_expiry(bg(2026, 11, 21, 14, 20))
        now = datetime(2026, 11, 23, 12, 20, tzinfo=UTC)  # 13:20 in Belgrade
        assert deadline.countdown(now).seconds == 3600

    def test_plan_measure_due_at_end_of_its_day(self):
        deadline = deadlines.plan_measure_due(date(2026, 11, 27))
        assert not deadline.countdown(bg(2026, 11, 27, 23, 0)).overdue
        assert deadline.countdown(bg(2026, 11, 28, 0, 0)).overdue
