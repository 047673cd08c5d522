"""Demo conferences (JOURNEYS.md: Marko in Kragujevac, the supervisor, Dragana's targets):

- two coordination areas: the Kragujevac prosecutor's office (one municipality) and a Belgrade
  office covering Zvezdara, Voždovac and Palilula, with their permanent member institutions;
- per municipality, the case conferences already held this year at its cadence (minutes approved),
  so the targets page has a history (Kragujevac: 11 held against 12 for the year);
- last week's conference with full minutes written through the services: attendance, per-case
  discussion and decisions, action items (one overdue for the centre for social work, one open for
  the police, one done), approval by the chair and the supervisor's feedback;
- the next conference on the next working day, scheduled through the service (invitations go out
  to the demo addresses) with its agenda prepared by the same builder the nightly job runs;
- one expert/supervision meeting held in the spring per municipality;
- each area's coordination group held every other Thursday this year and meeting next week; in the
  Belgrade area its shared agenda holds cases of the three municipalities.

Idempotent: a municipality that already has demo meetings is left alone.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from apps.cases.models import Case

from .choices import AgendaOrigin, AgendaSection, InviteeRole, MeetingKind, MeetingStatus, MinutesStatus
from .models import (
    AgendaItem,
    AreaMember,
    AreaMunicipality,
    CoordinationArea,
    Meeting,
    MeetingInvitee,
    Minutes,
)
from .services.actions import action_item_complete, action_item_create
from .services.agenda import agenda_prepare
from .services.meetings import meeting_schedule
from .services.minutes import agenda_item_record, minutes_approve, minutes_save
from .services.supervision import feedback_save

PLACE = "Sala za sastanke, Gradska uprava (demo)"
INVITED = ("police", "health", "prosecutor", "school", "ngo")

# (name, Cyrillic, seat slug, member slugs)
AREAS = [
    ("Osnovno javno tužilaštvo u Kragujevcu (demo)", "Основно јавно тужилаштво у Крагујевцу (демо)",
     "kragujevac", ("kragujevac",)),
    ("Osnovno javno tužilaštvo Beograd – Istok (demo)", "Основно јавно тужилаштво Београд – Исток (демо)",
     "zvezdara", ("zvezdara", "vozdovac", "palilula")),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_working_day(today: date, *, after: int = 1) -> date:
    day = today + timedelta(days=after)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _demo_cases(municipality) -> list[Case]:
    """The six demo cases of the case demo, in the order it opens them."""
    return list(Case.objects.filter(municipality=municipality, opened_by__is_demo=True).order_by("id"))


def _areas(context: dict) -> dict[str, CoordinationArea]:
    result = {}
    for name, name_cyrl, seat, members in AREAS:
        members = tuple(slug for slug in members if slug in context["municipalities"])
        if seat not in members:
            continue
        institutions = context["institutions"]
        area, _created = CoordinationArea.objects.get_or_create(
            municipality=context["municipalities"][seat], name=name,
            defaults={"name_cyrl": name_cyrl, "prosecutor_office": institutions[seat]["prosecutor"]},
        )
        for slug in members:
            AreaMunicipality.objects.get_or_create(area=area, municipality=context["municipalities"][slug])
            for key in ("csr", "police"):
                inst = institutions[slug][key]
                AreaMember.objects.get_or_create(area=area, institution=inst, defaults={"municipality": inst.municipality})
        prosecutor = institutions[seat]["prosecutor"]
        AreaMember.objects.get_or_create(area=area, institution=prosecutor, defaults={"municipality": prosecutor.municipality})
        for slug in members:
            result[slug] = area
    return result


def _held_history(municipality, coordinator, supervisor, institutions, today: date) -> None:
    """Conferences held earlier this year at the municipality's cadence, with approved minutes."""
    step = municipality.conference_cadence_months
    for month in range(1, today.month, step):
        day = date(today.year, month, 10)
        while day.weekday() != 3:  # Thursdays
            day += timedelta(days=1)
        starts = _at(day, 10)
        meeting = Meeting.objects.create(
            municipality=municipality, kind=MeetingKind.CASE_CONFERENCE, starts_at=starts,
            ends_at=starts + timedelta(hours=2), place=PLACE, chair=coordinator, supervisor=supervisor,
            status=MeetingStatus.HELD, created_by=coordinator, agenda_prepared_at=starts - timedelta(days=1),
            created_at=starts - timedelta(days=14),
        )
        MeetingInvitee.objects.bulk_create(
            [MeetingInvitee(municipality=municipality, meeting=meeting, user=coordinator, role=InviteeRole.MEMBER,
                            attended=True)]
            + [MeetingInvitee(municipality=municipality, meeting=meeting, institution=institutions[key],
                              role=InviteeRole.MEMBER, attended=True) for key in ("police", "prosecutor")]
        )
        Minutes.objects.create(
            municipality=municipality, meeting=meeting, recorded_by=coordinator, approved_by=coordinator,
            approved_at=starts + timedelta(days=1), status=MinutesStatus.APPROVED,
            general_notes="Demo: redovna konferencija slučaja, pregled tekućih slučajeva.",
        )


def _area_history(area, coordinator, today: date) -> None:
    """The coordination group's meetings held every other Thursday since the start of the year."""
    day = date(today.year, 1, 1)
    while day.weekday() != 3:
        day += timedelta(days=1)
    meetings = []
    while day < today:
        starts = _at(day, 9)
        meetings.append(Meeting(
            municipality=area.municipality, kind=MeetingKind.COORDINATION_GROUP, area=area, starts_at=starts,
            ends_at=starts + timedelta(hours=2), place="Osnovno javno tužilaštvo, sala 2 (demo)", chair=coordinator,
            status=MeetingStatus.HELD, created_by=coordinator, agenda_prepared_at=starts - timedelta(days=1),
            created_at=starts - timedelta(days=10),
        ))
        day += timedelta(days=14)
    Meeting.objects.bulk_create(meetings)


def _supervision_meeting(municipality, coordinator, supervisor, today: date) -> None:
    """One of the two expert/supervision meetings a year, held in the spring."""
    starts = _at(date(today.year, 4, 15), 12)
    if starts.date() >= today:
        return
    meeting = Meeting.objects.create(
        municipality=municipality, kind=MeetingKind.SUPERVISION, starts_at=starts, ends_at=starts + timedelta(hours=3),
        place=PLACE, chair=supervisor, supervisor=supervisor, status=MeetingStatus.HELD, created_by=coordinator,
        created_at=starts - timedelta(days=20),
    )
    Minutes.objects.create(
        municipality=municipality, meeting=meeting, recorded_by=coordinator, approved_by=supervisor,
        approved_at=starts + timedelta(days=2), status=MinutesStatus.APPROVED,
        general_notes="Demo: stručni sastanak o proceni rizika i glasu žrtve na konferenciji.",
    )


def _last_weeks_day(today: date) -> date:
    """The Tuesday of the week before this one: a working day 6 to 12 days ago, whatever today is, so
    that its action items (due five days later) are overdue and its minutes approved by now."""
    return today - timedelta(days=today.weekday() + 6)


def _last_week(municipality, coordinator, supervisor, caseworker, institutions, cases, today: date) -> None:
    """Last week's conference: minutes through the services, action items, approval, feedback."""
    day = _last_weeks_day(today)
    starts = _at(day, 10)
    meeting = Meeting.objects.create(
        municipality=municipality, kind=MeetingKind.CASE_CONFERENCE, starts_at=starts,
        ends_at=starts + timedelta(hours=2), place=PLACE, chair=coordinator, supervisor=supervisor,
        created_by=coordinator, agenda_prepared_at=starts - timedelta(days=1), created_at=starts - timedelta(days=10),
    )
    invitees = [
        MeetingInvitee(municipality=municipality, meeting=meeting, user=coordinator, role=InviteeRole.MEMBER),
        MeetingInvitee(municipality=municipality, meeting=meeting, user=supervisor, role=InviteeRole.SUPERVISOR),
    ] + [
        MeetingInvitee(municipality=municipality, meeting=meeting, institution=institutions[key], role=InviteeRole.MEMBER)
        for key in ("police", "prosecutor", "school")
    ]
    MeetingInvitee.objects.bulk_create(invitees)
    ongoing, repeat, monitoring = cases[1], cases[3], cases[4]
    items = [
        AgendaItem.objects.create(
            municipality=case.municipality, meeting=meeting, case=case, section=section, position=position,
            origin=AgendaOrigin.AUTOMATIC, reason=reason,
        )
        for position, (case, section, reason) in enumerate([
            (repeat, AgendaSection.REPEAT, "Ponovljeno nasilje u roku od 12 meseci (demo)"),
            (ongoing, AgendaSection.MEASURES, "Produžena hitna mera ističe (demo)"),
            (monitoring, AgendaSection.REVIEW, "Redovan pregled (demo)"),
        ])
    ]
    minutes_save(
        user=coordinator, meeting=meeting,
        attendance={invitee.pk: invitee.institution_id != institutions["school"].pk for invitee in invitees},
        attendance_note="Demo: predstavnica udruženja kao gost.",
        general_notes="Demo: konferencija slučaja, tri slučaja na dnevnom redu.",
    )
    texts = {
        repeat.pk: ("Demo: žrtva ponovo prijavila pretnje; policija potvrđuje novi događaj.",
                    "Uključiti školu i dom zdravlja; ponovna procena rizika."),
        ongoing.pk: ("Demo: mera produžena, učinilac poštuje zabranu; dete pohađa školu redovno.",
                     "Nastaviti plan zaštite; kućna poseta CSR u roku od 5 dana."),
        monitoring.pk: ("Demo: bez novih događaja, mera zaštite na snazi.", "Nastaviti praćenje."),
    }
    for item in items:
        discussion, decisions = texts[item.case_id]
        agenda_item_record(
            user=coordinator, item=item, discussed=True, discussion=discussion, decisions=decisions,
            next_review_on=day + timedelta(days=28),
        )
    action_item_create(  # stays open: overdue in the caseworker's work queue

        user=coordinator, agenda_item=items[1], description="Kućna poseta i ažuriranje plana bezbednosti (demo).",
        owner_institution=institutions["csr"], responsible=caseworker, due_on=day + timedelta(days=5), today=day,
    )
    action_item_create(
        user=coordinator, agenda_item=items[0], description="Provera poštovanja zabrane prilaska (demo).",
        owner_institution=institutions["police"], due_on=today + timedelta(days=7), today=day,
    )
    done = action_item_create(
        user=coordinator, agenda_item=items[2], description="Razgovor sa razrednim starešinom deteta (demo).",
        owner_institution=institutions["csr"], responsible=caseworker, due_on=day + timedelta(days=3), today=day,
    )
    action_item_complete(user=caseworker, action=done, note="Razgovor obavljen, dete je dobro (demo).")
    minutes_approve(user=coordinator, meeting=meeting, now=starts + timedelta(days=1))
    feedback_save(
        user=supervisor, meeting=meeting, preparation=4, risk_focus=5, participation=3, victim_voice=3, decisions=4,
        strengths="Jasne odluke i nosioci zadataka (demo).",
        improvements="Pozvati školu na vreme; čuti mišljenje žrtve preko CSR (demo).",
    )


def seed(context: dict) -> None:
    """Add the demo conferences to every demo municipality that has none yet."""
    now = timezone.now()
    today = timezone.localdate(now)
    areas = _areas(context)
    for slug, municipality in sorted(context["municipalities"].items()):
        if Meeting.objects.filter(municipality=municipality, created_by__is_demo=True).exists():
            continue
        cases = _demo_cases(municipality)
        if len(cases) < 6:
            continue
        users, institutions = context["users"], context["institutions"][slug]
        coordinator, supervisor = users[f"{slug}.coordinator"], users[f"{slug}.supervisor"]
        caseworker = users[f"{slug}.caseworker"]
        for user in (coordinator, supervisor, caseworker):
            user.refresh_access()
        with transaction.atomic():
            _held_history(municipality, coordinator, supervisor, institutions, today)
            _supervision_meeting(municipality, coordinator, supervisor, today)
            _last_week(municipality, coordinator, supervisor, caseworker, institutions, cases, today)
            day = _next_working_day(today)
            upcoming = meeting_schedule(
                user=coordinator, kind=MeetingKind.CASE_CONFERENCE, municipality=municipality,
                starts_at=_at(day, 10), ends_at=_at(day, 12), place=PLACE, chair=coordinator, supervisor=supervisor,
                institutions=[institutions[key] for key in INVITED],
            )
            agenda_prepare(meeting=upcoming, now=now)
    # Each area's coordination group has met every other Thursday this year and meets again next
    # week (the Belgrade area over its three municipalities' cases: a shared agenda).
    for slug, area in sorted(areas.items()):
        if slug != area.municipality.slug or Meeting.objects.filter(area=area).exists():
            continue
        coordinator = context["users"][f"{slug}.coordinator"]
        coordinator.refresh_access()
        day = _next_working_day(today, after=5)
        with transaction.atomic():
            _area_history(area, coordinator, today)
            meeting = meeting_schedule(
                user=coordinator, kind=MeetingKind.COORDINATION_GROUP, area=area,
                starts_at=_at(day, 9), ends_at=_at(day, 11), place="Osnovno javno tužilaštvo, sala 2 (demo)",
                chair=coordinator, institutions=[m.institution for m in area.member_institutions.select_related("institution")],
            )
            agenda_prepare(meeting=meeting, now=now)
