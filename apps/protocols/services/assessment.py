"""Self-assessment: open a round, answer, submit, return for completion, close, action points."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version

from ..choices import Answer, ResponseStatus, RoundStatus
from ..models import (
    ActionPoint,
    AssessmentAnswer,
    AssessmentResponse,
    AssessmentRound,
    Checklist,
    ChecklistItem,
)


@transaction.atomic
def round_open(*, user, municipality, checklist, title: str, period_from: date, period_to: date, deadline: date,
               institutions) -> AssessmentRound:
    """Open a round for the chosen institutions of the municipality: each gets its (empty) answers."""
    errors = {}
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = _("The period cannot end before it starts.")
    if deadline and period_from and deadline < period_from:
        errors["deadline"] = _("The deadline cannot be before the period starts.")
    institutions = list(institutions)
    if not institutions:
        errors["institutions"] = _("Choose at least one institution.")
    elif any(i.municipality_id != municipality.pk for i in institutions):
        errors["institutions"] = _("Choose institutions of this municipality.")
    if checklist.municipality_id not in (None, municipality.pk):
        errors["checklist"] = _("Choose a national checklist or one of this municipality.")
    if errors:
        raise ValidationError(errors)
    round_ = AssessmentRound(municipality=municipality, checklist=checklist, title=title, period_from=period_from,
                             period_to=period_to, deadline=deadline, opened_by=user)
    round_.full_clean()
    round_.save()
    items = list(ChecklistItem.objects.filter(checklist=checklist).values_list("pk", flat=True))
    for institution in institutions:
        response = AssessmentResponse.objects.create(round=round_, municipality=municipality, institution=institution)
        AssessmentAnswer.objects.bulk_create([
            AssessmentAnswer(response=response, municipality=municipality, item_id=item) for item in items
        ])
    audit_log(action=AuditAction.CREATE, actor=user, obj=round_, details={"institutions": len(institutions)})
    return round_


def _require_open(response: AssessmentResponse) -> None:
    if response.round.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is closed; answers no longer change."), code="closed")


@transaction.atomic
def answers_save(*, user, response: AssessmentResponse, expected_version, answers: dict) -> AssessmentResponse:
    """Save answers {item_id: {"value", "note", "evidence_url"}} of a draft or returned response."""
    _require_open(response)
    if response.status == ResponseStatus.SUBMITTED:
        raise ValidationError(_("The answers are submitted; the coordinator may return them for completion."))
    rows = {a.item_id: a for a in response.answers.all()}
    errors = {}
    for item_id, given in answers.items():
        answer = rows.get(int(item_id))
        if answer is None:
            errors[f"item_{item_id}"] = _("This item is not on the round's checklist.")
            continue
        value = given.get("value") or ""
        if value and value not in Answer.values:
            errors[f"item_{item_id}"] = _("Answer with no, partly, yes or not applicable.")
            continue
        answer.value, answer.note = value, given.get("note", "") or ""
        answer.evidence_url = given.get("evidence_url", "") or ""
        try:
            answer.full_clean(exclude=["response", "item", "municipality"])
        except ValidationError as error:
            errors[f"item_{item_id}"] = "; ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    save_with_version(response, expected_version, [], validate=False)
    AssessmentAnswer.objects.bulk_update(rows.values(), ["value", "note", "evidence_url"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=response)
    return response


@transaction.atomic
def response_submit(*, user, response: AssessmentResponse, expected_version) -> AssessmentResponse:
    """Submit the answers: every item must be answered."""
    _require_open(response)
    if response.status == ResponseStatus.SUBMITTED:
        raise ValidationError(_("The answers are already submitted."))
    if response.answers.filter(value="").exists():
        raise ValidationError(_("Answer every item before submitting (not applicable is an answer)."))
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = user
    save_with_version(response, expected_version, ["status", "submitted_at", "submitted_by"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=response, details={"status": "submitted"})
    return response


@transaction.atomic
def response_return(*, user, response: AssessmentResponse, expected_version, note: str) -> AssessmentResponse:
    """The coordinator returns submitted answers for completion, saying what to complete."""
    _require_open(response)
    if response.status != ResponseStatus.SUBMITTED:
        raise ValidationError(_("Only submitted answers are returned for completion."))
    if not (note or "").strip():
        raise ValidationError({"return_note": _("Say what to complete.")})
    response.status = ResponseStatus.RETURNED
    response.return_note = note.strip()
    save_with_version(response, expected_version, ["status", "return_note"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=response, details={"status": "returned"})
    return response


@transaction.atomic
def round_close(*, user, round_: AssessmentRound) -> AssessmentRound:
    """Close a round (once)."""
    locked = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status == RoundStatus.CLOSED:
        raise ValidationError(_("The round is already closed."), code="closed")
    locked.status = RoundStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=locked, details={"status": "closed"})
    return locked


@transaction.atomic
def action_point_add(*, user, response: AssessmentResponse, theme: str, text: str, due: date | None) -> ActionPoint:
    """Record something to improve (it may become an action-plan activity later)."""
    point = ActionPoint(response=response, municipality_id=response.municipality_id, theme=theme, text=text, due=due,
                        created_by=user)
    point.full_clean()
    point.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=point)
    return point


def action_point_link(*, point: ActionPoint, activity_id: int, user=None) -> ActionPoint:
    """The link point for the action-plans app: record which activity an action point became."""
    point.action_plan_activity_id = activity_id
    point.save(update_fields=["action_plan_activity_id", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=point, details={"linked": True})
    return point


@transaction.atomic
def checklist_adapt(*, user, checklist, municipality):
    """The municipality's own wording of a checklist: a copy of its items to edit."""
    copy = Checklist.objects.create(municipality=municipality, name=checklist.name, name_cyrl=checklist.name_cyrl,
                                    name_en=checklist.name_en, based_on=checklist, created_by=user)
    ChecklistItem.objects.bulk_create([
        ChecklistItem(checklist=copy, municipality=municipality, theme=i.theme, position=i.position, text=i.text,
                      text_cyrl=i.text_cyrl, text_en=i.text_en)
        for i in checklist.items.all()
    ])
    audit_log(action=AuditAction.CREATE, actor=user, obj=copy, municipality_id=municipality.pk)
    return copy


@transaction.atomic
def checklist_item_save(*, user, item: ChecklistItem, text: str, text_cyrl: str = "", text_en: str = "") -> ChecklistItem:
    """Reword an item of a municipality's checklist that no round uses yet."""
    if AssessmentAnswer.objects.filter(item=item).exists():
        raise ValidationError(_("A round already uses this checklist; adapt the checklist again to reword it."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Enter the item.")})
    item.text, item.text_cyrl, item.text_en = text.strip(), text_cyrl.strip(), text_en.strip()
    item.full_clean()
    item.save(update_fields=["text", "text_cyrl", "text_en", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=item, municipality_id=item.municipality_id)
    return item
