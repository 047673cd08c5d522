"""Protocols: create or adapt, edit a draft, adopt (then it never changes), start the next version."""
from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version

from ..choices import VersionStatus
from ..models import Protocol, ProtocolStep, ProtocolVersion

STEP_FIELDS = (
    "sector", "position", "actor", "actor_cyrl", "actor_en", "action", "action_cyrl", "action_en",
    "time_amount", "time_unit", "legal_basis", "proving_event",
)
VERSION_FIELDS = ("preamble", "preamble_cyrl", "preamble_en")


def _copy_steps(source: ProtocolVersion | None, target: ProtocolVersion) -> None:
    if source is None:
        return
    ProtocolStep.objects.bulk_create([
        ProtocolStep(protocol_version=target, municipality_id=target.municipality_id,
                     **{name: getattr(step, name) for name in STEP_FIELDS})
        for step in source.steps.all()
    ])


def current_version(protocol: Protocol) -> ProtocolVersion | None:
    """The adopted version, else the newest."""
    versions = list(protocol.versions.order_by("-number"))
    adopted = [v for v in versions if v.status == VersionStatus.ADOPTED]
    return adopted[0] if adopted else (versions[0] if versions else None)


@transaction.atomic
def protocol_create(*, user, municipality, kind: str, title: str, title_cyrl: str = "", title_en: str = "",
                    based_on: Protocol | None = None) -> Protocol:
    """A new protocol (national when ``municipality`` is None) with a first draft; an adaptation starts
    from the steps of the template's current version."""
    if municipality is None and not user.is_platform_admin:
        raise ValidationError(_("Only platform admins publish national templates."))
    protocol = Protocol(municipality=municipality, kind=kind, title=title, title_cyrl=title_cyrl, title_en=title_en,
                        based_on=based_on, created_by=user)
    protocol.full_clean()
    protocol.save()
    source = current_version(based_on) if based_on is not None else None
    version = ProtocolVersion(
        protocol=protocol, municipality=municipality, number=1, created_by=user,
        **{name: getattr(source, name) for name in VERSION_FIELDS} if source else {},
    )
    version.full_clean()
    version.save()
    _copy_steps(source, version)
    audit_log(action=AuditAction.CREATE, actor=user, obj=protocol, municipality_id=protocol.municipality_id)
    return protocol


def _require_draft(version: ProtocolVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("An adopted version never changes; start a new version to change it."), code="adopted")


@transaction.atomic
def version_new(*, user, protocol: Protocol) -> ProtocolVersion:
    """The next draft, a copy of the newest version (one draft at a time)."""
    locked = Protocol.objects.select_for_update().get(pk=protocol.pk)
    if locked.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(_("This protocol already has a draft version."), code="draft_exists")
    source = locked.versions.order_by("-number").first()
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProtocolVersion(protocol=locked, municipality_id=locked.municipality_id, number=number, created_by=user,
                              **{name: getattr(source, name) for name in VERSION_FIELDS} if source else {})
    version.full_clean()
    version.save()
    _copy_steps(source, version)
    audit_log(action=AuditAction.CREATE, actor=user, obj=version, municipality_id=version.municipality_id)
    return version


@transaction.atomic
def version_save(*, user, version: ProtocolVersion, expected_version, **fields) -> ProtocolVersion:
    """Change the preamble of a draft (optimistic locking)."""
    _require_draft(version)
    for name in VERSION_FIELDS:
        if name in fields:
            setattr(version, name, fields[name])
    save_with_version(version, expected_version, [n for n in VERSION_FIELDS if n in fields])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=version, municipality_id=version.municipality_id)
    return version


@transaction.atomic
def step_save(*, user, version: ProtocolVersion, expected_version, step: ProtocolStep | None = None,
              **fields) -> ProtocolStep:
    """Add or change a step of a draft; the version's lock guards the whole draft."""
    _require_draft(version)
    if fields.get("time_amount") is not None and fields["time_amount"] <= 0:
        raise ValidationError({"time_amount": _("The time limit must be a positive number.")})
    step = step or ProtocolStep(protocol_version=version, municipality_id=version.municipality_id)
    for name in STEP_FIELDS:
        if name in fields:
            setattr(step, name, fields[name] if fields[name] is not None or name == "time_amount" else "")
    clash = ProtocolStep.objects.filter(protocol_version=version, sector=step.sector, position=step.position)
    if step.pk:
        clash = clash.exclude(pk=step.pk)
    if clash.exists():
        raise ValidationError({"position": _("This sector already has a step with this number.")})
    save_with_version(version, expected_version, [], validate=False)
    is_new = step.pk is None
    step.full_clean()
    step.save()
    audit_log(action=AuditAction.CREATE if is_new else AuditAction.UPDATE, actor=user, obj=step,
              municipality_id=version.municipality_id)
    return step


@transaction.atomic
def step_delete(*, user, version: ProtocolVersion, step: ProtocolStep, expected_version) -> None:
    """Remove a step of a draft."""
    _require_draft(version)
    save_with_version(version, expected_version, [], validate=False)
    audit_log(action=AuditAction.DELETE, actor=user, obj=step, municipality_id=version.municipality_id)
    step.delete()


@transaction.atomic
def version_adopt(*, user, version: ProtocolVersion, expected_version, adopted_on: date,
                  decision_number: str, today: date | None = None) -> ProtocolVersion:
    """Adopt a draft (date, decision number); the version adopted before is superseded."""
    _require_draft(version)
    today = today or timezone.localdate()
    errors = {}
    if adopted_on is None:
        errors["adopted_on"] = _("Enter the date of adoption.")
    elif adopted_on > today:
        errors["adopted_on"] = _("The date of adoption cannot be in the future.")
    if not (decision_number or "").strip():
        errors["decision_number"] = _("Enter the number of the decision.")
    if not version.steps.exists():
        errors["__all__"] = _("A protocol without procedure steps cannot be adopted.")
    if errors:
        raise ValidationError(errors)
    previous = list(ProtocolVersion.objects.select_for_update().filter(
        protocol_id=version.protocol_id, status=VersionStatus.ADOPTED))
    version.status = VersionStatus.ADOPTED
    version.adopted_on = adopted_on
    version.decision_number = decision_number.strip()
    version.adopted_by = user
    save_with_version(version, expected_version, ["status", "adopted_on", "decision_number", "adopted_by"])
    for old in previous:
        old.status = VersionStatus.SUPERSEDED
        old.superseded_on = adopted_on
        old.save(update_fields=["status", "superseded_on", "updated_at"])
        audit_log(action=AuditAction.UPDATE, actor=user, obj=old, municipality_id=old.municipality_id,
                  details={"status": "superseded"})
    audit_log(action=AuditAction.UPDATE, actor=user, obj=version, municipality_id=version.municipality_id,
              details={"status": "adopted"})
    return version
