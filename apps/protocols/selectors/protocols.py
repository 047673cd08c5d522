"""Reading protocols: the steps of a version by sector, differences between versions, the step for a case."""
from __future__ import annotations

from dataclasses import dataclass

from ..choices import Sector
from ..models import ProtocolStep, ProtocolVersion


def steps_by_sector(version: ProtocolVersion) -> list[tuple[str, list[ProtocolStep]]]:
    """[(sector label, steps in order)], sectors in their fixed order, empty ones left out."""
    steps = list(version.steps.all())
    grouped = []
    for sector in Sector:
        rows = sorted((s for s in steps if s.sector == sector.value), key=lambda s: s.position)
        if rows:
            grouped.append((sector, rows))
    return grouped


@dataclass
class StepChange:
    """One difference between two versions: added, removed or changed (with the fields that changed)."""

    kind: str
    sector: str
    position: int
    old: ProtocolStep | None
    new: ProtocolStep | None
    fields: list[str]


DIFF_FIELDS = ("actor", "actor_cyrl", "action", "action_cyrl", "action_en", "time_amount", "time_unit",
               "legal_basis", "proving_event")


def differences(old: ProtocolVersion, new: ProtocolVersion) -> list[StepChange]:
    """The steps added, removed or changed from ``old`` to ``new`` (matched by sector and number)."""
    before = {(s.sector, s.position): s for s in old.steps.all()}
    after = {(s.sector, s.position): s for s in new.steps.all()}
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (list(Sector.values).index(k[0]), k[1])):
        a, b = before.get(key), after.get(key)
        if a is None:
            changes.append(StepChange("added", key[0], key[1], None, b, []))
        elif b is None:
            changes.append(StepChange("removed", key[0], key[1], a, None, []))
        else:
            fields = [f for f in DIFF_FIELDS if getattr(a, f) != getattr(b, f)]
            if fields:
                changes.append(StepChange("changed", key[0], key[1], a, b, fields))
    return changes


def previous_version(version: ProtocolVersion) -> ProtocolVersion | None:
    return ProtocolVersion.objects.filter(protocol_id=version.protocol_id, number__lt=version.number).order_by(
        "-number").first()
