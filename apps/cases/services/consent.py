"""The victim's consent to share the case with named institutions (date, scope, expiry, method)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution

from ..choices import ConsentMethod, PersonRole
from ..models import Case, CasePerson, Consent
from .common import ensure_open, reach_case, touch

# Sectors of the coordinated response: sharing with an institution of another sector than the
# lead institution's needs the victim's consent (or a recorded immediate-danger override).
SECTOR_OF_TYPE: dict[str, str] = {
    InstitutionType.CSR: "social",
    InstitutionType.SAFE_HOUSE: "social",
    InstitutionType.POLICE: "police",
    InstitutionType.HEALTH_CENTRE: "health",
    InstitutionType.HOSPITAL: "health",
    InstitutionType.PROSECUTOR: "justice",
    InstitutionType.BASIC_COURT: "justice",
    InstitutionType.MISDEMEANOUR_COURT: "justice",
    InstitutionType.SCHOOL: "education",
    InstitutionType.NGO: "ngo",
    InstitutionType.LOCAL_GOVERNMENT: "local_government",
    InstitutionType.EMPLOYMENT_SERVICE: "employment",
    InstitutionType.OTHER: "other",
}


def sector_of(institution: Institution) -> str:
    """The sector an institution belongs to (unknown types are a sector of their own)."""
    return SECTOR_OF_TYPE.get(institution.type, f"type:{institution.type}")


def needs_consent(case: Case, institution: Institution) -> bool:
    """Whether sharing ``case`` with ``institution`` needs the victim's consent (another sector)."""
    return sector_of(institution) != sector_of(case.lead_institution)


def valid_consent_institutions(case: Case, on_date: date | None = None) -> set[int]:
    """Ids of the institutions a victim of ``case`` has validly consented to share with on ``on_date``.

    ``on_date`` is a Belgrade calendar day (today by default); a consent is valid from the day it
    was given through its expiry day, and no longer from the day it was withdrawn.
    """
    day = on_date or timezone.localdate()
    consents = Consent.objects.filter(case=case, person__role=PersonRole.VICTIM).prefetch_related("institutions")
    ids: set[int] = set()
    for consent in consents:
        if consent.is_valid_on(day):
            ids.update(i.pk for i in consent.institutions.all())
    return ids


def has_valid_consent(case: Case, institution: Institution, on_date: date | None = None) -> bool:
    """Whether a victim's valid consent names ``institution``."""
    return institution.pk in valid_consent_institutions(case, on_date)


@transaction.atomic
def consent_record(
    *,
    user,
    case: Case,
    person: CasePerson,
    given_at: date,
    institutions: Iterable[Institution],
    scope: str,
    method: str = ConsentMethod.WRITTEN,
    expires_at: date | None = None,
) -> Consent:
    """Record a victim's consent to share the case with the named institutions."""
    case = reach_case(user, case)
    ensure_open(case)
    errors: dict[str, list] = {}
    if person.case_id != case.pk:
        raise ValidationError({"person": _("The person is not on this case.")}, code="other_case")
    if person.role != PersonRole.VICTIM:
        errors.setdefault("person", []).append(_("Only a victim on the case can give this consent."))
    today = timezone.localdate()
    if given_at is None:
        errors.setdefault("given_at", []).append(_("Enter the date the consent was given."))
    elif given_at > today:
        errors.setdefault("given_at", []).append(_("The consent cannot be given in the future."))
    if expires_at is not None and given_at is not None and expires_at < given_at:
        errors.setdefault("expires_at", []).append(_("The consent cannot expire before it was given."))
    institutions = list(dict.fromkeys(institutions))
    if not institutions:
        errors.setdefault("institutions", []).append(_("Name at least one institution the victim agrees to share with."))
    elif any(not i.is_active for i in institutions):
        errors.setdefault("institutions", []).append(_("One of the institutions no longer takes part."))
    if not (scope or "").strip():
        errors.setdefault("scope", []).append(_("Describe what the victim agrees to share."))
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        municipality_id=case.municipality_id,
        case=case,
        person=person,
        given_at=given_at,
        expires_at=expires_at,
        scope=scope.strip(),
        method=method,
        recorded_by=user,
    )
    consent.full_clean()
    consent.save()
    consent.institutions.set(institutions)
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=consent,
        details={"case": case.pk, "institutions": sorted(i.pk for i in institutions)},
    )
    touch(case)
    return consent


@transaction.atomic
def consent_withdraw(*, user, consent: Consent, withdrawn_at: date | None = None) -> Consent:
    """Record that the victim withdrew a consent (from that day on it no longer counts)."""
    case = reach_case(user, consent.case)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    day = withdrawn_at or timezone.localdate()
    if consent.withdrawn_at is not None:
        raise ValidationError({"withdrawn_at": _("This consent has already been withdrawn.")}, code="withdrawn")
    if day > timezone.localdate():
        raise ValidationError({"withdrawn_at": _("The withdrawal date cannot be in the future.")}, code="future")
    if day < consent.given_at:
        raise ValidationError(
            {"withdrawn_at": _("The consent cannot be withdrawn before it was given.")}, code="before_given"
        )
    consent.withdrawn_at = day
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=consent, details={"case": case.pk, "fields": ["withdrawn_at"]})
    touch(case)
    return consent
