"""Isolation matrix entries of the cases app: the pages, and general answers for the API routes.

Scopes: OWN is a case led by CSR A (the institution of every role user), SAME a case of the same
municipality led by police A only, OTHER a case of municipality B. Each case carries one row of
every kind (person, incident, risk, consent, measures, plan, referral, note, attachment, reminder).

The designed answers follow apps/cases/querysets.py: caseworkers and supervisors reach the cases
their institution works on, coordinators every (unrestricted) case of their municipality;
officials, institution admins and platform admins never reach a case (404). Writes are checked
with an empty or minimal body: someone who may work on the case gets a refusal of the *data*
(400, a form with errors, 428 without If-Match...) or success, never 404; everyone else gets 404.
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .matrix import API, CO, CW, OTHER, OWN, PAGE, REDIRECT, SAME, SU, Entry, e

# Answers that mean "you may work on this case" (the data may still be refused).
WORK = (200, 201, 204, 400, 403, 409, 412, 428, REDIRECT)


def team(ok) -> dict:
    """``ok`` for the case team (caseworker and supervisor of CSR A on OWN, coordinator on OWN and SAME)."""
    return e(default=404, **{CW: {OWN: ok}, SU: {OWN: ok}, CO: {OWN: ok, SAME: ok}})


def case_kwargs(*extra: tuple[str, str]):
    """URL kwargs: the case of the scope as ``pk`` plus rows of that case (kwarg name, object key)."""

    def build(w, scope):
        kwargs = {"pk": w.case_obj["case"][scope].pk}
        for name, key in extra:
            kwargs[name] = w.case_obj[key][scope].pk
        return kwargs

    return build


def row_pk(key: str, name: str = "pk"):
    def build(w, scope):
        return {name: w.case_obj[key][scope].pk}

    return build


def _pages() -> list[Entry]:
    entries = [
        Entry("cases:list", PAGE, e(default=200)),
        Entry("cases:create", PAGE, e(default=404, **{CW: 200, CO: 200}), note="only roles that open cases"),
        Entry("cases:export", PAGE, e(default=200)),
        Entry("cases:work_queue", PAGE, e(default=200)),
        Entry("cases:detail", PAGE, team(200), kwargs=case_kwargs()),
        Entry("cases:timeline", PAGE, team(200), kwargs=case_kwargs()),
        Entry("cases:attachment_download", PAGE, team(200), kwargs=case_kwargs(("attachment_pk", "attachment"))),
        Entry("cases:reminder_read", PAGE, team(WORK), method="POST", kwargs=row_pk("reminder", "reminder_pk"),
              note="reminders belong to the institution they were sent to (403 for the rest of the team)"),
    ]
    # Form pages: GET shows the form to the team; an empty POST is refused as data, never saved.
    forms = {
        "edit": (), "status": (), "team_add": (), "assign": (),
        "emergency_add": (), "breach_add": (),
        "protective_add": (), "protective_renew": (("measure_pk", "protective"),), "plan_create": (),
        "plan_edit": (("plan_pk", "plan"),), "plan_measure_add": (("plan_pk", "plan"),), "referral_send": (),
        "person_add": (), "person_edit": (("person_pk", "person"),), "incident_add": (), "risk_add": (),
        "consent_add": (), "consent_withdraw": (("consent_pk", "consent"),), "note_add": (),
        "note_edit": (("note_pk", "note"),), "attachment_add": (),
    }
    for name, extra in forms.items():
        entries.append(Entry(f"cases:{name}", PAGE, team(200), kwargs=case_kwargs(*extra)))
        entries.append(Entry(f"cases:{name}", PAGE, team(WORK), method="POST", kwargs=case_kwargs(*extra)))
    entries.append(Entry("cases:emergency_update", PAGE, team(200), kwargs=case_kwargs(("measure_pk", "emergency"))))
    entries.append(Entry("cases:emergency_update", PAGE, team(WORK), method="POST",
                         kwargs=case_kwargs(("measure_pk", "emergency")), data=lambda w, scope: {"step": "proposal"},
                         note="an unknown step is 404; a known one with no data is a form with errors"))
    # POST-only actions.
    actions = {
        "team_remove": (("participant_pk", "participant"),),
        "unassign": (("assignment_pk", "assignment"),),
        "propose_conference": (),
        "plan_measure_update": (("measure_pk", "plan_measure"),),
        "referral_complete": (("referral_pk", "referral"),),
        "risk_preview": (),
        "person_check": (),
    }
    for name, extra in actions.items():
        entries.append(Entry(f"cases:{name}", PAGE, team(WORK), method="POST", kwargs=case_kwargs(*extra)))
    # Drafts of the case forms: kept and discarded by POST, for a form of the case or one of its rows.
    for key in ("note_add", "note_edit"):
        def draft_kwargs(w, scope, key=key):
            suffix = f"-{w.case_obj['note'][scope].pk}" if key == "note_edit" else ""
            return {"pk": w.case_obj["case"][scope].pk, "key": key + suffix}

        for name in ("draft_save", "draft_discard"):
            entries.append(Entry(f"cases:{name}", PAGE, team(WORK), method="POST", kwargs=draft_kwargs))
    # The matrix referrals are addressed to the lead institution itself: its staff are the receiving side.
    entries.append(Entry("cases:referral_answer", PAGE, team(WORK),
                         kwargs=case_kwargs(("referral_pk", "referral")),
                         note="answering is for the receiving institution (403 for the rest of the team)"))
    entries.append(Entry("cases:referral_answer", PAGE, team(WORK), method="POST",
                         kwargs=case_kwargs(("referral_pk", "referral"))))
    return entries


# API basename -> object key in w.case_obj
API_ROWS = {
    "case": "case", "case-person": "person", "incident": "incident", "risk-assessment": "risk",
    "consent": "consent", "emergency-measure": "emergency", "breach": "breach",
    "protective-measure": "protective", "plan": "plan", "plan-measure": "plan_measure",
    "referral": "referral", "note": "note", "attachment": "attachment",
}
API_UPDATABLE = ("case", "case-person", "plan", "plan-measure", "note")
API_POST_ACTIONS = {
    "case": ("status", "assign", "propose-conference", "team"),
    "consent": ("withdraw",),
    "emergency-measure": ("propose-extension", "court-decision", "appeal"),
    "protective-measure": ("renew",),
    "plan-measure": ("status",),
    "referral": ("accept", "decline", "complete", "withdraw"),
}
API_GET_ACTIONS = {"case": ("team", "timeline"), "attachment": ("download",)}


def _api() -> list[Entry]:
    entries = [Entry("work-queue-list", API, e(default=200))]
    for basename, key in API_ROWS.items():
        entries.append(Entry(f"{basename}-list", API, e(default=200)))
        entries.append(Entry(f"{basename}-detail", API, team(200), kwargs=row_pk(key)))
        if basename in API_UPDATABLE:
            entries.append(Entry(f"{basename}-detail", API, team(WORK), method="PATCH", kwargs=row_pk(key),
                                 data=lambda w, scope: {}))
        for action in API_GET_ACTIONS.get(basename, ()):
            entries.append(Entry(f"{basename}-{action}", API, team(200), kwargs=row_pk(key)))
        for action in API_POST_ACTIONS.get(basename, ()):
            entries.append(Entry(f"{basename}-{action}", API, team(WORK), method="POST", kwargs=row_pk(key)))
    entries.append(Entry("case-team-remove", API, team(WORK), method="POST",
                         kwargs=lambda w, scope: {"pk": w.case_obj["case"][scope].pk,
                                                  "participant_id": w.case_obj["participant"][scope].pk}))
    return entries


ENTRIES = _pages()
# General answers for the case API; matrix_cases_api.py (real bodies) takes over every name it covers.
FALLBACK_ENTRIES = _api()


def build(w) -> None:
    """A case of each scope with one row of every kind."""
    from apps.cases.choices import ViolenceForm
    from apps.cases.models import CaseAssignment, CaseParticipant, MeasureBreach, Referral, Reminder
    from tests.cases.factories_measures import (
        assessment,
        consent,
        emergency,
        make_case,
        plan,
        plan_measure,
        protective,
        victim,
    )
    from tests.cases.factories_records import attachment_row, incident, note

    now = timezone.now()
    today = timezone.localdate()
    w.case_obj = {key: {} for key in (
        "case", "participant", "assignment", "person", "incident", "risk", "consent", "emergency", "breach",
        "protective", "plan", "plan_measure", "referral", "note", "attachment", "reminder",
    )}
    for scope in (OWN, SAME, OTHER):
        institution, opener = w.institution[scope], w.staff[scope]
        case = make_case(institution=institution, opened_by=opener)
        objects = w.case_obj
        objects["case"][scope] = case
        objects["participant"][scope] = CaseParticipant.objects.filter(case=case).first()
        objects["assignment"][scope] = CaseAssignment.objects.filter(case=case).first()
        person = victim(case, first_name="Matrica", last_name=f"Žrtva{scope.replace('_', '')}")
        objects["person"][scope] = person
        objects["incident"][scope] = incident(case, forms=[ViolenceForm.PHYSICAL], recorded_by=opener)
        objects["risk"][scope] = assessment(case, assessor=opener, institution=institution, immediate_danger=False)
        objects["consent"][scope] = consent(case, person, [institution], recorded_by=opener)
        measure = emergency(case, ordered_by=w.institution[SAME] if scope != OTHER else institution, recorded_by=opener, delivered_at=now - timedelta(hours=2))
        objects["emergency"][scope] = measure
        objects["breach"][scope] = MeasureBreach.objects.create(
            municipality=case.municipality, case=case, emergency_measure=measure,
            occurred_at=now - timedelta(hours=1), recorded_by=opener,
        )
        objects["protective"][scope] = protective(
            case, recorded_by=opener, valid_from=today - timedelta(days=10), valid_until=today + timedelta(days=300)
        )
        plan_row = plan(case, created_by=opener)
        objects["plan"][scope] = plan_row
        objects["plan_measure"][scope] = plan_measure(plan_row, owner=institution, deadline=today + timedelta(days=5))
        objects["referral"][scope] = Referral.objects.create(
            municipality=case.municipality, case=case, from_institution=institution, to_institution=institution,
            to_municipality_id=case.municipality_id, reason="Testni razlog upućivanja", sent_by=opener,
        )
        objects["note"][scope] = note(case, author=opener, institution=institution)
        objects["attachment"][scope] = attachment_row(case, uploaded_by=opener, institution=institution)
        objects["reminder"][scope] = Reminder.objects.create(
            municipality=case.municipality, case=case, institution=institution, kind="emergency_expiry",
            object_type="cases.emergencymeasure", object_id=measure.pk, due_at=measure.expires_at, stage="before",
        )
    other = w.case_obj["case"][OTHER]
    w.leak_texts += [other.number, w.case_obj["person"][OTHER].last_name]
    for basename, key in API_ROWS.items():
        name = f"{basename}-list"
        w.leak_ids[name] = set(w.leak_ids.get(name, ())) | {w.case_obj[key][OTHER].pk}
