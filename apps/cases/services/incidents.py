"""Incidents: one event of violence on a case."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.institutions.models import Institution

from ..choices import PlaceType, ReportChannel, ViolenceForm
from ..models import Case, Incident
from .common import ensure_open, reach_case, touch


@transaction.atomic
def incident_add(
    *,
    user,
    case: Case,
    occurred_at: datetime,
    place_type: str,
    forms: Iterable[str],
    channel: str,
    reported_at: datetime | None = None,
    reporting_institution: Institution | None = None,
    police_event_number: str = "",
    injuries: bool = False,
    injuries_note: str = "",
    weapon_involved: bool = False,
    weapon_owned: bool = False,
    children_present: bool = False,
    children_witnessed: bool = False,
    description: str = "",
) -> Incident:
    """Record an incident: it cannot have happened after it was reported, nor in the future."""
    case = reach_case(user, case)
    ensure_open(case)
    errors: dict[str, list] = {}
    now = timezone.now()
    reported_at = reported_at or now
    forms = list(dict.fromkeys(forms or []))
    if not forms:
        errors.setdefault("forms", []).append(_("Choose at least one form of violence."))
    elif any(f not in ViolenceForm.values for f in forms):
        errors.setdefault("forms", []).append(_("Choose forms of violence from the list."))
    if place_type not in PlaceType.values:
        errors.setdefault("place_type", []).append(_("Choose where it happened."))
    if channel not in ReportChannel.values:
        errors.setdefault("channel", []).append(_("Choose how it was reported."))
    if occurred_at is None:
        errors.setdefault("occurred_at", []).append(_("Enter when it happened."))
    elif timezone.is_naive(occurred_at) or timezone.is_naive(reported_at):
        field = "occurred_at" if timezone.is_naive(occurred_at) else "reported_at"
        errors.setdefault(field, []).append(_("Enter the time with its time zone."))
    else:
        if reported_at > now:
            errors.setdefault("reported_at", []).append(_("The report time cannot be in the future."))
        if occurred_at > now:
            errors.setdefault("occurred_at", []).append(_("The incident cannot be in the future."))
        elif occurred_at > reported_at:
            errors.setdefault("occurred_at", []).append(_("The incident cannot have happened after it was reported."))
    if reporting_institution is not None and not Institution.objects.visible_to(user).filter(
        pk=reporting_institution.pk
    ).exists():
        errors.setdefault("reporting_institution", []).append(_("Choose an institution from the list."))
    injuries_note = (injuries_note or "").strip()
    if injuries_note and not injuries:
        errors.setdefault("injuries_note", []).append(_("Tick “injuries” or leave the description of injuries empty."))
    if errors:
        raise ValidationError(errors)
    incident = Incident(
        municipality_id=case.municipality_id,
        case=case,
        occurred_at=occurred_at,
        reported_at=reported_at,
        place_type=place_type,
        forms=forms,
        reporting_institution=reporting_institution,
        channel=channel,
        police_event_number=(police_event_number or "").strip(),
        injuries=injuries,
        injuries_note=injuries_note,
        weapon_involved=weapon_involved,
        weapon_owned=weapon_owned,
        children_present=children_present,
        children_witnessed=children_witnessed,
        description=(description or "").strip(),
        recorded_by=user,
    )
    incident.full_clean()
    incident.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=incident, details={"case": case.pk})
    touch(case, at=now)
    return incident
