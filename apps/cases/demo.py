"""Demo cases: six obviously fictional cases per municipality, covering every status and giving the
caseworker (``<slug>.caseworker``, Jelena in JOURNEYS.md) a realistic Monday work queue:

1. closed eight months ago, the victim's name written in Cyrillic;
2. active protection: an emergency measure the court extended (its extension ends within two
   days), a protection plan with two overdue measures owned by the CSR, a referral to the
   municipality's NGO accepted overnight, the victim's consent, notes and contacts;
3. reported at the weekend by the police: immediate danger, an emergency measure delivered about
   40 hours ago that expires today, and the prosecutor's extension proposal not recorded yet;
4. assessment: a new report typed in Latin about the victim of case 1, recognised as a repeat;
5. monitoring: a Family Law protective measure, no activity for 31 days;
6. reported, led by the police: a referral to the CSR waiting for its answer.

Called by ``manage.py seed_demo`` with the context it builds; idempotent (a municipality that
already has cases opened by demo users is left alone). Every record is written through the case
services (numbering, rules, audit); only moments in the past that the services stamp with "now"
(status changes, team joins, last activity) are moved back afterwards, on these demo rows only.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.core.choices import Role

from . import deadlines
from .choices import (
    CaseStatus,
    ClosureReason,
    ConsentMethod,
    ContactKind,
    CourtDecision,
    EmergencyMeasureKind,
    PersonRole,
    PlaceType,
    PlanMeasureKind,
    PlanMeasureStatus,
    ProtectiveMeasureKind,
    ReferralUrgency,
    Relationship,
    ReportChannel,
    Sex,
    ViolenceForm,
    Visibility,
)
from .models import Case, CaseAssignment, CaseParticipant, CasePerson, CaseStatusChange
from .services.cases import case_add_participant, case_change_status, case_open
from .services.consent import consent_record
from .services.incidents import incident_add
from .services.measures import (
    emergency_measure_court_decision,
    emergency_measure_propose_extension,
    emergency_measure_record,
    protective_measure_record,
)
from .services.notes import note_add
from .services.persons import person_add
from .services.plans import plan_create, plan_measure_add, plan_measure_update_status
from .services.referrals import referral_accept, referral_send
from .services.risk import risk_assess
from .validators import jmbg_check_digit

# The way through the workflow to each status.
_PATHS = {
    CaseStatus.REPORTED: [],
    CaseStatus.ASSESSMENT: [CaseStatus.ASSESSMENT],
    CaseStatus.ACTIVE_PROTECTION: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION],
    CaseStatus.MONITORING: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING],
    CaseStatus.CLOSED: [CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING, CaseStatus.CLOSED],
}

# (family name Latin, family name Cyrillic, victim Latin, victim Cyrillic, perpetrator, relationship)
_FAMILIES = [
    ("Primerović", "Примеровић", "Demo", "Демо", "Primer", Relationship.SPOUSE),
    ("Uzorković", "Узорковић", "Demka", "Демка", "Uzor", Relationship.FORMER_PARTNER),
    ("Oglednić", "Огледнић", "Demana", "Демана", "Ogled", Relationship.COHABITING_PARTNER),
    ("Demić", "Демић", "Ana", "Ана", "Demo", Relationship.INTIMATE_PARTNER),
    ("Probić", "Пробић", "Proba", "Проба", "Probni", Relationship.SPOUSE),
]
DEMO_PHONE = "+381 60 000 0000"
DEMO_ADDRESS = "Demo ulica 1 (izmišljena adresa)"


def _has_demo_cases(municipality) -> bool:
    return Case.objects.filter(municipality=municipality, opened_by__is_demo=True).exists()


def demo_jmbg(born: date, *, female: bool) -> str:
    """A JMBG that passes the validator (real date, region 71, mod-11 check digit) for a fictional person."""
    first12 = f"{born:%d%m}{born.year % 1000:03d}71{'555' if female else '055'}"
    return first12 + str(jmbg_check_digit(first12))


def _ngo_worker(context: dict, slug: str, ngo, password_hash: list) -> User:
    """The NGO's demo counsellor who accepts referrals (``<slug>.ngo``); created once."""
    username = f"{slug}.ngo"
    user = context["users"].get(username) or User.objects.filter(username=username).first()
    if user is None:
        if not password_hash:
            # One argon2 hash for all NGO demo users: hashing is the slow part of seeding.
            password_hash.append(make_password(context.get("password")))
        user = User(
            username=username, email=f"{username}@demo.kzn.example", first_name="Sanja",
            last_name="Primer (demo)", is_demo=True, password=password_hash[0],
        )
        user.save()
    membership_create(user=user, institution=ngo, role=Role.CASEWORKER, created_by=context["users"].get("platform.admin"))
    context["users"][username] = user
    return user


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


def _backdate(case: Case, opened_at: datetime, moments: list[datetime], *, last_activity: datetime | None = None) -> None:
    """Move what the services stamped "now" on this demo case (opening, team, status changes) back to
    when the story says it happened; ``moments`` are the times of the status changes after opening."""
    CaseParticipant.objects.filter(case=case).update(joined_at=opened_at)
    CaseAssignment.objects.filter(case=case).update(assigned_at=opened_at)
    CasePerson.objects.filter(case=case).update(created_at=opened_at)
    changes = list(CaseStatusChange.objects.filter(case=case).order_by("id").values_list("pk", flat=True))
    for pk, moment in zip(changes, [opened_at, *moments], strict=True):
        CaseStatusChange.objects.filter(pk=pk).update(changed_at=moment)
    last_change = moments[-1] if moments else opened_at
    fields = {"status_changed_at": last_change}
    if case.status == CaseStatus.CLOSED:
        fields["closed_at"] = last_change
    if last_activity is not None:
        fields["last_activity_at"] = last_activity
    Case.objects.filter(pk=case.pk).update(**fields)


def _family(user, case, index: int, born_offset: int, *, cyrillic: bool = False, with_child: bool = False,
            with_jmbg: bool = False):
    family_lat, family_cyr, victim_lat, victim_cyr, perpetrator_name, relationship = _FAMILIES[index]
    victim_born = date(1984, 3, 1) + timedelta(days=born_offset + 97 * index)
    perpetrator_born = date(1980, 9, 1) + timedelta(days=born_offset + 97 * index)
    victim = person_add(
        user=user,
        case=case,
        role=PersonRole.VICTIM,
        first_name=victim_cyr if cyrillic else victim_lat,
        last_name=family_cyr if cyrillic else family_lat,
        sex=Sex.FEMALE,
        birth_date=victim_born,
        jmbg=demo_jmbg(victim_born, female=True) if with_jmbg else "",
        phone=DEMO_PHONE,
        address=DEMO_ADDRESS,
        confidential_address=index == 0,
    )
    person_add(
        user=user,
        case=case,
        role=PersonRole.PERPETRATOR,
        first_name=perpetrator_name,
        last_name=family_cyr if cyrillic else family_lat,
        sex=Sex.MALE,
        birth_date=perpetrator_born,
        jmbg=demo_jmbg(perpetrator_born, female=False) if with_jmbg else "",
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


def _incident(user, case, police, forms, channel=ReportChannel.POLICE_REPORT, **flags):
    incident_add(
        user=user,
        case=case,
        occurred_at=case.reported_at - timedelta(hours=2),
        reported_at=case.reported_at,
        place_type=PlaceType.SHARED_HOME,
        forms=forms,
        channel=channel,
        reporting_institution=police if channel == ReportChannel.POLICE_REPORT else None,
        police_event_number="DEMO-0000" if channel == ReportChannel.POLICE_REPORT else "",
        description="Izmišljen događaj za demonstraciju.",
        **flags,
    )


def _minutes(moment: datetime) -> datetime:
    """A moment on a round ten minutes, as an officer writes it on an order."""
    return moment.replace(minute=moment.minute - moment.minute % 10, second=0, microsecond=0)


def _delivered_expiring_today(now: datetime) -> datetime:
    """About 40 hours ago, so that the 48-hour measure ends later today (Belgrade time)."""
    delivered = _minutes(now - timedelta(hours=40))
    end_of_today = deadlines.start_of_day(timezone.localdate(now) + timedelta(days=1)) - timedelta(minutes=15)
    if delivered + timedelta(hours=48) > end_of_today:
        delivered = _minutes(max(end_of_today, now + timedelta(minutes=20)) - timedelta(hours=48))
    return delivered


def _overnight(now: datetime) -> datetime:
    """Early this morning (Belgrade time), never in the future."""
    morning = deadlines.start_of_day(timezone.localdate(now)) + timedelta(hours=6, minutes=30)
    return min(morning, now - timedelta(minutes=30))


@transaction.atomic
def seed(context: dict) -> None:
    """Add the demo cases to every demo municipality that has none yet."""
    now = timezone.now()
    today = timezone.localdate(now)
    password_hash: list[str] = []
    for position, (slug, municipality) in enumerate(sorted(context["municipalities"].items())):
        institutions = context["institutions"][slug]
        ngo, health = institutions["ngo"], institutions["health"]
        # Before the check below, so that later demo modules find the NGO user on every run.
        ngo_worker = _ngo_worker(context, slug, ngo, password_hash)
        if _has_demo_cases(municipality):
            continue
        caseworker = context["users"][f"{slug}.caseworker"]
        police_officer = context["users"][f"{slug}.police"]
        csr, police, school = institutions["csr"], institutions["police"], institutions["school"]
        for user in (caseworker, police_officer, ngo_worker):
            user.refresh_access()
        born_offset = position * 11  # the same family is a different person in every municipality
        code = municipality.code

        # 1. Closed eight months ago; the victim's name was written in Cyrillic.
        closed = case_open(
            user=caseworker, municipality=municipality, lead_institution=csr,
            reported_at=now - timedelta(days=290), summary="Demo: psihičko nasilje, završen plan zaštite.",
        )
        _family(caseworker, closed, 0, born_offset, cyrillic=True)
        _incident(caseworker, closed, police, [ViolenceForm.PSYCHOLOGICAL, ViolenceForm.ECONOMIC])
        risk_assess(
            user=caseworker, case=closed, items={"prior_violence": "yes", "victim_fear": "yes"},
            immediate_danger=False, assessed_at=closed.reported_at + timedelta(days=1), conclusion="Demo procena.",
        )
        note_add(
            user=caseworker, case=closed, kind=ContactKind.OFFICE_VISIT, occurred_at=now - timedelta(days=241),
            text="Završni razgovor: plan ispunjen, žrtva se oseća bezbedno (demo).",
        )
        closed = _walk(caseworker, closed, CaseStatus.CLOSED)
        r = closed.reported_at
        closed_at = now - timedelta(days=240)
        _backdate(
            closed, r, [r + timedelta(days=1), r + timedelta(days=3), r + timedelta(days=30), closed_at],
            last_activity=closed_at,
        )

        # 2. Active protection: extended emergency measure, plan with overdue measures, NGO referral.
        delivered = _minutes(now - timedelta(days=30))
        ongoing = case_open(
            user=caseworker, municipality=municipality, lead_institution=csr,
            reported_at=delivered - timedelta(hours=3), summary="Demo: fizičko nasilje u prisustvu deteta.",
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
            institutions=[police, school, ngo, health], scope="Razmena podataka potrebnih za zaštitu (demo).",
            method=ConsentMethod.WRITTEN, expires_at=today + timedelta(days=180),
        )
        case_add_participant(user=caseworker, case=ongoing, institution=police)
        case_add_participant(user=caseworker, case=ongoing, institution=school)
        extended = emergency_measure_record(
            user=police_officer, case=ongoing, kind=EmergencyMeasureKind.CONTACT_BAN,
            order_number=f"DEMO-{code}-HM-1", ordered_by=police, delivered_at=delivered, now=now,
        )
        extended = emergency_measure_propose_extension(
            user=caseworker, measure=extended, proposed_at=delivered + timedelta(hours=20),
            expected_version=extended.version, now=now,
        )
        # Decided 36 hours after delivery: the 30-day extension ends about a day and a half from now.
        emergency_measure_court_decision(
            user=caseworker, measure=extended, decision=CourtDecision.EXTENDED,
            decided_at=delivered + timedelta(hours=36), expected_version=extended.version, now=now,
        )
        ongoing = _walk(caseworker, ongoing, CaseStatus.ACTIVE_PROTECTION)
        plan = plan_create(
            user=caseworker, case=ongoing, victim_participated=True, victim_signed=True,
            monitoring="Nedeljni telefonski kontakt, pregled plana za mesec dana (demo).",
            next_review=today + timedelta(days=7), adopted_at=today - timedelta(days=21), now=now,
        )
        for description, owner, deadline in (
            ("Savetodavni razgovori sa žrtvom (demo).", csr, today - timedelta(days=6)),
            ("Procena potreba deteta i plan podrške (demo).", csr, today - timedelta(days=2)),
            ("Provera poštovanja zabrane prilaženja (demo).", police, today + timedelta(days=5)),
        ):
            plan_measure_add(
                user=caseworker, plan=plan, kind=PlanMeasureKind.SUPPORT if owner == csr else PlanMeasureKind.PROTECTION,
                description=description, owner_institution=owner, deadline=deadline, for_person=victim, now=now,
            )
        school_measure = plan_measure_add(
            user=caseworker, plan=plan, kind=PlanMeasureKind.SUPPORT, description="Praćenje deteta u školi (demo).",
            owner_institution=school, deadline=today - timedelta(days=10), now=now,
        )
        plan_measure_update_status(
            user=caseworker, measure=school_measure, status=PlanMeasureStatus.DONE,
            expected_version=school_measure.version, now=now,
        )
        accepted_at = _overnight(now)
        referral = referral_send(
            user=caseworker, case=ongoing, from_institution=csr, to_institution=ngo,
            reason="Psihološka podrška i grupa podrške za žrtvu (demo).", urgency=ReferralUrgency.URGENT,
            now=accepted_at - timedelta(hours=15),
        )
        referral_accept(user=ngo_worker, referral=referral, now=accepted_at)
        for days, kind, text, visibility in (
            (12, ContactKind.PHONE_CALL, "Telefonski razgovor sa žrtvom: oseća se sigurnije (demo).", Visibility.TEAM),
            (5, ContactKind.HOME_VISIT, "Kućna poseta: dete ide redovno u školu (demo).", Visibility.TEAM),
            (3, ContactKind.INTERVIEW, "Savetodavni razgovor, beleška samo za centar (demo).", Visibility.OWN_INSTITUTION),
        ):
            note_add(
                user=caseworker, case=ongoing, kind=kind, text=text, visibility=visibility,
                occurred_at=now - timedelta(days=days),
            )
        r = ongoing.reported_at
        _backdate(ongoing, r, [r + timedelta(hours=22), r + timedelta(days=2)])

        # 3. Reported at the weekend by the police: the measure expires today, no extension proposal yet.
        delivered = _delivered_expiring_today(now)
        urgent = case_open(
            user=police_officer, municipality=municipality, lead_institution=csr,
            reported_at=delivered - timedelta(hours=3), summary="Demo: pretnje ubistvom, hitna mera udaljenja.",
        )
        _family(police_officer, urgent, 2, born_offset)
        _incident(police_officer, urgent, police, [ViolenceForm.PHYSICAL], weapon_involved=True, weapon_owned=True)
        risk_assess(
            user=police_officer, case=urgent,
            items={"murder_threat": "yes", "weapon_owned": "yes", "weapon_used": "yes", "victim_fear": "yes"},
            immediate_danger=True, assessed_at=urgent.reported_at + timedelta(hours=1),
            conclusion="Demo: neposredna opasnost.",
        )
        emergency_measure_record(
            user=police_officer, case=urgent, kind=EmergencyMeasureKind.REMOVAL,
            order_number=f"DEMO-{code}-HM-2", ordered_by=police, delivered_at=delivered, now=now,
        )
        _backdate(urgent, urgent.reported_at, [])

        # 4. A new report by phone, typed in Latin, about the victim of case 1: a repeat case.
        repeat = case_open(
            user=caseworker, municipality=municipality, lead_institution=csr,
            reported_at=now - timedelta(hours=3), summary="Demo: ponovljeno nasilje, ista porodica.",
        )
        _family(caseworker, repeat, 0, born_offset)
        _incident(caseworker, repeat, police, [ViolenceForm.PSYCHOLOGICAL, ViolenceForm.STALKING], channel=ReportChannel.PHONE)
        risk_assess(
            user=caseworker, case=repeat, items={"prior_violence": "yes", "intent_to_repeat": "yes"},
            immediate_danger=False, conclusion="Demo procena.",
        )
        _walk(caseworker, repeat, CaseStatus.ASSESSMENT)

        # 5. Monitoring under a court's protective measure; nobody has been in contact for 31 days.
        quiet = case_open(
            user=caseworker, municipality=municipality, lead_institution=csr,
            reported_at=now - timedelta(days=95), summary="Demo: proganjanje bivše partnerke, mera zaštite.",
        )
        quiet_victim = _family(caseworker, quiet, 3, born_offset, with_jmbg=True)
        _incident(caseworker, quiet, police, [ViolenceForm.STALKING, ViolenceForm.DIGITAL, ViolenceForm.PSYCHOLOGICAL])
        risk_assess(
            user=caseworker, case=quiet, items={"prior_violence": "yes", "separation": "yes", "victim_fear": "yes"},
            immediate_danger=False, assessed_at=quiet.reported_at + timedelta(days=1), conclusion="Demo procena.",
        )
        consent_record(
            user=caseworker, case=quiet, person=quiet_victim, given_at=timezone.localdate(quiet.reported_at),
            institutions=[police], scope="Razmena podataka sa policijom radi zaštite (demo).",
            method=ConsentMethod.ORAL,
        )
        decided = today - timedelta(days=60)
        protective_measure_record(
            user=caseworker, case=quiet, kind=ProtectiveMeasureKind.APPROACH_BAN, court="Osnovni sud (demo)",
            decision_number=f"DEMO-P2-{code}", decision_date=decided, valid_from=decided,
            valid_until=deadlines.protective_max_valid_until(decided), distance_m=200, now=now,
        )
        note_add(
            user=caseworker, case=quiet, kind=ContactKind.PHONE_CALL, occurred_at=now - timedelta(days=31, hours=2),
            text="Poslednji kontakt: žrtva kaže da se učinilac drži mere (demo).",
        )
        quiet = _walk(caseworker, quiet, CaseStatus.MONITORING)
        r = quiet.reported_at
        # Demo data only: the services stamp "now" as the last activity; this case tells the story
        # of a month without contact, so it is set back after the fact.
        _backdate(
            quiet, r, [r + timedelta(days=1), r + timedelta(days=3), r + timedelta(days=50)],
            last_activity=now - timedelta(days=31),
        )

        # 6. Led by the police, referred to the CSR this morning: waiting for the CSR's answer.
        police_case = case_open(
            user=police_officer, municipality=municipality, lead_institution=police,
            reported_at=now - timedelta(hours=20), summary="Demo: ekonomsko i psihičko nasilje, uput centru.",
        )
        police_victim = _family(police_officer, police_case, 4, born_offset)
        _incident(police_officer, police_case, police, [ViolenceForm.ECONOMIC, ViolenceForm.PSYCHOLOGICAL])
        risk_assess(
            user=police_officer, case=police_case,
            items={"prior_violence": "yes", "substance_abuse": "yes", "pending_proceedings": "yes", "victim_fear": "yes"},
            immediate_danger=False, assessed_at=police_case.reported_at + timedelta(hours=2),
            conclusion="Demo procena policije.",
        )
        consent_record(
            user=police_officer, case=police_case, person=police_victim, given_at=timezone.localdate(police_case.reported_at),
            institutions=[csr], scope="Prosleđivanje podataka centru za socijalni rad (demo).", method=ConsentMethod.ORAL,
        )
        referral_send(
            user=police_officer, case=police_case, from_institution=police, to_institution=csr,
            reason="Procena potreba porodice i podrška žrtvi (demo).", urgency=ReferralUrgency.URGENT,
            now=now - timedelta(hours=14),
        )
        _backdate(police_case, police_case.reported_at, [])
