"""Programme targets per municipality and period against events held (counts only, no person).

The period is ``settings.EVENTS_PROGRAMME_PERIOD`` (name, first day, last day); the default targets
are ``choices.DEFAULT_TARGETS`` overridden by ``settings.EVENTS_TARGETS`` and, per municipality, by
``ProgrammeTarget`` rows. An event counts for every municipality taking part (an inter-municipal
meeting for each of its area's municipalities) once it is held. Who reads them: the aggregate rule
of the conferences (coordinators and officials, their municipalities).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count

from apps.conferences.rules import aggregate_municipality_ids
from apps.conferences.target_panels import TargetPanel
from apps.municipalities.models import Municipality

from .. import rules
from ..choices import DEFAULT_TARGETS, EventKind, EventStatus
from ..models import EventMunicipality, ProgrammeTarget


def period() -> tuple[str, date, date]:
    value = getattr(settings, "EVENTS_PROGRAMME_PERIOD", None)
    if value:
        name, first, last = value
        return name, date.fromisoformat(str(first)), date.fromisoformat(str(last))
    return "2025-2027", date(2025, 1, 1), date(2027, 12, 31)


def default_targets() -> dict[str, int]:
    return {**DEFAULT_TARGETS, **getattr(settings, "EVENTS_TARGETS", {})}


@dataclass
class KindFigure:
    kind: str
    label: str
    held: int
    target: int
    own: bool = False  # set by the municipality (a ProgrammeTarget row), not the default

    @property
    def met(self) -> bool:
        return self.held >= self.target


@dataclass
class MunicipalityFigures:
    municipality_id: int
    name: str
    kinds: list[KindFigure]
    editable: bool = False  # the user keeps this municipality's targets


def may_see(user) -> bool:
    ids = aggregate_municipality_ids(user.access)
    return ids is None or bool(ids)


def targets_for(user) -> tuple[str, list[MunicipalityFigures]]:
    """The period's name and, per municipality the user reads aggregates of, held against target."""
    name, first, last = period()
    ids = aggregate_municipality_ids(user.access)
    municipalities = list(Municipality.objects.filter(pk__in=ids).order_by("name") if ids is not None
                          else Municipality.objects.order_by("name"))
    wanted = [m.pk for m in municipalities]
    counts: dict[tuple[int, str], int] = {}
    rows = (
        rules.taking_part(EventMunicipality.objects, wanted)
        .filter(event__status=EventStatus.HELD, event__starts_at__date__gte=first, event__starts_at__date__lte=last)
        .values("member_id", "event__kind").annotate(n=Count("event_id", distinct=True))
    )
    for row in rows:
        counts[(row["member_id"], row["event__kind"])] = row["n"]
    overrides = {(t.municipality_id, t.kind): t.target
                 for t in rules.of_municipalities(ProgrammeTarget.objects, wanted).filter(period=name)}
    defaults = default_targets()
    managed = rules.managed_municipality_ids(user)
    labels = dict(EventKind.choices)
    result = []
    for municipality in municipalities:
        kinds = [KindFigure(kind=kind, label=str(labels[kind]), held=counts.get((municipality.pk, kind), 0),
                            target=overrides.get((municipality.pk, kind), defaults.get(kind, 0)),
                            own=(municipality.pk, kind) in overrides)
                 for kind in EventKind.values]
        result.append(MunicipalityFigures(municipality.pk, municipality.display_name(), kinds,
                                          editable=municipality.pk in managed))
    return name, result


def editable_targets(user, municipality_id: int):
    """The period's name, the defaults, and the rows of a municipality whose targets the user keeps
    (None: not theirs to keep)."""
    if municipality_id not in rules.managed_municipality_ids(user):
        return None
    name, _first, _last = period()
    rows = list(rules.of_municipalities(ProgrammeTarget.objects.visible_to(user, "change"), [municipality_id])
                .filter(period=name))
    return name, default_targets(), rows


def target_panel(user, *, year, today):
    """The panel beside the conference targets (registered on apps.conferences.target_panels)."""
    if not may_see(user):
        return None
    name, rows = targets_for(user)
    return TargetPanel(key="events", template="events/targets_panel.html",
                       context={"period": name, "rows": rows, "kinds": EventKind.choices})
