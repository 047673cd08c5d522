"""Isolation matrix entries of the meeting pages, calendar, feeds, coordination areas and the meetings API.

Scopes: OWN is a meeting of municipality A to which CSR A (the institution of every role user) is
invited, SAME a meeting of municipality A to which only police A is invited, OTHER a meeting of
municipality B. Each carries one agenda item (a case of its municipality) and its institution's
invitation. Following apps/conferences/querysets.py: everyone at CSR A sees the OWN meeting (their
institution is invited); the coordinator runs every meeting of municipality A; nobody in A sees B's.
Platform admins hold no membership and see no meeting, but manage coordination areas.
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .matrix import API, CO, CW, IA, OF, OTHER, OWN, PA, PAGE, REDIRECT, SAME, SU, Entry, e

VIEWERS = e(default=404, **{CW: {OWN: 200}, CO: {OWN: 200, SAME: 200}, SU: {OWN: 200}, OF: {OWN: 200},
                            IA: {OWN: 200}})


def runs(ok) -> dict:
    """``ok`` for the coordinator of municipality A (OWN and SAME), 404 for everyone else."""
    return e(default=404, **{CO: {OWN: ok, SAME: ok}})


def meeting_pk(w, scope):
    return {"pk": w.conf["meeting"][scope].pk}


def with_row(key, name):
    def build(w, scope):
        return {"pk": w.conf["meeting"][scope].pk, name: w.conf[key][scope].pk}

    return build


def new_meeting_form(w, scope):
    day = timezone.localdate() + timedelta(days=10)
    return {"kind": "case_conference", "municipality": w.municipality[scope].pk, "date": day.isoformat(),
            "start_time": "10:00", "end_time": "11:00", "place": "Matrica sala", "institutions": [w.institution[scope].pk]}


def new_meeting_api(w, scope):
    start = timezone.now() + timedelta(days=10)
    return {"kind": "case_conference", "municipality": w.municipality[scope].pk, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "place": "Matrica sala",
            "institutions": [w.institution[scope].pk]}


def answer(w, scope):
    return {"invitee": w.conf["invitee"][scope].pk, "response": "accepted"}


def add_case(w, scope):
    return {"number": w.case_obj["case"][scope].number, "section": "other", "planned_minutes": 15}


FEED_SCOPES = ("valid_token", "revoked_token", "unknown_token")

ENTRIES = [
    Entry("conferences:meeting_list", PAGE, e(default=200)),
    Entry("conferences:meeting_create", PAGE, e(default=404, **{CO: 200}), note="only who runs meetings"),
    Entry("conferences:meeting_create", PAGE, method="POST", data=new_meeting_form, scopes=(OWN, SAME, OTHER),
          expect=e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT, OTHER: 200}}),
          note="another municipality is not a valid choice: the form answers 200 with an error, nothing saved"),
    Entry("conferences:meeting_detail", PAGE, VIEWERS, kwargs=meeting_pk),
    Entry("conferences:meeting_ics", PAGE, VIEWERS, kwargs=meeting_pk),
    Entry("conferences:meeting_edit", PAGE, runs(200), kwargs=meeting_pk),
    Entry("conferences:meeting_edit", PAGE, runs(200), method="POST", kwargs=meeting_pk,
          note="an empty form is refused with errors"),
    Entry("conferences:meeting_cancel", PAGE, runs(200), kwargs=meeting_pk),
    Entry("conferences:meeting_cancel", PAGE, runs(REDIRECT), method="POST", kwargs=meeting_pk),
    Entry("conferences:invitee_add", PAGE, runs(200), kwargs=meeting_pk),
    Entry("conferences:invitee_add", PAGE, runs(200), method="POST", kwargs=meeting_pk,
          note="an empty form is refused with errors"),
    Entry("conferences:invitee_remove", PAGE, runs(REDIRECT), method="POST", kwargs=with_row("invitee", "invitee_pk")),
    Entry("conferences:meeting_respond", PAGE, method="POST", kwargs=meeting_pk, data=answer,
          expect=e(default=404, **{CW: {OWN: REDIRECT}, CO: {OWN: REDIRECT}, SU: {OWN: REDIRECT}}),
          note="staff of the invited institution answer for it; officials and admins see but do not answer"),
    Entry("conferences:agenda_add", PAGE, runs(REDIRECT), method="POST", kwargs=meeting_pk, data=add_case),
    Entry("conferences:agenda_move", PAGE, runs(REDIRECT), method="POST", kwargs=with_row("item", "item_pk"),
          data=lambda w, scope: {"direction": "down"}),
    Entry("conferences:agenda_remove", PAGE, runs(REDIRECT), method="POST", kwargs=with_row("item", "item_pk")),
    Entry("conferences:calendar_month", PAGE, e(default=200)),
    Entry("conferences:calendar_week", PAGE, e(default=200)),
    Entry("conferences:calendar_feeds", PAGE, e(default=200)),
    Entry("conferences:calendar_feeds", PAGE, e(default=200), method="POST", data=lambda w, scope: {"name": "Matrica"},
          note="a new feed of one's own, shown once"),
    Entry("conferences:calendar_feed_revoke", PAGE, e(default=404), method="POST",
          kwargs=lambda w, scope: {"pk": w.conf["feed"][scope].pk}, scopes=(OWN, OTHER),
          note="another person's feed is 404 for everyone"),
    Entry("conferences:calendar_feed", PAGE,
          e(default=200, anonymous=200, **{"@revoked_token": 404, "@unknown_token": 404,
                                           "anonymous@revoked_token": 404, "anonymous@unknown_token": 404}),
          kwargs=lambda w, scope: {"token": w.conf["token"][scope]}, scopes=FEED_SCOPES,
          note="the token is the secret (a staff member of CSR A's feed); revoked or unknown is 404"),
    Entry("conferences:area_list", PAGE, e(default=404, **{PA: 200})),
    Entry("conferences:area_create", PAGE, e(default=404, **{PA: 200})),
    Entry("conferences:area_create", PAGE, e(default=404, **{PA: 200}), method="POST",
          note="an empty form is refused with errors"),
    Entry("conferences:area_edit", PAGE, e(default=404, **{PA: 200}), kwargs=lambda w, scope: {"pk": w.conf["area"][scope].pk},
          scopes=(OWN, OTHER)),
    Entry("conferences:area_edit", PAGE, e(default=404, **{PA: 200}), method="POST",
          kwargs=lambda w, scope: {"pk": w.conf["area"][scope].pk}, scopes=(OWN, OTHER)),
    # --- API ----------------------------------------------------------------------------------
    Entry("meeting-list", API, e(default=200)),
    Entry("meeting-list", API, method="POST", data=new_meeting_api, scopes=(OWN, SAME, OTHER),
          expect=e(default=403, **{CO: {OWN: 201, SAME: 201, OTHER: 400}}),
          note="another municipality is not a valid choice (400), nothing is created"),
    Entry("meeting-detail", API, VIEWERS, kwargs=meeting_pk),
    Entry("meeting-detail", API, runs(428), method="PATCH", kwargs=meeting_pk, data=lambda w, scope: {"place": "X"},
          note="without If-Match"),
    Entry("meeting-cancel", API, runs(200), method="POST", kwargs=meeting_pk),
    Entry("meeting-respond", API, method="POST", kwargs=meeting_pk, data=lambda w, scope: {"response": "accepted"},
          expect=e(default=404, **{CW: {OWN: 200}, CO: {OWN: 200}, SU: {OWN: 200}})),
    Entry("meeting-agenda-add", API, runs(201), method="POST", kwargs=meeting_pk, data=add_case),
]


def build(w) -> None:
    """A meeting of each scope with an invited institution and one agenda item; feeds; areas."""
    from apps.conferences.models import CalendarFeed
    from apps.conferences.services.invitations import feed_create
    from apps.core.choices import Role
    from tests.cases.factories_measures import make_case
    from tests.conferences.factories import AgendaItemFactory, AreaFactory, InviteeFactory, MeetingFactory

    base = w.base
    creators = {OWN: base.users[Role.COORDINATOR], SAME: base.users[Role.COORDINATOR],
                OTHER: base.users["other_municipality"][Role.COORDINATOR]}
    w.conf = {key: {} for key in ("meeting", "invitee", "item", "feed", "token", "area")}
    for index, scope in enumerate((OWN, SAME, OTHER)):
        municipality = w.municipality[scope]
        meeting = MeetingFactory(municipality=municipality, created_by=creators[scope],
                                 place=f"Matrica sala {scope}", starts_at=timezone.now() + timedelta(days=3 + index),
                                 ends_at=timezone.now() + timedelta(days=3 + index, hours=1))
        w.conf["meeting"][scope] = meeting
        w.conf["invitee"][scope] = InviteeFactory(meeting=meeting, user=None, institution=w.institution[scope])
        case = make_case(institution=w.institution[scope], opened_by=w.staff[scope])
        AgendaItemFactory(meeting=meeting, case=case, position=1)
        w.conf["item"][scope] = AgendaItemFactory(meeting=meeting, case=make_case(
            institution=w.institution[scope], opened_by=w.staff[scope]), position=2)
    w.conf["area"][OWN] = AreaFactory(municipality=base.mun_a, name="Matrica područje A")
    w.conf["area"][OTHER] = AreaFactory(municipality=base.mun_b, name="Matrica područje B")
    feed, token = feed_create(user=w.staff[OWN], name="Matrica")
    w.conf["feed"][OWN] = feed
    w.conf["token"]["valid_token"] = token
    revoked, revoked_token = feed_create(user=w.staff[OWN], name="Matrica opozvan")
    CalendarFeed.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    w.conf["token"]["revoked_token"] = revoked_token
    w.conf["token"]["unknown_token"] = "nepostojeci-token-matrica-0000000000"
    w.conf["feed"][OTHER], _token = feed_create(user=w.staff[OTHER], name="Matrica B")
    w.leak_texts += ["Matrica sala other_municipality", "Matrica područje B"]
    w.leak_ids["meeting-list"] = set(w.leak_ids.get("meeting-list", ())) | {w.conf["meeting"][OTHER].pk}
