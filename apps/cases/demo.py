"""Demo cases: four obviously fictional cases per municipality, in every status, with persons, an
incident and a risk assessment; one of them a repeat of an earlier, closed case.

Called by ``manage.py seed_demo`` with the context it builds; idempotent (a municipality that
already has cases opened by demo users is left alone). Only the case-core services are used.
"""
from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .choices import (
    CaseStatus,
    ClosureReason,
    ConsentMethod,
    PersonRole,
    PlaceType,
    Relationship,
    ReportChannel,
    Sex,
    ViolenceForm,
)
from .models import Case
from .services.cases import case_add_participant, case_change_status, case_open
from .services.consent import consent_record
from .services.incidents import incident_add
from .services.persons import person_add
from .services.risk import risk_assess

# The way through the workflow to each status.
_PATHS = {
    CaseStatus.REPORTED: [],
    CaseStatus.ASSESSMENT: [CaseStatus.ASSESSMENT],
    CaseStatus.ACTIVE_PROTECTION: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION],
    CaseStatus.MONITORING: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING],
    CaseStatus.CLOSED: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING, CaseStatus.CLOSED],
}
# Open statuses rotated per municipality so that every status appears in the data set.
_OPEN_STATUSES = [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING]

# (family name Latin, family name Cyrillic, victim, perpetrator, relationship)
_FAMILIES = [
    ("Primerović", "Примеровић", "Demo", "Primer", Relationship.SPOUSE),
    ("Uzorković", "Узорковић", "Demka", "Uzor", Relationship.FORMER_PARTNER),
    ("Oglednić", "Огледнић", "Demana", "Ogled", Relationship.COHABITING_PARTNER),
]


def _has_demo_cases(municipality) -> bool:
    return Case.objects.filter(municipality=municipality, opened_by__is_demo=True).exists()


def _walk(user, case, target: str) -> Case:
    for status in _PATHS[target]:
        case = case_change_status(
            user=user,
            case=case,
            to_status=status,
            expected_version=case.version,
            closure_reason=ClosureReason.SAFETY_ACHIEVED if status == CaseStatus.CLOSED else "",
            note="Demo",
        )
    return case


def _family(user, case, index: int, born_offset: int, *, cyrillic: bool = False, with_child: bool = False):
    family_lat, family_cyr, victim_name, perpetrator_name, relationship = _FAMILIES[index]
    victim = person_add(
        user=user,
        case=case,
        role=PersonRole.VICTIM,
        first_name="Демо" if cyrillic and victim_name == "Demo" else victim_name,
        last_name=family_cyr if cyrillic else family_lat,
        sex=Sex.FEMALE,
        birth_date=date(1984, 3, 1) + timedelta(days=born_offset + 97 * index),
        phone="+381 60 000 0000",
        address="Demo ulica 1 (izmišljena adresa)",
        confidential_address=index == 0,
    )
    person_add(
        user=user,
        case=case,
        role=PersonRole.PERPETRATOR,
        first_name=perpetrator_name,
        last_name=family_cyr if cyrillic else family_lat,
        sex=Sex.MALE,
        birth_date=date(1980, 9, 1) + timedelta(days=born_offset + 97 * index),
        relationship_to_victim=relationship,
    )
    if with_child:
        person_add(
            user=user,
            case=case,
            role=PersonRole.CHILD,
            first_name="Demo-dete",
            last_name=family_lat,
            sex=Sex.UNKNOWN,
            birth_date=date(2016, 5, 1) + timedelta(days=born_offset),
            relationship_to_victim=Relationship.CHILD,
        )
    return victim


def _incident(user, case, police, forms, **flags):
    incident_add(
        user=user,
        case=case,
        occurred_at=case.reported_at - timedelta(hours=2),
        reported_at=case.reported_at,
        place_type=PlaceType.SHARED_HOME,
        forms=forms,
        channel=ReportChannel.POLICE_REPORT,
        reporting_institution=police,
        police_event_number="DEMO-0000",
        description="Izmišljen događaj za demonstraciju.",
        **flags,
    )


@transaction.atomic
def seed(context: dict) -> None:
    """Add the demo cases to every demo municipality that has none yet."""
    now = timezone.now()
    for position, (slug, municipality) in enumerate(sorted(context["municipalities"].items())):
        if _has_demo_cases(municipality):
            continue
        institutions = context["institutions"][slug]
        caseworker = context["users"][f"{slug}.caseworker"]
        police_officer = context["users"][f"{slug}.police"]
        for user in (caseworker, police_officer):
            user.refresh_access()
        csr, police, school = institutions["csr"], institutions["police"], institutions["school"]
        born_offset = position * 11  # the same family is a different person in every municipality

        # 1. Closed eight months ago: the family that comes back in case 4.
        closed = case_open(
            user=caseworker, municipality=municipality, lead_institution=csr,
            reported_at=now - timedelta(days=240), summary="Demo: psihičko nasilje, završen plan zaštite.",
        )
        _family(caseworker, closed, 0, born_offset)
        _incident(caseworker, closed, police, [ViolenceForm.PSYCHOLOGICAL, ViolenceForm.ECONOMIC])
        risk_assess(
            user=caseworker, case=closed, items={"prior_violence": "yes", "victim_fear": "yes"},
            immediate_danger=False, assessed_at=closed.reported_at + timedelta(days=1), conclusion="Demo procena.",
        )
        _walk(caseworker, closed, CaseStatus.CLOSED)

        # 2. An open case in a rotating status, with the police and the school on the team by consent.
        status = _OPEN_STATUSES[position % len(_OPEN_STATUSES)]
        ongoing = case_open(
            user=caseworker, municipality=municipality, lead_institution=csr,
            reported_at=now - timedelta(days=40), summary="Demo: fizičko nasilje u prisustvu deteta.",
        )
        victim = _family(caseworker, ongoing, 1, born_offset, with_child=True)
        _incident(
            caseworker, ongoing, police, [ViolenceForm.PHYSICAL, ViolenceForm.PSYCHOLOGICAL],
            injuries=True, injuries_note="Lakše povrede (demo).", children_present=True, children_witnessed=True,
        )
        risk_assess(
            user=caseworker, case=ongoing,
            items={"prior_violence": "yes", "escalation": "yes", "children_present": "yes", "separation": "yes"},
            immediate_danger=False, assessed_at=ongoing.reported_at + timedelta(hours=20), conclusion="Demo procena.",
        )
        consent_record(
            user=caseworker, case=ongoing, person=victim, given_at=timezone.localdate(ongoing.reported_at),
            institutions=[police, school], scope="Razmena podataka potrebnih za zaštitu (demo).",
            method=ConsentMethod.WRITTEN, expires_at=timezone.localdate() + timedelta(days=180),
        )
        case_add_participant(user=caseworker, case=ongoing, institution=police)
        case_add_participant(user=caseworker, case=ongoing, institution=school)
        _walk(caseworker, ongoing, status)

        # 3. Reported this weekend by the police, with immediate danger.
        urgent = case_open(
            user=police_officer, municipality=municipality, lead_institution=csr,
            reported_at=now - timedelta(days=2), summary="Demo: pretnje ubistvom, hitna mera udaljenja.",
        )
        _family(police_officer, urgent, 2, born_offset)
        _incident(police_officer, urgent, police, [ViolenceForm.PHYSICAL], weapon_involved=True, weapon_owned=True)
        risk_assess(
            user=police_officer, case=urgent,
            items={"murder_threat": "yes", "weapon_owned": "yes", "weapon_used": "yes", "victim_fear": "yes"},
            immediate_danger=True, assessed_at=urgent.reported_at + timedelta(hours=1),
            conclusion="Demo: neposredna opasnost.",
        )

        # 4. A new report about the family of case 1, typed in Cyrillic: a repeat case.
        repeat = case_open(
            user=caseworker, municipality=municipality, lead_institution=csr,
            reported_at=now - timedelta(days=1), summary="Demo: ponovljeno nasilje, ista porodica.",
        )
        _family(caseworker, repeat, 0, born_offset, cyrillic=True)
        _incident(caseworker, repeat, police, [ViolenceForm.PSYCHOLOGICAL, ViolenceForm.STALKING])
        risk_assess(
            user=caseworker, case=repeat, items={"prior_violence": "yes", "intent_to_repeat": "yes"},
            immediate_danger=False, conclusion="Demo procena.",
        )
        _walk(caseworker, repeat, CaseStatus.ASSESSMENT)
