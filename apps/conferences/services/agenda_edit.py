"""Editing an agenda by hand: add a case by its number, remove it, move it up or down.

Only those who run the meeting edit its agenda, and a case is added only if the user sees it
(``Case.objects.visible_to``) and it belongs to a municipality the meeting serves; an unknown or
invisible number gets the same message, so the form reveals nothing about other cases.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import AgendaOrigin, AgendaSection, MeetingStatus
from ..models import AgendaItem, Meeting
from .eligibility import host_municipality_ids
from .meetings import reach_meeting


def _editable(user, meeting) -> Meeting:
    current = reach_meeting(user, meeting, "change")
    if current.status == MeetingStatus.CANCELLED:
        raise ValidationError({"number": [_("The meeting is cancelled; its agenda cannot change.")]})
    return current


@transaction.atomic
def agenda_add_case(*, user, meeting: Meeting, number: str, section: str = AgendaSection.OTHER,
                    reason: str = "", planned_minutes: int = 15) -> AgendaItem:
    """Put a case the user sees on the agenda, last in the order."""
    current = _editable(user, meeting)
    number = (number or "").strip().upper()
    errors: dict[str, list] = {}
    if not number:
        errors["number"] = [_("Enter the case number, e.g. LAZ-2026-00042.")]
    if section not in AgendaSection.values:
        errors["section"] = [_("Choose an agenda table.")]
    if not 1 <= int(planned_minutes or 0) <= 240:
        errors["planned_minutes"] = [_("Plan between 1 and 240 minutes.")]
    if len(reason or "") > 255:
        errors["reason"] = [_("Keep the reason under 255 characters.")]
    case = None
    if number:
        case = (
            Case.objects.visible_to(user, "view")
            .filter(number=number, municipality_id__in=host_municipality_ids(municipality_id=current.municipality_id,
                                                                           area=current.area))
            .first()
        )
        if case is None:
            errors["number"] = [_("No case with this number that you can see belongs to this meeting's municipality or area.")]
        elif AgendaItem.objects.filter(meeting=current, case=case).exists():
            errors["number"] = [_("This case is already on the agenda.")]
    if errors:
        raise ValidationError(errors)
    last = AgendaItem.objects.filter(meeting=current).aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem(
        meeting=current, case=case, municipality_id=case.municipality_id, section=section, origin=AgendaOrigin.MANUAL,
        position=last + 1, planned_minutes=int(planned_minutes), reason=(reason or "").strip(), added_by=user,
    )
    item.full_clean()
    item.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=item, details={"meeting": current.pk})
    return item


def _item(user, meeting, item_id) -> tuple[Meeting, AgendaItem]:
    current = _editable(user, meeting)
    item = AgendaItem.objects.visible_to(user, "change").select_for_update(of=("self",)).filter(
        meeting=current, pk=item_id
    ).first()
    if item is None:
        raise Http404("No agenda item matches the given query.")
    return current, item


@transaction.atomic
def agenda_remove(*, user, meeting: Meeting, item_id: int) -> None:
    """Take a case off the agenda (only before anything was recorded for it)."""
    current, item = _item(user, meeting, item_id)
    if item.discussed or item.discussion or item.decisions or item.action_items.exists():
        raise ValidationError({"item": [_("The minutes already record this case; it stays on the agenda.")]})
    audit_log(action=AuditAction.DELETE, actor=user, obj=item, details={"meeting": current.pk})
    item.delete()


@transaction.atomic
def agenda_move(*, user, meeting: Meeting, item_id: int, direction: str) -> AgendaItem:
    """Swap a case with its neighbour within its agenda table ("up" or "down")."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [_("Move up or down.")]})
    current, item = _item(user, meeting, item_id)
    # Renumber the table first, so equal or missing positions cannot stall a move.
    table = list(
        AgendaItem.objects.select_for_update(of=("self",)).filter(meeting=current, section=item.section)
        .order_by("position", "id")
    )
    index = next(i for i, row in enumerate(table) if row.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(table):
        table[index], table[other] = table[other], table[index]
    positions = sorted(row.position for row in table)
    if len(set(positions)) != len(positions):
        positions = list(range(positions[0], positions[0] + len(table)))
    for row, position in zip(table, positions, strict=True):
        if row.position != position:
            AgendaItem.objects.filter(pk=row.pk).update(position=position)
            row.position = position
    audit_log(action=AuditAction.UPDATE, actor=user, obj=item, details={"meeting": current.pk, "moved": direction})
    return next(row for row in table if row.pk == item.pk)
