"""Isolation matrix entries of the minutes, action items, supervision feedback and targets (pages and API).

Scopes: OWN is a meeting of municipality A that started an hour ago, to which CSR A (the institution
of every role user) is invited and which the supervisor of CSR A supervises; SAME a meeting of
municipality A to which only police A is invited; OTHER a meeting of municipality B. Each has draft
minutes, one agenda item (a case led by the scope's institution), an action item owned by that
institution and the supervisor's feedback. No chair is set, so the coordinator approves.

Following apps/conferences/querysets.py: everyone at CSR A sees the OWN meeting, but its records
(minutes, PDF, feedback) and action items only those holding a case role there: the official and
the institution admin of CSR A get 404 (they see the meeting page, tests/security/
matrix_conferences_meetings.py); the coordinator of A runs OWN and SAME; case parts and the
case-side API need the case (or running/supervising the meeting); nobody in A reaches anything of B
(404). Targets are aggregates for coordinators,
officials and platform admins.
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .matrix import API, CO, CW, OF, OTHER, OWN, PA, PAGE, REDIRECT, SAME, SU, Entry, e

VIEWERS = {CW: {OWN: 200}, CO: {OWN: 200, SAME: 200}, SU: {OWN: 200}}


def viewers(ok=200, runner=None) -> dict:
    """``ok`` for those who read the meeting's records (the case staff of CSR A on OWN; the coordinator
    also on SAME); the official and institution admin of CSR A, who hold no case role, get 404."""
    runner = ok if runner is None else runner
    table = {role: {scope: ok for scope in scopes} for role, scopes in VIEWERS.items()}
    table[CO] = {OWN: runner, SAME: runner}
    return e(default=404, **table)


def runs(ok) -> dict:
    """``ok`` for the coordinator of municipality A (OWN and SAME), 404 for everyone else."""
    return e(default=404, **{CO: {OWN: ok, SAME: ok}})


def meeting_pk(w, scope):
    return {"pk": w.minutes["meeting"][scope].pk}


def item_kwargs(w, scope):
    return {"pk": w.minutes["meeting"][scope].pk, "item_pk": w.minutes["item"][scope].pk}


def row_pk(key):
    def build(w, scope):
        return {"pk": w.minutes[key][scope].pk}

    return build


def new_action(w, scope):
    return {"agenda_item": w.minutes["item"][scope].pk, "description": "Matrica radnja",
            "owner_institution": w.institution[scope].pk,
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat()}


CASE_READERS = e(default=404, **{CW: {OWN: 200}, CO: {OWN: 200, SAME: 200}, SU: {OWN: 200}})
TARGETS = e(default=404, **{CO: 200, OF: 200, PA: 200})

ENTRIES = [
    # --- pages ----------------------------------------------------------------------------------
    Entry("conferences:minutes", PAGE, viewers(), kwargs=meeting_pk),
    Entry("conferences:minutes", PAGE, viewers(403, runner=REDIRECT), method="POST", kwargs=meeting_pk,
          note="those who see the meeting read the minutes; only who runs it records them"),
    Entry("conferences:minutes_autosave", PAGE, viewers(403, runner=200), method="POST", kwargs=meeting_pk,
          note="the same rule as saving with the button: viewers who do not run the meeting get 403"),
    Entry("conferences:minutes_pdf", PAGE, viewers(), kwargs=meeting_pk),
    Entry("conferences:minutes_approve", PAGE, viewers(REDIRECT), method="POST", kwargs=meeting_pk,
          note="no chair is set: the coordinator approves; other viewers are sent back with an error"),
    Entry("conferences:minutes_amend", PAGE, runs(200), kwargs=meeting_pk),
    Entry("conferences:minutes_amend", PAGE, runs(200), method="POST", kwargs=meeting_pk,
          note="an empty amendment is refused with errors on text and reason"),
    Entry("conferences:minutes_item", PAGE, runs(200), kwargs=item_kwargs),
    Entry("conferences:minutes_item", PAGE, runs(REDIRECT), method="POST", kwargs=item_kwargs),
    Entry("conferences:minutes_item_autosave", PAGE, runs(200), method="POST", kwargs=item_kwargs,
          note="like the case part's page: only who runs the meeting"),
    Entry("conferences:action_add", PAGE, runs(REDIRECT), kwargs=item_kwargs),
    Entry("conferences:action_add", PAGE, runs(200), method="POST", kwargs=item_kwargs,
          note="an empty action item is refused with errors naming owner, description and due date"),
    Entry("conferences:meeting_mark_held", PAGE, runs(REDIRECT), method="POST", kwargs=meeting_pk),
    Entry("conferences:agenda_prepare", PAGE, runs(REDIRECT), method="POST", kwargs=meeting_pk),
    Entry("conferences:feedback", PAGE, e(default=404, **{SU: {OWN: 200}}), kwargs=meeting_pk,
          note="only the meeting's supervisor"),
    Entry("conferences:feedback", PAGE, e(default=404, **{SU: {OWN: 200}}), method="POST", kwargs=meeting_pk,
          note="empty ratings are refused with errors"),
    Entry("conferences:actions", PAGE, e(default=200)),
    Entry("conferences:action_detail", PAGE, viewers(), kwargs=row_pk("action")),
    Entry("conferences:action_complete", PAGE, e(default=404, **{CW: {OWN: 200}, CO: {OWN: 200, SAME: 200},
                                                                  SU: {OWN: 200}}),
          kwargs=row_pk("action"), note="the owner institution's case staff and who runs the meeting; the "
          "owner's official and institution admin do not see the item (404)"),
    Entry("conferences:action_complete", PAGE, e(default=404, **{CW: {OWN: 200}, CO: {OWN: 200, SAME: 200},
                                                                  SU: {OWN: 200}}),
          method="POST", kwargs=row_pk("action"), note="an empty note is refused with an error"),
    Entry("conferences:targets", PAGE, TARGETS, note="aggregates only"),
    # --- API ------------------------------------------------------------------------------------
    Entry("minutes-list", API, e(default=200)),
    Entry("minutes-detail", API, viewers(), kwargs=meeting_pk),
    Entry("minutes-detail", API, runs(200), method="PATCH", kwargs=meeting_pk, data=lambda w, scope: {}),
    Entry("minutes-approve", API, viewers(403, runner=200), method="POST", kwargs=meeting_pk),
    Entry("minutes-amendments", API, runs(400), method="POST", kwargs=meeting_pk,
          note="draft minutes and no text or reason: refused, nothing saved"),
    Entry("minutes-mark-held", API, runs(200), method="POST", kwargs=meeting_pk),
    Entry("minutes-prepare-agenda", API, runs(200), method="POST", kwargs=meeting_pk),
    Entry("minutes-item-list", API, e(default=200)),
    Entry("minutes-item-detail", API, CASE_READERS, kwargs=row_pk("item"),
          note="a case part needs the case, or running or supervising the meeting"),
    Entry("minutes-item-detail", API, runs(200), method="PATCH", kwargs=row_pk("item"), data=lambda w, scope: {}),
    Entry("action-item-list", API, e(default=200)),
    Entry("action-item-list", API, e(default=400, **{CO: {OWN: 201, SAME: 201}}), method="POST", data=new_action,
          scopes=(OWN, SAME, OTHER), note="an agenda item of a meeting one does not run 'does not exist' (400)"),
    Entry("action-item-detail", API, viewers(), kwargs=row_pk("action")),
    Entry("action-item-complete", API, viewers(400), method="POST", kwargs=row_pk("action"),
          note="visible: the empty note is refused (400); invisible: 404"),
    Entry("supervision-feedback-list", API, e(default=200)),
    Entry("supervision-feedback-list", API, e(default=400), method="POST",
          note="no meeting and no ratings: refused for everyone, nothing saved"),
    Entry("supervision-feedback-detail", API, viewers(), kwargs=row_pk("feedback")),
    Entry("conference-targets", API, TARGETS),
]


def build(w) -> None:
    """Per scope: a meeting that started an hour ago with draft minutes, a case part, an action item
    and supervision feedback."""
    from apps.conferences.models import ActionItem, Minutes, SupervisionFeedback
    from apps.core.choices import Role
    from tests.cases.factories_measures import make_case
    from tests.conferences.factories import AgendaItemFactory, InviteeFactory, MeetingFactory
    from tests.factories import member

    base = w.base
    creators = {OWN: base.users[Role.COORDINATOR], SAME: base.users[Role.COORDINATOR],
                OTHER: base.users["other_municipality"][Role.COORDINATOR]}
    supervisors = {OWN: base.users[Role.SUPERVISOR], SAME: member(Role.SUPERVISOR, base.police_a),
                   OTHER: base.users["other_municipality"][Role.SUPERVISOR]}
    w.minutes = {key: {} for key in ("meeting", "item", "action", "feedback")}
    start = timezone.now() - timedelta(hours=1)
    for scope in (OWN, SAME, OTHER):
        municipality = w.municipality[scope]
        meeting = MeetingFactory(municipality=municipality, created_by=creators[scope], starts_at=start,
                                 ends_at=start + timedelta(hours=2), place=f"Matrica zapisnik {scope}",
                                 supervisor=supervisors[scope])
        InviteeFactory(meeting=meeting, user=None, institution=w.institution[scope])
        case = make_case(institution=w.institution[scope], opened_by=w.staff[scope])
        item = AgendaItemFactory(meeting=meeting, case=case, position=1, discussion="Matrica rasprava")
        Minutes.objects.create(municipality=municipality, meeting=meeting, recorded_by=creators[scope])
        w.minutes["meeting"][scope] = meeting
        w.minutes["item"][scope] = item
        w.minutes["action"][scope] = ActionItem.objects.create(
            municipality=case.municipality, meeting=meeting, agenda_item=item, case=case,
            description=f"Matrica radnja {scope}", owner_institution=w.institution[scope],
            due_on=timezone.localdate() + timedelta(days=7), created_by=creators[scope],
        )
        w.minutes["feedback"][scope] = SupervisionFeedback.objects.create(
            municipality=municipality, meeting=meeting, supervisor=supervisors[scope], preparation=4, risk_focus=4,
            participation=3, victim_voice=3, decisions=5, notes=f"Matrica supervizija {scope}",
        )
    w.leak_texts += ["Matrica zapisnik other_municipality", "Matrica radnja other_municipality",
                     "Matrica supervizija other_municipality"]
    other = {"minutes-list": "meeting", "minutes-item-list": "item", "action-item-list": "action",
             "supervision-feedback-list": "feedback"}
    for name, key in other.items():
        w.leak_ids[name] = set(w.leak_ids.get(name, ())) | {w.minutes[key][OTHER].pk}
