"""The matching queue: a person of the institution decides where a waiting record goes, and any
decision (automatic or not) can be undone, which puts the record back in the queue."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.choices import CaseStatus, ClosureReason
from apps.cases.models import Case, CasePerson, EmergencyMeasure, Incident, ProtectiveMeasure, RiskAssessment
from apps.cases.services import cases as case_services
from apps.cases.services import risk as risk_services
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .. import formats
from ..choices import Decision, RecordStatus
from ..models import InboundRecord
from .inbound import _history, land

UNDO_MODELS = {"emergency": EmergencyMeasure, "protective": ProtectiveMeasure, "risk": RiskAssessment,
               "incidents": Incident, "persons": CasePerson}


def _reach(user, record: InboundRecord | int) -> InboundRecord:
    pk = record.pk if isinstance(record, InboundRecord) else record
    found = InboundRecord.objects.visible_to(user, "change").select_for_update(of=("self",)).select_related(
        "account", "account__institution", "account__user").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@transaction.atomic
def record_assign(*, user, record: InboundRecord | int, case_id: int | None) -> InboundRecord:
    """Land a waiting record on a case the reviewer and the account may both reach (None: a new case)."""
    record = _reach(user, record)
    if record.status != RecordStatus.QUEUED:
        raise ValidationError({"case": _("This record is already on a case; undo that first.")})
    account = record.account
    if not account.is_active:
        raise ValidationError({"case": _("The machine account of this record is revoked.")})
    case = None
    if case_id is not None:
        case = Case.objects.visible_to(user, "change").filter(pk=case_id).first()
        reachable = Case.objects.visible_to(account.user, "change").filter(pk=case_id).exists()
        if case is None or not reachable:
            raise ValidationError({"case": _("Choose one of the cases offered.")})
    payload = formats.check(record.kind, formats.loads(record.payload))
    matched = {}
    for candidate in record.explanation.get("candidates", []):
        if case is not None and candidate["case"] == case.pk:
            matched = {int(k): v for k, v in candidate.get("matched", {}).items()}
    decision = Decision.JOINED_BY_PERSON if case is not None else Decision.OPENED_BY_PERSON
    return land(record, account, payload, case=case, decision=decision, matched=matched, by=user)


@transaction.atomic
def record_undo(*, user, record: InboundRecord | int, reason: str = "") -> InboundRecord:
    """Remove what landing put on the case (a case it opened is closed) and queue the record again."""
    record = _reach(user, record)
    if record.status != RecordStatus.LANDED or record.case_id is None:
        raise ValidationError({"record": _("Only a record that is on a case can be undone.")})
    account = record.account
    case = Case.objects.visible_to(account.user, "change").filter(pk=record.case_id).first()
    if case is None:
        raise ValidationError({"record": _("The case can no longer be changed by this account.")})
    created = record.created_rows or {}
    try:
        with transaction.atomic():
            for key, model in UNDO_MODELS.items():
                ids = created.get(key) or []
                rows = model.objects.visible_to(account.user, "change").filter(pk__in=ids, case_id=case.pk)
                for row in rows:
                    audit_log(action=AuditAction.DELETE, actor=user, obj=row,
                              details={"case": case.pk, "undo_of": record.pk})
                    row.delete()
    except ProtectedError as exc:
        raise ValidationError({"record": _("The case has been worked on since; change it on the case page instead.")}) from exc
    if created.get("risk"):
        risk_services.refresh_risk(Case.objects.get(pk=case.pk))
    if created.get("case") and case.status != CaseStatus.CLOSED:
        case = Case.objects.get(pk=case.pk)
        case_services.case_change_status(
            user=account.user, case=case, to_status=CaseStatus.CLOSED, expected_version=case.version,
            closure_reason=ClosureReason.OTHER, note=_("Opened by a record from another system; the decision was undone."),
        )
    previous = record.decision
    record.status = RecordStatus.QUEUED
    record.decision = Decision.NONE
    record.case = None
    record.created_rows = {}
    record.decided_at = timezone.now()
    record.decided_by = user
    _history(record, "undone", previous=previous, case=case.pk, by=user.pk, reason=(reason or "")[:200])
    record.save(update_fields=["status", "decision", "case", "created_rows", "decided_at", "decided_by",
                               "explanation", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=record, details={"undone": previous, "case": case.pk})
    return record
