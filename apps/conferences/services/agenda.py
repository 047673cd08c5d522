"""Preparing a meeting's agenda tables from case data (the day before, or when the coordinator asks).

The builder looks at the municipality of the meeting (or every municipality of the coordination
area for a coordination-group meeting) and proposes, once per case, in this order of precedence:

* repeat cases: new violence (an incident reported since the last meeting) between the same victim
  and perpetrator within 12 months of the last conference at which one of their cases was discussed,
  and new cases the case record already flags as repeat (``Case.is_repeat``);
* emergency measures expiring soon, or whose extension is still to be decided;
* new cases reported since the last meeting of the same kind (same municipality or area);
* cases proposed for a conference and not discussed since the proposal;
* ongoing cases due for review (the latest ``AgendaItem.next_review_on`` on or before the meeting day);
* cases with open action items from earlier meetings.

Closed and restricted cases are never put on a shared agenda automatically (the coordinator may
add them by hand). Running the builder again adds only cases not yet on the agenda; the beat task
prepares each meeting once (``Meeting.agenda_prepared_at``), so what the coordinator removed stays
removed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone, translation

from apps.cases.choices import CaseStatus, CourtDecision, PersonRole
from apps.cases.models import Case, CasePerson, EmergencyMeasure, Incident
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import ActionStatus, AgendaOrigin, AgendaReason, AgendaSection, MeetingKind, MeetingStatus
from ..models import AGENDA_REASON_SEPARATOR, ActionItem, AgendaItem, AreaMunicipality, Meeting

# Without an earlier meeting, "new since the last meeting" looks back this far.
FIRST_MEETING_LOOKBACK = timedelta(days=60)
REPEAT_WINDOW = timedelta(days=365)
# Measures expiring up to this long after the meeting starts are still worth discussing.
MEASURE_HORIZON = timedelta(days=2)
EXTENDED_HORIZON = timedelta(days=7)
# Which section a case lands in when several apply.
PRECEDENCE = (
    AgendaSection.REPEAT,
    AgendaSection.MEASURES,
    AgendaSection.NEW,
    AgendaSection.PROPOSED,
    AgendaSection.REVIEW,
    AgendaSection.ACTIONS,
)
# The order of the agenda tables (the minutes follow it: new, current, acceleration cases).
TABLE_ORDER = [s.value for s in AgendaSection]


@dataclass
class AgendaPrepareResult:
    """What one preparation added, per agenda table."""

    meeting_id: int
    counts: dict[str, int] = field(default_factory=dict)
    already_on_agenda: int = 0

    @property
    def added(self) -> int:
        return sum(self.counts.values())


def meeting_municipality_ids(meeting: Meeting) -> list[int]:
    """The municipalities whose cases the meeting discusses."""
    if meeting.kind == MeetingKind.COORDINATION_GROUP and meeting.area_id:
        ids = set(AreaMunicipality.objects.filter(area_id=meeting.area_id).values_list("municipality_id", flat=True))
        ids.add(meeting.municipality_id)
        return sorted(ids)
    return [meeting.municipality_id]


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last earlier meeting of the same kind for the same municipality (or area)."""
    qs = Meeting.objects.filter(kind=meeting.kind, starts_at__lt=meeting.starts_at).exclude(status=MeetingStatus.CANCELLED)
    if meeting.kind == MeetingKind.COORDINATION_GROUP and meeting.area_id:
        qs = qs.filter(area_id=meeting.area_id)
    else:
        qs = qs.filter(municipality_id=meeting.municipality_id)
    return qs.exclude(pk=meeting.pk).order_by("-starts_at", "-id").first()


def _person_key(person) -> str:
    """Who a person is across cases and scripts: the JMBG hash, else the name key with the birth date."""
    if person.jmbg_hash:
        return f"j:{person.jmbg_hash}"
    if person.name_key:
        return f"n:{person.name_key}:{person.birth_date or person.birth_year or ''}"
    return ""


def _pairs(case_ids) -> dict[int, set[tuple[str, str]]]:
    """{case_id: {(victim key, perpetrator key)}}."""
    victims: dict[int, set[str]] = {}
    perpetrators: dict[int, set[str]] = {}
    rows = CasePerson.objects.filter(case_id__in=case_ids, role__in=(PersonRole.VICTIM, PersonRole.PERPETRATOR)).only(
        "case_id", "role", "jmbg_hash", "name_key", "birth_date", "birth_year"
    )
    for person in rows:
        key = _person_key(person)
        if not key:
            continue
        target = victims if person.role == PersonRole.VICTIM else perpetrators
        target.setdefault(person.case_id, set()).add(key)
    return {
        case_id: {(v, p) for v in keys for p in perpetrators.get(case_id, ())}
        for case_id, keys in victims.items()
        if perpetrators.get(case_id)
    }


def _candidates(meeting: Meeting, now: datetime) -> dict[str, dict[int, str]]:
    """{section: {case_id: reason}} before precedence and de-duplication."""
    municipalities = meeting_municipality_ids(meeting)
    previous = previous_meeting(meeting)
    since = previous.starts_at if previous else meeting.starts_at - FIRST_MEETING_LOOKBACK
    meeting_day = timezone.localdate(meeting.starts_at)
    cases = Case.objects.filter(municipality_id__in=municipalities, is_restricted=False).exclude(status=CaseStatus.CLOSED)
    found: dict[str, dict[int, str]] = {section: {} for section in PRECEDENCE}

    # New cases reported since the last meeting (repeat-flagged ones go to the repeat table).
    for case_id, is_repeat in cases.filter(reported_at__gte=since, reported_at__lte=now).values_list("id", "is_repeat"):
        if is_repeat:
            found[AgendaSection.REPEAT][case_id] = AgendaReason.KNOWN_PERSON
        else:
            found[AgendaSection.NEW][case_id] = AgendaReason.NEW_CASE

    # Repeat violence between the same victim and perpetrator within 12 months of a conference.
    incident_cases = set(
        Incident.objects.filter(
            municipality_id__in=municipalities, reported_at__gte=since, reported_at__lte=now, case__in=cases
        ).values_list("case_id", flat=True)
    )
    if incident_cases:
        discussed = (
            AgendaItem.objects.filter(
                municipality_id__in=municipalities,
                discussed=True,
                meeting__starts_at__lt=meeting.starts_at,
                meeting__starts_at__gte=since - REPEAT_WINDOW,
            )
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .values("case_id")
            .annotate(last=Max("meeting__starts_at"))
        )
        last_discussed = {row["case_id"]: row["last"] for row in discussed}
        if last_discussed:
            discussed_pairs = _pairs(list(last_discussed))
            pair_last: dict[tuple[str, str], datetime] = {}
            for case_id, pairs in discussed_pairs.items():
                for pair in pairs:
                    pair_last[pair] = max(pair_last.get(pair, last_discussed[case_id]), last_discussed[case_id])
            new_pairs = _pairs(incident_cases)
            incidents = Incident.objects.filter(case_id__in=list(new_pairs), reported_at__gte=since, reported_at__lte=now)
            for case_id, occurred_at in incidents.values_list("case_id", "occurred_at"):
                for pair in new_pairs[case_id]:
                    last = pair_last.get(pair)
                    if last is not None and last < occurred_at <= last + REPEAT_WINDOW:
                        found[AgendaSection.REPEAT][case_id] = AgendaReason.REPEAT_VIOLENCE

    # Emergency measures expiring around the meeting or whose extension is still open.
    measures = EmergencyMeasure.objects.filter(case__in=cases, municipality_id__in=municipalities).filter(
        Q(~Q(court_decision=CourtDecision.EXTENDED), expires_at__gte=now, expires_at__lte=meeting.starts_at + MEASURE_HORIZON)
        | Q(court_decision=CourtDecision.PENDING, extension_proposed_at__isnull=False, expires_at__gte=now - timedelta(days=3))
        | Q(
            court_decision=CourtDecision.EXTENDED,
            extended_until__gte=now,
            extended_until__lte=meeting.starts_at + EXTENDED_HORIZON,
        )
    )
    for case_id, decision in measures.values_list("case_id", "court_decision"):
        found[AgendaSection.MEASURES][case_id] = (
            AgendaReason.EXTENSION_PENDING
            if decision == CourtDecision.PENDING
            else AgendaReason.MEASURE_EXPIRING
        )

    # Proposed for a conference and not discussed since (a meeting on or after the proposal, or
    # minutes approved after it: approval may itself propose a case whose risk went up).
    discussed_since = AgendaItem.objects.filter(case_id=OuterRef("pk"), discussed=True).filter(
        Q(meeting__starts_at__gte=OuterRef("proposed_for_conference_at"))
        | Q(meeting__minutes__approved_at__gte=OuterRef("proposed_for_conference_at"))
    )
    for case_id in cases.filter(proposed_for_conference_at__isnull=False, proposed_for_conference_at__lte=now).filter(
        ~Exists(discussed_since)
    ).values_list("id", flat=True):
        found[AgendaSection.PROPOSED][case_id] = AgendaReason.PROPOSED

    # Due for review: the latest review date set for the case at an earlier meeting.
    latest = (
        AgendaItem.objects.filter(
            municipality_id__in=municipalities, meeting__starts_at__lt=meeting.starts_at, case__in=cases
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .exclude(meeting_id=meeting.pk)
        .order_by("case_id", "-meeting__starts_at", "-id")
        .distinct("case_id")
        .values_list("case_id", "next_review_on")
    )
    for case_id, review_on in latest:
        if review_on is not None and review_on <= meeting_day:
            found[AgendaSection.REVIEW][case_id] = AgendaReason.REVIEW_DUE

    # Open action items decided at earlier meetings.
    for case_id in (
        ActionItem.objects.filter(
            municipality_id__in=municipalities,
            status=ActionStatus.OPEN,
            meeting__starts_at__lt=meeting.starts_at,
            case__in=cases,
        )
        .values_list("case_id", flat=True)
        .distinct()
    ):
        found[AgendaSection.ACTIONS][case_id] = AgendaReason.OPEN_ACTIONS
    return found


@transaction.atomic
def agenda_prepare(*, meeting: Meeting, now: datetime | None = None) -> AgendaPrepareResult:
    """Put every case that needs the meeting on its agenda (each case once); returns counts per table.

    Safe to run again: cases already on the agenda are left as they are (position, section, notes).
    """
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = AgendaPrepareResult(meeting_id=meeting.pk, counts={s.value: 0 for s in PRECEDENCE})
    if meeting.status == MeetingStatus.CANCELLED:
        return result
    with translation.override(settings.LANGUAGE_CODE):
        found = _candidates(meeting, now)
    chosen: dict[int, tuple[str, list[str]]] = {}
    for section in PRECEDENCE:
        for case_id, reason in found[section].items():
            if case_id in chosen:
                chosen[case_id][1].append(reason)
            else:
                chosen[case_id] = (section.value, [reason])
    existing = set(AgendaItem.objects.filter(meeting=meeting).values_list("case_id", flat=True))
    result.already_on_agenda = len(existing & set(chosen))
    new_ids = [case_id for case_id in chosen if case_id not in existing]
    if new_ids:
        cases = {c.pk: c for c in Case.objects.filter(pk__in=new_ids).only("id", "number", "municipality_id", "lead_institution_id")}
        position = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        ordered = sorted(new_ids, key=lambda cid: (TABLE_ORDER.index(chosen[cid][0]), cases[cid].number))
        items = []
        for case_id in ordered:
            section, reasons = chosen[case_id]
            position += 1
            case = cases[case_id]
            items.append(
                AgendaItem(
                    municipality_id=case.municipality_id,
                    meeting=meeting,
                    case_id=case_id,
                    section=section,
                    origin=AgendaOrigin.AUTOMATIC,
                    position=position,
                    reason=AGENDA_REASON_SEPARATOR.join(dict.fromkeys(str(r) for r in reasons))[:255],
                    presenter_id=case.lead_institution_id,
                )
            )
            result.counts[section] += 1
        AgendaItem.objects.bulk_create(items, ignore_conflicts=True)
    if meeting.agenda_prepared_at is None:
        meeting.agenda_prepared_at = now
        meeting.save(update_fields=["agenda_prepared_at", "updated_at"])
    audit_log(
        action=AuditAction.CREATE,
        obj=meeting,
        object_type=AgendaItem._meta.label_lower,
        details={"agenda_prepared": result.counts},
    )
    return result


def meetings_to_prepare(now: datetime):
    """Scheduled meetings starting from now until the end of tomorrow whose agenda was never prepared."""
    tomorrow_end = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)
    return Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        agenda_prepared_at__isnull=True,
        starts_at__gt=now,
        starts_at__lt=tomorrow_end,
    ).exclude(kind=MeetingKind.SUPERVISION).order_by("starts_at", "id")


def agendas_prepare_due(*, now: datetime | None = None) -> list[AgendaPrepareResult]:
    """Prepare every agenda that is due (the beat task); each meeting once."""
    now = now or timezone.now()
    results = []
    for meeting_id in list(meetings_to_prepare(now).values_list("id", flat=True)):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update(skip_locked=True).filter(
                pk=meeting_id, agenda_prepared_at__isnull=True
            ).first()
            if meeting is None:
                continue
            results.append(agenda_prepare(meeting=meeting, now=now))
    return results
