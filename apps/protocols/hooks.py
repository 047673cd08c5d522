"""The protocols app's contribution to the case page: "What must I do now", the procedure steps of the
reader's sector from the municipality's adopted protocol, with the steps the case is waiting for first
(registered on the cases hooks; the cases app never imports this app)."""
from __future__ import annotations

from django.db.models import Case, Exists, Value, When
from django.utils import timezone

from apps.cases import hooks as case_hooks
from apps.cases.choices import CaseStatus, ReferralStatus
from apps.cases.models import Case as CaseModel
from apps.cases.models import EmergencyMeasure, ProtectionPlan, Referral
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution

from .choices import ProvingEvent, Sector
from .models import ProtocolStep

SECTOR_OF_TYPE = {
    InstitutionType.CSR: Sector.SOCIAL,
    InstitutionType.POLICE: Sector.POLICE,
    InstitutionType.PROSECUTOR: Sector.PROSECUTION,
    InstitutionType.BASIC_COURT: Sector.JUDICIARY,
    InstitutionType.MISDEMEANOUR_COURT: Sector.JUDICIARY,
    InstitutionType.HEALTH_CENTRE: Sector.HEALTH,
    InstitutionType.HOSPITAL: Sector.HEALTH,
    InstitutionType.SCHOOL: Sector.EDUCATION,
    InstitutionType.NGO: Sector.NGO,
    InstitutionType.SAFE_HOUSE: Sector.NGO,
    InstitutionType.LOCAL_GOVERNMENT: Sector.LOCAL_GOVERNMENT,
}


def sectors_of(user):
    """The sectors of the user's institutions, as a subquery (mapped from the institution type in SQL)."""
    sector = Case(*[When(type=t, then=Value(s)) for t, s in SECTOR_OF_TYPE.items()], default=Value(""))
    return (Institution.objects.filter(pk__in=list(user.access.institution_ids()))
            .annotate(sector=sector).values("sector"))


def waiting_for(user, case) -> set[str]:
    """The proving events the case is waiting for now (what the deadlines on the case page count down),
    asked in one statement."""
    now = timezone.now()
    measures = EmergencyMeasure.objects.of_case(user, case)
    flags = (
        CaseModel.objects.filter(pk=case.pk)
        .annotate(
            extension=Exists(measures.filter(extension_proposed_at__isnull=True, extension_proposal_due__gt=now)),
            measured=Exists(measures),
            planned=Exists(ProtectionPlan.objects.of_case(user, case)),
            referred=Exists(Referral.objects.visible_to(user).filter(case_id=case.pk, status=ReferralStatus.SENT)),
        )
        .values("extension", "measured", "planned", "referred")
        .first()
    ) or {}
    events = set()
    if case.status == CaseStatus.REPORTED and case.lead_institution.type == InstitutionType.CSR:
        events.add(ProvingEvent.CSR_FIRST_REACTION)
    if flags.get("extension"):
        events.add(ProvingEvent.EXTENSION_PROPOSED)
    if flags.get("measured") and not flags.get("planned"):
        events.add(ProvingEvent.PLAN_MADE)
    if flags.get("referred"):
        events.add(ProvingEvent.REFERRAL_ANSWERED)
    return events


def what_to_do_panel(request, case):
    """The panel (None when the municipality has adopted no protocol or the reader has no sector): the
    steps in one statement (the reader's sectors as a subquery), what the case waits for in one more."""
    user = request.user
    if not user.access.institution_ids():
        return None
    steps = list(
        ProtocolStep.objects.visible_to(user, "view")
        .adopted_steps(case.municipality_id, sectors_of(user))
        .select_related("protocol_version__protocol")
        .order_by("sector", "position")
    )
    if not steps:
        return None
    waiting = waiting_for(user, case)
    now_steps = [s for s in steps if s.proving_event and s.proving_event in waiting]
    return case_hooks.CasePanel(
        key="protocol_steps",
        template="protocols/includes/case_panel.html",
        context={"now_steps": now_steps, "steps": [s for s in steps if s not in now_steps][:8]},
    )


case_hooks.register(case_hooks.case_panels, what_to_do_panel)
