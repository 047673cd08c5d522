"""Cooperation agreements: draft and change, parties and signatures, the signed scan, annexes, status."""
from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.cases import filetypes
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version

from ..choices import AgreementStatus
from ..models import Agreement, AgreementAnnex, AgreementParty

AGREEMENT_FIELDS = ("title", "subject", "protocol", "valid_from", "valid_until")
MAX_SCAN_BYTES = 20 * 1024 * 1024


def status_on(agreement: Agreement, today: date, parties: list | None = None) -> str:
    """The status that follows from the signatures and the validity (terminated stays terminated)."""
    if agreement.status == AgreementStatus.TERMINATED:
        return AgreementStatus.TERMINATED
    parties = list(agreement.parties.all()) if parties is None else parties
    signed = [p for p in parties if p.signed_on]
    if not signed:
        return AgreementStatus.NEGOTIATING
    if len(signed) < len(parties):
        return AgreementStatus.PARTLY_SIGNED
    if agreement.valid_until and agreement.valid_until < today:
        return AgreementStatus.EXPIRED
    return AgreementStatus.IN_FORCE


def _refresh(agreement: Agreement, today: date | None = None) -> None:
    status = status_on(agreement, today or timezone.localdate())
    if status != agreement.status:
        Agreement.objects.filter(pk=agreement.pk).update(status=status)
        agreement.status = status


def _check_validity(valid_from, valid_until) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError({"valid_until": _("An agreement cannot be valid until a date before it starts.")})


@transaction.atomic
def agreement_save(*, user, municipality, agreement: Agreement | None = None, expected_version=None,
                   **fields) -> Agreement:
    """Create (no ``agreement``) or change an agreement (optimistic locking)."""
    _check_validity(fields.get("valid_from"), fields.get("valid_until"))
    if agreement is not None and agreement.status == AgreementStatus.TERMINATED:
        raise ValidationError(_("A terminated agreement is not changed."))
    new = agreement is None
    agreement = agreement or Agreement(municipality=municipality, created_by=user)
    for name in AGREEMENT_FIELDS:
        if name in fields:
            setattr(agreement, name, fields[name])
    if new:
        agreement.full_clean()
        agreement.save()
    else:
        save_with_version(agreement, expected_version, [n for n in AGREEMENT_FIELDS if n in fields])
    _refresh(agreement)
    audit_log(action=AuditAction.CREATE if new else AuditAction.UPDATE, actor=user, obj=agreement)
    return agreement


@transaction.atomic
def party_add(*, user, agreement: Agreement, institution=None, outside_name: str = "", signatory_name: str = "",
              signatory_function: str = "") -> AgreementParty:
    """Add a party: an institution of the agreement's municipality or a named outside party."""
    if (institution is None) == (not outside_name.strip()):
        raise ValidationError({"institution": _("Choose an institution or name an outside party (one of the two).")})
    if institution is not None and institution.municipality_id != agreement.municipality_id:
        raise ValidationError({"institution": _("Choose an institution of this municipality.")})
    if institution is not None and agreement.parties.filter(institution=institution).exists():
        raise ValidationError({"institution": _("This institution is already a party.")})
    party = AgreementParty(agreement=agreement, municipality_id=agreement.municipality_id, institution=institution,
                           outside_name=outside_name.strip(), signatory_name=signatory_name,
                           signatory_function=signatory_function)
    party.full_clean()
    party.save()
    _refresh(agreement)
    audit_log(action=AuditAction.CREATE, actor=user, obj=party)
    return party


@transaction.atomic
def party_sign(*, user, party: AgreementParty, signed_on: date, signatory_name: str, signatory_function: str = "",
               today: date | None = None) -> AgreementParty:
    """Record a party's signature (who signed, in what function, on which day; never in the future)."""
    today = today or timezone.localdate()
    errors = {}
    if signed_on is None:
        errors["signed_on"] = _("Enter the date of signing.")
    elif signed_on > today:
        errors["signed_on"] = _("The date of signing cannot be in the future.")
    if not (signatory_name or "").strip():
        errors["signatory_name"] = _("Enter who signed.")
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.select_for_update().get(pk=party.agreement_id)
    if agreement.status == AgreementStatus.TERMINATED:
        raise ValidationError(_("A terminated agreement is not signed."))
    party.signed_on = signed_on
    party.signatory_name = signatory_name.strip()
    party.signatory_function = (signatory_function or "").strip()
    party.full_clean()
    party.save(update_fields=["signed_on", "signatory_name", "signatory_function", "updated_at"])
    _refresh(agreement, today)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=party, details={"signed": True})
    return party


@transaction.atomic
def agreement_scan_save(*, user, agreement: Agreement, data: bytes, expected_version) -> Agreement:
    """Store the signed scan: a PDF recognised by its content (never by its name), at most 20 MB."""
    if not data:
        raise ValidationError({"scan": _("Choose the signed scan.")})
    if len(data) > MAX_SCAN_BYTES:
        raise ValidationError({"scan": _("The scan is larger than 20 MB.")})
    if filetypes.detect(data) != filetypes.PDF:
        raise ValidationError({"scan": _("The signed scan must be a PDF document.")})
    agreement.scan_sha256 = hashlib.sha256(data).hexdigest()
    agreement.scan.save("scan.pdf", ContentFile(data), save=False)
    save_with_version(agreement, expected_version, ["scan", "scan_sha256"], validate=False)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=agreement, details={"scan": "uploaded"})
    return agreement


def agreement_scan_read(*, user, agreement: Agreement) -> bytes:
    """The signed scan's bytes; every read is audited."""
    if not agreement.scan:
        raise ValidationError(_("No signed scan yet."))
    audit_log(action=AuditAction.VIEW, actor=user, obj=agreement, details={"scan": "read"})
    with agreement.scan.open("rb") as handle:
        return handle.read()


@transaction.atomic
def annex_add(*, user, agreement: Agreement, title: str, summary: str, signed_on: date,
              today: date | None = None) -> AgreementAnnex:
    """Add the next annex."""
    today = today or timezone.localdate()
    if signed_on and signed_on > today:
        raise ValidationError({"signed_on": _("The date of signing cannot be in the future.")})
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    number = (locked.annexes.aggregate(n=Max("number"))["n"] or 0) + 1
    annex = AgreementAnnex(agreement=locked, municipality_id=locked.municipality_id, number=number, title=title,
                           summary=summary, signed_on=signed_on, created_by=user)
    annex.full_clean()
    annex.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=annex)
    return annex


@transaction.atomic
def agreement_terminate(*, user, agreement: Agreement, expected_version, terminated_on: date) -> Agreement:
    """End an agreement early."""
    if agreement.status == AgreementStatus.TERMINATED:
        raise ValidationError(_("The agreement is already terminated."))
    if terminated_on is None:
        raise ValidationError({"terminated_on": _("Enter the date of termination.")})
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_on = terminated_on
    save_with_version(agreement, expected_version, ["status", "terminated_on"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=agreement, details={"status": "terminated"})
    return agreement
