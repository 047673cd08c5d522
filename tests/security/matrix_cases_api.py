"""Isolation matrix of the case API with real bodies: creates that succeed for the case team and
refer to another municipality's case (or another case's rows) by id only to be refused.

``build_case_world(w)`` adds, on the matrix world, three cases made through the services:
- OWN: led by CSR A (the caseworker, coordinator and supervisor of the matrix are CSR A staff);
- SAME: led by police A, CSR A not on its team (only municipality-wide roles of A see it);
- OTHER: led by CSR B (never visible from municipality A);
each with a person, incident, risk assessment, consent (naming every institution of its
municipality), note, emergency and protective measure, breach, plan, plan measure, referral (to an
NGO of the municipality, which is also on the team) and attachment: ``w.cases_made[scope][kind]``.

tests/security/matrix_cases.py (the case pages and every API route with their general answers)
and this module are both picked up by tests/security/matrix.py (``ENTRIES`` and ``build``);
``CASE_ENTRIES`` and ``build_case_world`` are the same objects under their own names.
"""
from __future__ import annotations

import atexit
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.cases.choices import (
    ConsentMethod,
    EmergencyMeasureKind,
    PersonRole,
    PlaceType,
    PlanMeasureKind,
    ProtectiveMeasureKind,
    ReportChannel,
    ViolenceForm,
)
from apps.cases.services import attachments as attachment_services
from apps.cases.services import cases as case_services
from apps.cases.services import consent as consent_services
from apps.cases.services import incidents as incident_services
from apps.cases.services import measures as measure_services
from apps.cases.services import notes as note_services
from apps.cases.services import persons as person_services
from apps.cases.services import plans as plan_services
from apps.cases.services import referrals as referral_services
from apps.cases.services import risk as risk_services
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from tests.factories import InstitutionFactory

from .matrix import API, CO, CW, IA, OF, OTHER, OWN, SAME, SU, Entry, e

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
POLICE_B_NAME = "Policija Testgrad B"
NGO_A_NAME = "Udruženje Testgrad A"
NGO_B_NAME = "Udruženje Testgrad B"


def _remove_later(name: str) -> None:
    """Stored files of the matrix cases are removed when the test run ends."""
    from django.core.files.storage import default_storage

    atexit.register(lambda: default_storage.exists(name) and default_storage.delete(name))


def _build_one(*, opener, lead, police, ngo, everyone, tag):
    """A case with one row of every kind, made by ``opener`` (a caseworker of ``lead``)."""
    now = timezone.now()
    today = timezone.localdate()
    case = case_services.case_open(
        user=opener, municipality=lead.municipality, lead_institution=lead,
        reported_at=now - timedelta(hours=3), summary="Matrica: izmišljen slučaj",
    )
    person = person_services.person_add(
        user=opener, case=case, role=PersonRole.VICTIM, first_name="Matrica", last_name="Izmišljena",
        birth_date=date(1980, 3, 14), phone="060 000 0000", address="Izmišljena 1",
    )
    incident = incident_services.incident_add(
        user=opener, case=case, occurred_at=now - timedelta(hours=4), reported_at=now - timedelta(hours=3),
        place_type=PlaceType.SHARED_HOME, forms=[ViolenceForm.PSYCHOLOGICAL], channel=ReportChannel.PHONE,
    )
    risk = risk_services.risk_assess(
        user=opener, case=case, items={"prior_violence": "no"}, immediate_danger=False
    ).assessment
    consent = consent_services.consent_record(
        user=opener, case=case, person=person, given_at=today, institutions=everyone,
        scope="Matrica: razmena podataka", method=ConsentMethod.WRITTEN,
    )
    note = note_services.note_add(user=opener, case=case, text="Matrica: beleška")
    participant = case_services.case_add_participant(user=opener, case=case, institution=ngo)
    emergency = measure_services.emergency_measure_record(
        user=opener, case=case, kind=EmergencyMeasureKind.CONTACT_BAN, order_number=f"MTX-{tag}/2026",
        ordered_by=police, delivered_at=now - timedelta(hours=2),
    )
    protective = measure_services.protective_measure_record(
        user=opener, case=case, kind=ProtectiveMeasureKind.HARASSMENT_BAN, court="Osnovni sud Matrica",
        decision_date=today - timedelta(days=10), valid_from=today - timedelta(days=10),
        valid_until=today + timedelta(days=200),
    )
    breach = measure_services.breach_record(
        user=opener, case=case, occurred_at=now - timedelta(hours=1), emergency_measure=emergency,
    )
    plan = plan_services.plan_create(user=opener, case=case, victim_participated=True)
    plan_measure = plan_services.plan_measure_add(
        user=opener, plan=plan, kind=PlanMeasureKind.SUPPORT, description="Matrica: savetovanje",
        owner_institution=lead, deadline=today + timedelta(days=14),
    )
    referral = referral_services.referral_send(
        user=opener, case=case, from_institution=lead, to_institution=ngo, reason="Matrica: podrška",
    )
    attachment = attachment_services.attachment_add(
        user=opener, case=case, uploaded_file=SimpleUploadedFile("matrica.pdf", PDF_BYTES, "application/pdf"),
    )
    _remove_later(attachment.file.name)
    return {
        "case": case, "person": person, "incident": incident, "risk": risk, "consent": consent, "note": note,
        "emergency": emergency, "protective": protective, "breach": breach, "plan": plan,
        "plan_measure": plan_measure, "referral": referral, "attachment": attachment, "participant": participant,
    }


def build_case_world(w) -> None:
    """Add the three cases and their rows to the matrix world ``w`` (needs ``w.base``: the ``world``;
    extends ``w.leak_texts`` and ``w.leak_ids`` when present)."""
    world = w.base
    police_b = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.POLICE, name=POLICE_B_NAME)
    ngo_a = InstitutionFactory(municipality=world.mun_a, type=InstitutionType.NGO, name=NGO_A_NAME)
    ngo_b = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.NGO, name=NGO_B_NAME)
    everyone_a = [world.csr_a, world.police_a, ngo_a]
    made = {
        OWN: _build_one(opener=world.users[Role.CASEWORKER], lead=world.csr_a, police=world.police_a, ngo=ngo_a,
                        everyone=everyone_a, tag="A1"),
        SAME: _build_one(opener=world.users["police_caseworker"], lead=world.police_a, police=world.police_a,
                         ngo=ngo_a, everyone=everyone_a, tag="A2"),
        OTHER: _build_one(opener=world.users["other_municipality"][Role.CASEWORKER], lead=world.csr_b,
                          police=police_b, ngo=ngo_b, everyone=[world.csr_b, police_b, ngo_b], tag="B1"),
    }
    w.cases_made = made
    w.case = {scope: rows["case"] for scope, rows in made.items()}
    w.case_police = {OWN: world.police_a, SAME: world.police_a, OTHER: police_b}
    w.case_ngo = {OWN: ngo_a, SAME: ngo_a, OTHER: ngo_b}
    if hasattr(w, "leak_texts"):
        w.leak_texts.extend([POLICE_B_NAME, NGO_B_NAME, made[OTHER]["case"].number])
    if hasattr(w, "leak_ids"):
        for name, kind in API_LISTS.items():
            w.leak_ids[name] = set(w.leak_ids.get(name, ())) | {made[OTHER][kind].pk}


# --- API entries --------------------------------------------------------------------------------

# List route name -> the kind of row it lists (the other municipality's row must never be in it).
API_LISTS = {
    "case-list": "case", "case-person-list": "person", "incident-list": "incident",
    "risk-assessment-list": "risk", "consent-list": "consent", "emergency-measure-list": "emergency",
    "breach-list": "breach", "protective-measure-list": "protective", "plan-list": "plan",
    "plan-measure-list": "plan_measure", "referral-list": "referral", "note-list": "note",
    "attachment-list": "attachment",
}
# Basename -> the kind of row of its detail routes.
KINDS = {
    "case-person": "person", "incident": "incident", "risk-assessment": "risk", "consent": "consent",
    "emergency-measure": "emergency", "breach": "breach", "protective-measure": "protective", "plan": "plan",
    "plan-measure": "plan_measure", "referral": "referral", "note": "note", "attachment": "attachment",
}


def team(ok, default=404) -> dict:
    """``ok`` for whoever works on the case: the CSR A caseworker and supervisor on OWN (CSR A's case),
    the coordinator on OWN and SAME (every case of municipality A); ``default`` for everyone else."""
    return e(default=default, **{CW: {OWN: ok}, SU: {OWN: ok}, CO: {OWN: ok, SAME: ok}})


# Creating a row: the team gets 201; a case out of reach is an invalid id (400), nothing is saved.
CREATE = team(201, default=400)


def _iso(moment) -> str:
    return moment.isoformat()


def _today():
    return timezone.localdate()


def row_pk(kind: str):
    """URL kwargs: the row of that kind of the scope's case."""
    return lambda w, scope: {"pk": w.cases_made[scope][kind].pk}


def _lead(w, scope):
    return w.case[scope].lead_institution_id


def new_case(w, scope):
    lead = {OWN: w.base.csr_a, SAME: w.base.police_a, OTHER: w.base.csr_b}[scope]
    return {"lead_institution": lead.pk, "reported_at": _iso(timezone.now() - timedelta(hours=1)),
            "summary": "Matrica: novi slučaj"}


BODIES = {
    "case-person": lambda w, scope: {"case": w.case[scope].pk, "role": "child", "first_name": "Matrica",
                                     "last_name": "Dete", "birth_date": "2016-05-01"},
    "incident": lambda w, scope: {"case": w.case[scope].pk, "occurred_at": _iso(timezone.now() - timedelta(hours=2)),
                                  "reported_at": _iso(timezone.now() - timedelta(hours=1)),
                                  "place_type": "shared_home", "forms": ["physical"], "channel": "phone"},
    "risk-assessment": lambda w, scope: {
        "case": w.case[scope].pk, "items": {"prior_violence": "no"}, "immediate_danger": False,
    },
    "consent": lambda w, scope: {"case": w.case[scope].pk, "person": w.cases_made[scope]["person"].pk,
                                 "given_at": _today().isoformat(), "institutions": [_lead(w, scope)],
                                 "scope": "Matrica: saglasnost", "method": "written"},
    "emergency-measure": lambda w, scope: {"case": w.case[scope].pk, "kind": "removal", "order_number": "MTX-N/2026",
                                           "ordered_by": w.case_police[scope].pk,
                                           "delivered_at": _iso(timezone.now() - timedelta(minutes=30))},
    "breach": lambda w, scope: {"case": w.case[scope].pk, "occurred_at": _iso(timezone.now() - timedelta(minutes=10)),
                                "emergency_measure": w.cases_made[scope]["emergency"].pk},
    "protective-measure": lambda w, scope: {"case": w.case[scope].pk, "kind": "harassment_ban", "court": "Sud Matrica",
                                            "decision_date": _today().isoformat(), "valid_from": _today().isoformat(),
                                            "valid_until": (_today() + timedelta(days=30)).isoformat()},
    "plan": lambda w, scope: {"case": w.case[scope].pk, "victim_participated": True},
    "plan-measure": lambda w, scope: {"plan": w.cases_made[scope]["plan"].pk, "kind": "support",
                                      "description": "Matrica: mera", "owner_institution": _lead(w, scope),
                                      "deadline": (_today() + timedelta(days=10)).isoformat()},
    # On behalf of CSR A to police A (the victim's consent names it); CSR A is not on the SAME case's team.
    "referral": lambda w, scope: {"case": w.case[scope].pk, "from_institution": w.base.csr_a.pk,
                                  "to_institution": w.case_police[scope].pk, "reason": "Matrica: uputstvo"},
    "note": lambda w, scope: {"case": w.case[scope].pk, "text": "Matrica: nova beleška"},
    "attachment": lambda w, scope: {"case": w.case[scope].pk},
}
CREATE_EXPECT = {
    "referral": e(default=400, **{CW: {OWN: 201}, SU: {OWN: 201}, CO: {OWN: 201}}),
    # The matrix sends JSON; an upload is multipart only (tests/cases/api covers uploads and their scope).
    "attachment": e(default=415),
}


def _const(body):
    return lambda w, scope: body


def _api_entries() -> list[Entry]:
    entries = [
        Entry("case-list", API, e(default=200), note="my cases (empty for roles without cases)"),
        Entry("case-list", API, e(default=200), query="?scope=all"),
        Entry("case-list", API, e(default=200), query="?scope=shared"),
        Entry("case-list", API, e(default=200), query="?q=Matrica", note="search by a name all three cases share"),
        Entry("case-list", API, method="POST", data=new_case, scopes=(OWN, SAME, OTHER),
              expect=e(default=403, **{CW: {OWN: 201, SAME: 201, OTHER: 400}, CO: {OWN: 201, SAME: 201, OTHER: 400},
                                       SU: {OTHER: 400}, OF: {OTHER: 400}, IA: {OTHER: 400}}),
              note="caseworkers and coordinators open cases in their municipality; another municipality's "
                   "institution is an invalid id; other roles may not open cases (403)"),
        Entry("case-detail", API, team(200), kwargs=row_pk("case")),
        Entry("case-detail", API, team(428), method="PATCH", kwargs=row_pk("case"),
              data=_const({"summary": "Matrica: izmena"}), note="without If-Match: 428 for the team"),
        Entry("case-status", API, team(428), method="POST", kwargs=row_pk("case"),
              data=_const({"to_status": "assessment"})),
        Entry("case-team", API, team(200), kwargs=row_pk("case")),
        Entry("case-team", API, team(201), method="POST", kwargs=row_pk("case"),
              data=lambda w, scope: {"institution": {OWN: w.base.police_a, SAME: w.base.csr_a,
                                                     OTHER: w.base.csr_b}[scope].pk}),
        Entry("case-team-remove", API, team(200), method="POST",
              kwargs=lambda w, scope: {"pk": w.case[scope].pk,
                                       "participant_id": w.cases_made[scope]["participant"].pk}),
        Entry("case-assign", API, team(201), method="POST", kwargs=row_pk("case"),
              data=lambda w, scope: {"assignee": w.staff[scope].pk, "team_role": "member"}),
        Entry("case-propose-conference", API, team(200), method="POST", kwargs=row_pk("case")),
        Entry("case-timeline", API, team(200), kwargs=row_pk("case")),
        Entry("work-queue-list", API, e(default=200)),
    ]
    for basename, kind in KINDS.items():
        entries += [
            Entry(f"{basename}-list", API, e(default=200)),
            Entry(f"{basename}-list", API, CREATE_EXPECT.get(basename, CREATE), method="POST",
                  data=BODIES[basename], scopes=(OWN, SAME, OTHER)),
            Entry(f"{basename}-detail", API, team(200), kwargs=row_pk(kind)),
        ]
    moment = "2026-01-01T10:00:00+01:00"
    for name, method, kind, body, expect, note in [
        ("case-person-detail", "PATCH", "person", {"first_name": "Matrica2"}, team(428), ""),
        ("plan-detail", "PATCH", "plan", {"monitoring": "Matrica"}, team(428), ""),
        ("plan-measure-detail", "PATCH", "plan_measure", {"description": "Matrica"}, team(428), ""),
        ("note-detail", "PATCH", "note", {"text": "Matrica: ispravka"},
         e(default=404, **{CW: {OWN: 200}, SU: {OWN: 403}, CO: {OWN: 403, SAME: 403}}),
         "only the author corrects a note (403 for the rest of the team)"),
        ("consent-withdraw", "POST", "consent", {}, team(200), ""),
        ("emergency-measure-propose-extension", "POST", "emergency", {"extension_proposed_at": moment}, team(428), ""),
        ("emergency-measure-court-decision", "POST", "emergency",
         {"court_decision": "extended", "court_decided_at": moment}, team(428), ""),
        ("emergency-measure-appeal", "POST", "emergency", {"appeal_filed_at": moment}, team(428), ""),
        ("protective-measure-renew", "POST", "protective", "renew", team(201), ""),
        ("plan-measure-status", "POST", "plan_measure", {"status": "in_progress"}, team(428), ""),
        ("referral-accept", "POST", "referral", {}, e(default=404), "only the receiving institution (an NGO) answers"),
        ("referral-decline", "POST", "referral", {"decline_reason": "Matrica"}, e(default=404),
         "only the receiving institution (an NGO) answers"),
        ("referral-complete", "POST", "referral", {}, team(400), "a referral not yet accepted cannot be completed"),
        ("referral-withdraw", "POST", "referral", {}, team(200), ""),
        ("attachment-download", "GET", "attachment", None, team(200), ""),
    ]:
        if body == "renew":
            data = lambda w, scope: {"decision_date": _today().isoformat(),  # noqa: E731
                                     "valid_until": (_today() + timedelta(days=300)).isoformat()}
        else:
            data = _const(body) if body is not None else None
        entries.append(Entry(name, API, expect, method=method, kwargs=row_pk(kind), data=data, note=note))
    return entries


CASE_ENTRIES: list[Entry] = _api_entries()
ENTRIES = CASE_ENTRIES
build = build_case_world
