"""The case timeline: every kind of event, newest first, notes by visibility, fixed query count."""
from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.cases.choices import (
    CaseStatus,
    CourtDecision,
    PersonRole,
    PlanMeasureKind,
    PlanMeasureStatus,
    ProtectiveMeasureKind,
    ReferralStatus,
    RiskLevel,
    ViolenceForm,
    Visibility,
)
from apps.cases.models import (
    CaseAssignment,
    CasePerson,
    CaseStatusChange,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
)
from apps.cases.selectors.timeline import Kind, case_timeline
from apps.core.choices import AuditAction
from apps.core.models import AuditEntry

from .factories_records import (
    assign,
    attachment_row,
    consent,
    emergency,
    incident,
    join,
    make_case,
    note,
    person,
    risk,
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _at(days=0, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def populate(world, case, *, copies=1, base_days=20):
    """One (or ``copies``) of every kind of record, each at a known time."""
    csr_user = world.users["caseworker"]
    police_user = world.users["police_caseworker"]
    for n in range(copies):
        d = base_days - n * 0.01  # later copies a little newer
        CaseStatusChange.objects.create(
            municipality=case.municipality, case=case, from_status=CaseStatus.REPORTED,
            to_status=CaseStatus.ASSESSMENT, changed_by=csr_user, changed_at=_at(d - 1),
        )
        p = person(case, "Jelena", f"Testović{n}", role=PersonRole.VICTIM)
        CasePerson.objects.filter(pk=p.pk).update(created_at=_at(d - 1, 2))
        incident(case, forms=[ViolenceForm.PHYSICAL], recorded_by=police_user, occurred_at=_at(d + 6))
        risk(case, assessor=police_user, institution=world.police_a, level=RiskLevel.HIGH, assessed_at=_at(d - 2))
        m = emergency(
            case, ordered_by=world.police_a, recorded_by=police_user, delivered_at=_at(d - 3),
            extension_proposed_at=_at(d - 3, -5), court_decided_at=_at(d - 3, -10),
            court_decision=CourtDecision.EXTENDED, appeal_filed_at=_at(d - 4),
        )
        MeasureBreach.objects.create(
            municipality=case.municipality, case=case, emergency_measure=m, occurred_at=_at(d - 5), recorded_by=police_user,
        )
        first = ProtectiveMeasure.objects.create(
            municipality=case.municipality, case=case, kind=ProtectiveMeasureKind.APPROACH_BAN, court="Osnovni sud Test",
            decision_date=_at(d - 6).date(), valid_from=_at(d - 6).date(), valid_until=_at(d - 300).date(),
            recorded_by=csr_user,
        )
        ProtectiveMeasure.objects.create(
            municipality=case.municipality, case=case, kind=ProtectiveMeasureKind.APPROACH_BAN, court="Osnovni sud Test",
            decision_date=_at(d - 7).date(), valid_from=_at(d - 7).date(), valid_until=_at(d - 360).date(),
            recorded_by=csr_user, renewed_from=first,
        )
        plan = ProtectionPlan.objects.create(
            municipality=case.municipality, case=case, adopted_at=_at(d - 8).date(), created_by=csr_user,
        )
        PlanMeasure.objects.create(
            municipality=case.municipality, plan=plan, case=case, kind=PlanMeasureKind.SUPPORT, description="Savetovanje",
            owner_institution=world.csr_a, deadline=_at(d - 20).date(), status=PlanMeasureStatus.DONE,
            completed_at=_at(d - 9),
        )
        PlanMeasure.objects.create(
            municipality=case.municipality, plan=plan, case=case, kind=PlanMeasureKind.SUPPORT, description="U toku",
            owner_institution=world.csr_a, deadline=_at(d - 20).date(),
        )
        consent(case, p, recorded_by=csr_user, institutions=[world.police_a], given_at=_at(d - 10).date())
        Referral.objects.create(
            municipality=case.municipality, case=case, from_institution=world.csr_a, to_institution=world.police_a,
            to_municipality_id=case.municipality_id, reason="Test", sent_by=csr_user, sent_at=_at(d - 11),
            status=ReferralStatus.COMPLETED, answered_at=_at(d - 11, -3), answered_by=police_user,
            completed_at=_at(d - 12),
        )
        note(case, author=csr_user, institution=world.csr_a, text="Za tim", occurred_at=_at(d - 13))
        note(
            case, author=csr_user, institution=world.csr_a, text="Samo CSR", occurred_at=_at(d - 14),
            visibility=Visibility.OWN_INSTITUTION,
        )
        attachment_row(case, uploaded_by=csr_user, institution=world.csr_a)
        attachment_row(case, uploaded_by=csr_user, institution=world.csr_a, visibility=Visibility.OWN_INSTITUTION)


@pytest.fixture
def case(world):
    c = make_case(institution=world.csr_a, opened_by=world.users["caseworker"], reported_at=_at(25))
    join(c, world.police_a, added_by=world.users["caseworker"])
    assign(c, world.users["caseworker"], institution=world.csr_a)
    CaseAssignment.objects.filter(case=c).update(assigned_at=_at(24))
    return c


def test_timeline_holds_every_kind_of_event_newest_first(world, case):
    populate(world, case)
    entries = case_timeline(world.users["caseworker"], case)

    times = [e.at for e in entries]
    assert times == sorted(times, reverse=True)
    kinds = {e.kind for e in entries}
    expected = {
        Kind.CASE_REPORTED, Kind.STATUS_CHANGED, Kind.TEAM_JOINED, Kind.ASSIGNED, Kind.PERSON_ADDED, Kind.INCIDENT,
        Kind.RISK_ASSESSMENT, Kind.EMERGENCY_MEASURE, Kind.EXTENSION_PROPOSED, Kind.COURT_DECISION, Kind.APPEAL_FILED,
        Kind.BREACH, Kind.PROTECTIVE_MEASURE, Kind.PROTECTIVE_MEASURE_RENEWED, Kind.PLAN_ADOPTED,
        Kind.PLAN_MEASURE_DONE, Kind.CONSENT_GIVEN, Kind.REFERRAL_SENT, Kind.REFERRAL_ACCEPTED,
        Kind.REFERRAL_COMPLETED, Kind.NOTE, Kind.ATTACHMENT,
    }
    assert expected <= kinds
    # Only the completed plan measure is an event; the open one is not.
    assert sum(1 for e in entries if e.kind == Kind.PLAN_MEASURE_DONE) == 1
    # The oldest thing is the incident before the report; the report itself comes right after it.
    assert entries[-1].kind == Kind.INCIDENT
    assert entries[-2].kind == Kind.CASE_REPORTED
    assert all(str(e.title) for e in entries)


def test_events_of_one_measure_are_in_order(world, case):
    populate(world, case)
    entries = case_timeline(world.users["caseworker"], case)
    measure_kinds = [
        e.kind for e in entries
        if e.kind in (Kind.EMERGENCY_MEASURE, Kind.EXTENSION_PROPOSED, Kind.COURT_DECISION, Kind.APPEAL_FILED)
    ]
    assert measure_kinds == [Kind.APPEAL_FILED, Kind.COURT_DECISION, Kind.EXTENSION_PROPOSED, Kind.EMERGENCY_MEASURE]


def test_declined_referral_shows_as_declined(world, case):
    Referral.objects.create(
        municipality=case.municipality, case=case, from_institution=world.csr_a, to_institution=world.police_a,
        to_municipality_id=case.municipality_id, reason="Test", sent_by=world.users["caseworker"],
        status=ReferralStatus.DECLINED, answered_at=timezone.now(), decline_reason="Nije nadležno",
    )
    kinds = [e.kind for e in case_timeline(world.users["caseworker"], case)]
    assert Kind.REFERRAL_DECLINED in kinds
    assert Kind.REFERRAL_ACCEPTED not in kinds


def test_own_institution_notes_and_files_are_shown_only_to_that_institution(world, case):
    populate(world, case)
    csr_entries = case_timeline(world.users["caseworker"], case)
    police_entries = case_timeline(world.users["police_caseworker"], case)

    def notes(entries):
        return sorted(e.obj.text for e in entries if e.kind == Kind.NOTE)

    def files(entries):
        return sorted(e.obj.visibility for e in entries if e.kind == Kind.ATTACHMENT)

    assert notes(csr_entries) == ["Samo CSR", "Za tim"]
    assert notes(police_entries) == ["Za tim"]
    assert files(csr_entries) == [Visibility.OWN_INSTITUTION, Visibility.TEAM]
    assert files(police_entries) == [Visibility.TEAM]
    assert len(csr_entries) == len(police_entries) + 2


def test_reading_the_timeline_is_audited_once(world, case):
    populate(world, case)
    user = world.users["police_caseworker"]
    case_timeline(user, case)
    entries = AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="cases.case", object_id=str(case.pk))
    assert entries.count() == 1
    assert entries.get().actor == user


@pytest.mark.parametrize("who", ["other_municipality", "official", "platform_admin"])
def test_outsiders_get_404(world, case, who):
    user = {
        "other_municipality": world.users["other_municipality"]["caseworker"],
        "official": world.users["official"],
        "platform_admin": world.platform_admin,
    }[who]
    with pytest.raises(Http404):
        case_timeline(user, case)
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="cases.case").exists()


def test_restricted_case_timeline_only_for_assigned_staff(world, case):
    case.is_restricted = True
    case.save(update_fields=["is_restricted"])
    with pytest.raises(Http404):
        case_timeline(world.users["police_caseworker"], case)
    with pytest.raises(Http404):
        case_timeline(world.users["coordinator"], case)
    assert case_timeline(world.users["caseworker"], case)


def _count_queries(user, case) -> int:
    user.refresh_access()
    with CaptureQueriesContext(connection) as ctx:
        case_timeline(user, case)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_entries(world, case, django_assert_max_num_queries):
    user = world.users["caseworker"]
    populate(world, case, copies=1)
    small = _count_queries(user, case)
    populate(world, case, copies=6, base_days=15)
    large = _count_queries(user, case)
    assert large == small, (small, large)
    user.refresh_access()
    # Access context (3), the case, one query per kind of record (+1 for consent institutions), audit.
    with django_assert_max_num_queries(21):
        entries = case_timeline(user, case)
    assert len(entries) > 100
