"""Receiving records from another system: an idempotent upsert keyed by institution, kind and the
sender's id with a version; a new record is matched and lands on a case (or waits for a person).

Everything on the case is written through the cases services as the machine account's user, so the
same rules, row-level security and audit apply as to a person of that institution.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases.choices import CourtDecision, ReportChannel
from apps.cases.models import Case, EmergencyMeasure
from apps.cases.services import cases as case_services
from apps.cases.services import incidents as incident_services
from apps.cases.services import measures as measure_services
from apps.cases.services import persons as person_services
from apps.cases.services import risk as risk_services
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution

from .. import formats
from ..choices import SEND_SCOPE, CourtDecisionType, Decision, RecordKind, RecordStatus
from ..matching import JOIN_AT, REVIEW_AT
from ..matching import decide as matching_decide
from ..models import InboundRecord, MachineAccount
from .matching import candidates_for

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class StaleVersion(ValidationError):
    """An older version than the one kept, or the same version with other content."""


def _history(record: InboundRecord, event: str, **details) -> None:
    history = record.explanation.setdefault("history", [])
    history.append({"at": timezone.now().isoformat(), "event": event, **details})


def record_receive(*, account: MachineAccount, kind: str, data, import_run=None) -> tuple[InboundRecord, str]:
    """Keep a record sent by ``account``: new -> matched and landed; same version and content -> nothing;
    newer version -> kept (a new emergency measure is added to the case); older -> refused."""
    if kind not in RecordKind.values or not account.has_scope(SEND_SCOPE[kind]):
        raise PermissionDenied(_("This machine account may not send this kind of record."))
    record = formats.check(kind, data)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _upsert(account, kind, record, import_run)
        except IntegrityError:
            if attempt:  # a second writer of the same id won twice: let the caller see it
                raise
    raise AssertionError("unreachable")


def _upsert(account: MachineAccount, kind: str, record: dict, import_run) -> tuple[InboundRecord, str]:
    user = account.user
    digest = formats.digest(record)
    existing = (
        InboundRecord.objects.visible_to(user, "view").select_for_update()
        .filter(institution_id=account.institution_id, kind=kind, external_id=record["external_id"]).first()
    )
    if existing is not None:
        if record["version"] < existing.version or (record["version"] == existing.version and digest != existing.digest):
            raise StaleVersion(
                {"version": _("Version %(sent)d is refused: version %(kept)d of this record is already kept; "
                              "send a higher version for a change.") % {"sent": record["version"], "kept": existing.version}},
                code="stale",
            )
        if record["version"] == existing.version:
            return existing, UNCHANGED
        return _update(existing, account, record, digest), UPDATED
    inbound = InboundRecord(
        municipality_id=account.municipality_id, account=account, institution_id=account.institution_id, kind=kind,
        external_id=record["external_id"], version=record["version"], digest=digest, payload=formats.dumps(record),
        status=RecordStatus.QUEUED, import_run=import_run,
    )
    inbound.full_clean(validate_unique=False)
    inbound.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=inbound, details={"kind": kind, "version": inbound.version})
    _route(inbound, account, record)
    return inbound, CREATED


def _update(existing: InboundRecord, account: MachineAccount, record: dict, digest: str) -> InboundRecord:
    previous = existing.version
    existing.version, existing.digest, existing.payload = record["version"], digest, formats.dumps(record)
    _history(existing, "version", version=record["version"], previous=previous)
    fields = ["version", "digest", "payload", "explanation", "updated_at"]
    if existing.status == RecordStatus.LANDED and existing.case_id and existing.kind == RecordKind.POLICE_REPORT:
        measure = record.get("emergency_measure")
        if measure and not existing.created_rows.get("emergency"):
            case = Case.objects.get(pk=existing.case_id)
            created = existing.created_rows
            created.setdefault("emergency", []).append(_record_measure(account, case, measure).pk)
            fields.append("created_rows")
    existing.save(update_fields=fields)
    audit_log(action=AuditAction.UPDATE, actor=account.user, obj=existing, details={"version": existing.version})
    return existing


def _linked_case(account: MachineAccount, record: dict) -> Case | None:
    """An order naming the report it belongs to lands where that report landed."""
    reference = record.get("report_external_id")
    if not reference:
        return None
    report = InboundRecord.objects.visible_to(account.user, "view").filter(
        institution_id=account.institution_id, kind=RecordKind.POLICE_REPORT, external_id=reference,
        status=RecordStatus.LANDED,
    ).first()
    if report is None or report.case_id is None:
        if not record.get("persons"):
            raise ValidationError({"report_external_id": _("No police report with this id has landed on a case yet.")})
        return None
    return Case.objects.visible_to(account.user, "change").filter(pk=report.case_id).first()


def _route(inbound: InboundRecord, account: MachineAccount, record: dict) -> None:
    """Decide where the record goes and explain why (the explanation names case ids and scores only)."""
    linked = _linked_case(account, record) if inbound.kind == RecordKind.EMERGENCY_ORDER else None
    if linked is not None:
        inbound.explanation = {"decision": "linked", "reason": "report_external_id"}
        land(inbound, account, record, case=linked, decision=Decision.LINKED)
        return
    scores = candidates_for(account.user, account.municipality_id, record)
    verdict, best, reason = matching_decide(scores)
    inbound.explanation = {
        "decision": verdict, "reason": reason,
        "thresholds": {"join": JOIN_AT, "review": REVIEW_AT},
        "candidates": [{"case": s.case_id, "score": s.score, "parts": s.parts, "matched": s.matched}
                       for s in sorted(scores, key=lambda s: -s.score)[:5]],
    }
    inbound.score = best.score if best else None
    if verdict == "join":
        land(inbound, account, record, case=Case.objects.get(pk=best.case_id), decision=Decision.JOINED_AUTO,
             matched={int(k): v for k, v in best.matched.items()})
    elif verdict == "open":
        land(inbound, account, record, case=None, decision=Decision.OPENED_AUTO)
    else:
        inbound.status = RecordStatus.QUEUED
        inbound.save(update_fields=["explanation", "score", "status", "updated_at"])


def _lead_institution(account: MachineAccount) -> Institution:
    """A case a record opens is led by the municipality's centre for social work, which the police
    must notify; the sender's institution joins the team as the opener."""
    csr = Institution.objects.visible_to(account.user).filter(
        municipality_id=account.municipality_id, type=InstitutionType.CSR, is_active=True
    ).order_by("id").first()
    return csr or account.institution


def _record_measure(account: MachineAccount, case: Case, measure: dict):
    delivered = measure["delivered_at"]
    return measure_services.emergency_measure_record(
        user=account.user, case=case, kind=measure["kind"], order_number=measure["order_number"],
        ordered_by=account.institution, delivered_at=delivered,
    )


def land(inbound: InboundRecord, account: MachineAccount, record: dict, *, case: Case | None, decision: str,
         matched: dict | None = None, by=None) -> InboundRecord:
    """Put the record on ``case`` (None: open one) through the cases services; remember what it created."""
    record = formats.check(inbound.kind, formats.loads(formats.dumps(record)))
    user = account.user
    created: dict[str, list] = {}
    when = record.get("incident", {}).get("reported_at") if inbound.kind == RecordKind.POLICE_REPORT else record.get("occurred_at")
    if case is None:
        case = case_services.case_open(
            user=user, municipality=account.institution.municipality, lead_institution=_lead_institution(account),
            reported_at=when or timezone.now(),
        )
        created["case"] = [case.pk]
    matched = matched or {}
    for index, person in enumerate(record.get("persons") or []):
        if index in matched:
            continue
        added = person_services.person_add(
            user=user, case=case, role=person["role"], first_name=person["first_name"], last_name=person["last_name"],
            sex=person["sex"], birth_date=person["birth_date"], jmbg=person["jmbg"], address=person["address"],
            relationship_to_victim=person["relationship_to_victim"] if person["role"] == "perpetrator" else "",
        )
        created.setdefault("persons", []).append(added.pk)
    if inbound.kind == RecordKind.POLICE_REPORT:
        _land_report(account, case, record, created)
    elif inbound.kind == RecordKind.EMERGENCY_ORDER:
        created.setdefault("emergency", []).append(_record_measure(account, case, record["emergency_measure"]).pk)
    else:
        _land_court(account, case, record, created)
    inbound.status = RecordStatus.LANDED
    inbound.decision = decision
    inbound.case = case
    inbound.created_rows = created
    inbound.decided_at = timezone.now()
    inbound.decided_by = by
    _history(inbound, "landed", decision=decision, case=case.pk, by=getattr(by, "pk", None))
    inbound.save(update_fields=["status", "decision", "case", "created_rows", "decided_at", "decided_by",
                                "explanation", "score", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=by or user, obj=inbound, details={"decision": decision, "case": case.pk})
    return inbound


def _land_report(account, case, record, created) -> None:
    incident = record["incident"]
    added = incident_services.incident_add(
        user=account.user, case=case, occurred_at=incident["occurred_at"], reported_at=incident["reported_at"],
        place_type=incident["place_type"], forms=incident["forms"], channel=ReportChannel.POLICE_REPORT,
        reporting_institution=account.institution, police_event_number=incident["police_event_number"],
        injuries=incident["injuries"], weapon_involved=incident["weapon_involved"],
        children_present=incident["children_present"], description=incident["description"],
    )
    created.setdefault("incidents", []).append(added.pk)
    risk = record.get("risk")
    if risk and (risk["immediate_danger"] or risk["items"]):
        outcome = risk_services.risk_assess(
            user=account.user, case=case, items=risk["items"], immediate_danger=risk["immediate_danger"],
            assessed_at=incident["reported_at"],
        )
        created.setdefault("risk", []).append(outcome.assessment.pk)
    if record.get("emergency_measure"):
        created.setdefault("emergency", []).append(_record_measure(account, case, record["emergency_measure"]).pk)


def _land_court(account, case, record, created) -> None:
    if record["decision_type"] == CourtDecisionType.PROTECTIVE_MEASURE:
        measure = measure_services.protective_measure_record(
            user=account.user, case=case, kind=record["kind"], court=record["court"],
            decision_date=record["decision_date"], valid_from=record["valid_from"], valid_until=record["valid_until"],
            decision_number=record["decision_number"], distance_m=record["distance_m"],
        )
        created.setdefault("protective", []).append(measure.pk)
        return
    order = EmergencyMeasure.objects.visible_to(account.user, "view").filter(
        case_id=case.pk, order_number=record["order_number"]
    ).first()
    if order is None:
        raise ValidationError({"order_number": _("No emergency measure with this order number is on the case.")})
    if order.extension_proposed_at is None:
        order = measure_services.emergency_measure_propose_extension(
            user=account.user, measure=order, proposed_at=record["proposed_at"], expected_version=order.version
        )
    measure_services.emergency_measure_court_decision(
        user=account.user, measure=order, decision=CourtDecision.EXTENDED if record["extended"] else CourtDecision.REJECTED,
        decided_at=record["decided_at"], expected_version=order.version,
    )
    created.setdefault("court_decision_on", []).append(order.pk)

