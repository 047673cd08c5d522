"""Conference targets: aggregates only (counts of held meetings), never a case.

* case conferences per municipality and month against its cadence
  (``Municipality.conference_cadence_months``: 1 = one a month, 2 = one every two months);
* coordination-group meetings per area and month against "at least every N days" (15 by law);
* supervision meetings per municipality against 2 over the programme;
* the programme total of case conferences against ``settings.CONFERENCE_PROGRAMME_TARGET``.

A meeting counts once it is held (its minutes approved, or marked held after its start).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import get_language

from apps.core import fixed_sql
from apps.core.rules import rule
from apps.municipalities.models import Municipality

from ..choices import MeetingKind, MeetingStatus
from ..models import AreaMunicipality, CoordinationArea, Meeting
from ..rules import aggregate_municipality_ids, in_aggregates

SUPERVISION_TARGET = 2


@dataclass
class MonthFigure:
    """Held meetings in one month and whether the cadence period ending there is met."""

    month: int
    held: int
    target: int
    met: bool | None  # None: the period is not over and not met yet


@dataclass
class MunicipalityTargets:
    """One municipality's figures for the year."""

    municipality_id: int
    name: str
    cadence_months: int
    months: list[MonthFigure]
    held: int
    target_year: int
    due_so_far: int
    supervision_held: int
    supervision_target: int = SUPERVISION_TARGET

    @property
    def on_track(self) -> bool:
        return self.held >= self.due_so_far


@dataclass
class AreaTargets:
    """One coordination area's figures for the year."""

    area_id: int
    name: str
    interval_days: int
    months: list[MonthFigure]
    held: int
    target_year: int


@dataclass
class Targets:
    """Everything the targets page and the API show."""

    year: int
    municipalities: list[MunicipalityTargets] = field(default_factory=list)
    areas: list[AreaTargets] = field(default_factory=list)
    programme_held: int = 0
    programme_target: int = 0


def target_municipality_ids(user) -> set[int] | None:
    """Municipalities whose aggregates the user sees (None: every one, for platform admins, who
    manage every municipality and its cadence target).

    The access model of DESIGN.md: aggregates come with the municipality-wide grant of the role
    group (coordinators and officials; a municipality may take it away) and only while the user
    still holds an active membership in that municipality, so a grant left behind by a deactivated
    institution shows nothing."""
    access = getattr(user, "access", None)
    if access is None:
        return set()
    return aggregate_municipality_ids(access)


def may_see_targets(user) -> bool:
    """Coordinators, officials (and platform admins) see the targets."""
    ids = target_municipality_ids(user)
    return ids is None or bool(ids)


def _month_target(year: int, month: int, interval_days: int) -> int:
    return max(1, calendar.monthrange(year, month)[1] // max(1, interval_days))


def targets_for(user, *, year: int | None = None, today: date | None = None) -> Targets:
    """The figures of the municipalities (and their areas) whose aggregates the user sees."""
    today = today or timezone.localdate()
    year = year or today.year
    ids = target_municipality_ids(user)
    municipalities = Municipality.objects.filter(is_active=True).order_by("name")
    if ids is not None:
        municipalities = municipalities.filter(pk__in=ids)
    municipalities = list(municipalities)
    # Rows of the municipalities shown (those whose aggregates the user reads, still active).
    shown = rule(lambda a: in_aggregates({m.pk for m in municipalities}, a)) or Q(pk__in=[])
    language = get_language() or ""
    # Months before this one are over (all of a past year, none of a future one).
    current_month = 13 if year < today.year else (today.month if year == today.year else 0)

    held = Meeting.objects.filter(status=MeetingStatus.HELD, starts_at__year=year)
    conference_rows = (
        held.filter(shown, kind=MeetingKind.CASE_CONFERENCE)
        .annotate(month=ExtractMonth("starts_at"))
        .values("municipality_id", "month")
        .annotate(n=Count("id"))
    )
    by_mun: dict[int, dict[int, int]] = {}
    for row in conference_rows:
        by_mun.setdefault(row["municipality_id"], {})[row["month"]] = row["n"]
    supervision = dict(
        Meeting.objects.filter(shown, status=MeetingStatus.HELD, kind=MeetingKind.SUPERVISION)
        .values("municipality_id")
        .annotate(n=Count("id"))
        .values_list("municipality_id", "n")
    )
    result = Targets(year=year, programme_target=settings.CONFERENCE_PROGRAMME_TARGET)
    for m in municipalities:
        cadence = max(1, m.conference_cadence_months or 1)
        counts = by_mun.get(m.pk, {})
        months = []
        for month in range(1, 13):
            period_start = ((month - 1) // cadence) * cadence + 1
            period_end = min(12, period_start + cadence - 1)
            in_period = sum(counts.get(x, 0) for x in range(period_start, period_end + 1))
            met = None
            if month == period_end:
                met = True if in_period >= 1 else (False if period_end < current_month else None)
            months.append(MonthFigure(month=month, held=counts.get(month, 0), target=1 if month == period_end else 0, met=met))
        # Periods fully over by the end of the last finished month, plus the current one if already met.
        due_so_far = sum(1 for f in months if f.target and f.met is not None)
        result.municipalities.append(
            MunicipalityTargets(
                municipality_id=m.pk, name=m.display_name(language), cadence_months=cadence, months=months,
                held=sum(counts.values()), target_year=-(-12 // cadence), due_so_far=due_so_far,
                supervision_held=supervision.get(m.pk, 0),
            )
        )

    # An area's row is one figure for the whole group (never split by municipality), shown to those
    # who see the aggregates of a municipality the area covers.
    areas = CoordinationArea.objects.filter(is_active=True).order_by("name")
    if ids is not None:
        areas = areas.filter(Q(pk__in=AreaMunicipality.objects.filter(shown).values("area_id")) | shown)
    areas = list(areas)
    area_rows = (
        held.filter(kind=MeetingKind.COORDINATION_GROUP, area_id__in=[a.pk for a in areas])
        .annotate(month=ExtractMonth("starts_at"))
        .values("area_id", "month")
        .annotate(n=Count("id"))
    )
    by_area: dict[int, dict[int, int]] = {}
    for row in area_rows:
        by_area.setdefault(row["area_id"], {})[row["month"]] = row["n"]
    for area in areas:
        counts = by_area.get(area.pk, {})
        months = []
        for month in range(1, 13):
            target = _month_target(year, month, area.meeting_interval_days)
            n = counts.get(month, 0)
            met = True if n >= target else (False if month < current_month else None)
            months.append(MonthFigure(month=month, held=n, target=target, met=met))
        result.areas.append(
            AreaTargets(
                area_id=area.pk, name=area.display_name(language), interval_days=area.meeting_interval_days,
                months=months, held=sum(counts.values()), target_year=sum(f.target for f in months),
            )
        )
    # The programme total stays national, as one number: it never names or splits a municipality. Counted
    # by the tables' owner (migration conferences 0005): row-level security would count the user's own
    # municipalities only, checking its policy on every meeting of the country.
    result.programme_held = fixed_sql.fetchone(
        "SELECT kzn_national_meeting_count(%s, %s)", [MeetingKind.CASE_CONFERENCE.value, MeetingStatus.HELD.value]
    )[0]
    return result
