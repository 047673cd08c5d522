"""Plans as a reader sees them: the list (own municipality, then the published ones of others), the
tree of goals, measures and activities, indicators on or off track, activities late or due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from .. import rules
from ..choices import ActivityStatus
from ..models import Activity, Goal, Indicator, Measure, Plan

OPEN_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.UNDER_WAY, ActivityStatus.LATE)
REPORT_GRACE_DAYS = 10  # a quarter's report is due ten days after the quarter ends
REMIND_DAYS = 7
OFF_TRACK_SHARE = Decimal("0.75")  # less than 75 % of the progress expected by now is off track


def plan_lists(user) -> tuple[list[Plan], list[Plan]]:
    """(plans of the user's municipalities, published plans of the others), newest period first."""
    plans = list(Plan.objects.visible_to(user).select_related("municipality").order_by("-period_from", "id"))
    mine = rules.reader_municipality_ids(user.access)
    return [p for p in plans if p.municipality_id in mine], [p for p in plans if p.municipality_id not in mine]


def plan_tree(plan: Plan) -> list[Goal]:
    """Goals with their indicators, measures (with indicators) and activities (owner, responsible,
    partners): four queries whatever the size."""
    activities = Activity.objects.select_related("owner_institution", "responsible").prefetch_related("partners__institution")
    indicators = Indicator.objects.prefetch_related("targets", "values")
    measures = Measure.objects.prefetch_related(Prefetch("activities", queryset=activities),
                                                Prefetch("indicators", queryset=indicators))
    return list(
        Goal.objects.filter(plan=plan).prefetch_related(Prefetch("measures", queryset=measures),
                                                        Prefetch("indicators", queryset=indicators))
    )


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    first_next = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    return first_next - timedelta(days=1)


def report_due(year: int, quarter: int) -> date:
    """When the progress report of a quarter is due."""
    return quarter_end(year, quarter) + timedelta(days=REPORT_GRACE_DAYS)


def last_closed_quarter(today: date) -> tuple[int, int]:
    year, quarter = quarter_of(today)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


@dataclass
class IndicatorStatus:
    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    period: str
    expected: Decimal | None
    off_track: bool


def indicator_status(indicator: Indicator) -> IndicatorStatus:
    """The latest actual value against the progress expected by its quarter towards the year's target
    (a straight line from the baseline); off track below 75 % of it. Reads prefetched targets/values."""
    values = sorted(indicator.values.all(), key=lambda v: (v.year, v.quarter))
    if not values:
        return IndicatorStatus(indicator, None, None, "", None, False)
    latest = values[-1]
    targets = {t.year: t.value for t in indicator.targets.all()}
    target = targets.get(latest.year)
    period = f"{latest.year}-Q{latest.quarter}"
    if target is None:
        return IndicatorStatus(indicator, None, latest.value, period, None, False)
    start = indicator.baseline
    previous = [t for y, t in targets.items() if y < latest.year]
    if previous:
        start = targets[max(y for y in targets if y < latest.year)]
    expected = start + (target - start) * Decimal(latest.quarter) / 4
    gained, wanted = latest.value - start, expected - start
    off = wanted != 0 and (gained / wanted) < OFF_TRACK_SHARE
    return IndicatorStatus(indicator, target, latest.value, period, expected.quantize(Decimal("0.01")), off)


def late_activities(plan_ids, today: date | None = None):
    """Open activities past their end (or marked late) of the given plans."""
    today = today or timezone.localdate()
    return [a for a in Activity.objects.filter(plan_id__in=plan_ids, status__in=OPEN_STATUSES)
            .select_related("plan", "owner_institution", "responsible") if a.is_late(today)]


def due_for(user, today: date | None = None, *, within_days: int = 30) -> list[Activity]:
    """The user's activities (as responsible person) that end or whose quarterly report is due within
    ``within_days``, or are late; one query."""
    today = today or timezone.localdate()
    limit = today + timedelta(days=within_days)
    due_report = report_due(*last_closed_quarter(today))
    rows = list(
        Activity.objects.visible_to(user).filter(responsible=user, status__in=OPEN_STATUSES)
        .select_related("plan", "owner_institution").order_by("ends_on", "id")
    )
    for row in rows:
        row.report_due_on = due_report if today <= due_report else None
    return [r for r in rows if r.ends_on <= limit or r.is_late(today) or r.report_due_on]
