"""Emergency measures, breaches and protective measures: service rules."""
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from apps.cases import deadlines
from apps.cases.choices import CourtDecision, EmergencyMeasureKind, ProtectiveMeasureKind
from apps.cases.models import Case, EmergencyMeasure, MeasureBreach, ProtectiveMeasure
from apps.cases.services import measures as svc
from apps.core.choices import AuditAction, Role
from apps.core.locking import VersionConflict
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType
from tests.clock import moment, travel
from tests.factories import InstitutionFactory

from .factories_measures import emergency, join, make_case, protective


@pytest.fixture
def ctx(world):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    join(case, world.police_a, added_by=worker)
    police_b = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.POLICE, name="Policija Testgrad B")
    return SimpleNamespace(world=world, worker=worker, case=case, police_b=police_b, now=timezone.now())


def record(ctx, **overrides):
    values = dict(
        user=ctx.worker,
        case=ctx.case,
        kind=EmergencyMeasureKind.REMOVAL,
        order_number="HM-TEST-1",
        ordered_by=ctx.world.police_a,
        delivered_at=ctx.now - timedelta(hours=3),
    )
    values.update(overrides)
    return svc.emergency_measure_record(**values)


def field_errors(excinfo) -> dict:
    return excinfo.value.message_dict


class TestEmergencyMeasureRecord:
    def test_computes_expiry_and_proposal_due(self, ctx):
        old_activity = Case.objects.get(pk=ctx.case.pk).last_activity_at
        measure = record(ctx)
        measure.refresh_from_db()
        delivered = ctx.now - timedelta(hours=3)
        assert measure.expires_at == delivered + timedelta(hours=48)
        assert measure.extension_proposal_due == delivered + timedelta(hours=24)
        assert measure.court_decision == CourtDecision.PENDING
        assert measure.version == 1
        assert measure.municipality_id == ctx.case.municipality_id
        assert Case.objects.get(pk=ctx.case.pk).last_activity_at > old_activity
        entry = AuditEntry.objects.get(object_type="cases.emergencymeasure", object_id=str(measure.pk))
        assert entry.action == AuditAction.CREATE
        assert entry.actor_id == ctx.worker.pk

    def test_police_officer_on_the_team_can_record(self, ctx):
        measure = record(ctx, user=ctx.world.users["police_caseworker"])
        assert measure.recorded_by == ctx.world.users["police_caseworker"]

    def test_ordering_institution_must_be_police(self, ctx):
        with pytest.raises(ValidationError) as exc:
            record(ctx, ordered_by=ctx.world.csr_a)
        assert "ordered_by" in field_errors(exc)
        assert not EmergencyMeasure.objects.exists()

    def test_police_of_another_municipality_is_not_visible(self, ctx):
        with pytest.raises(ValidationError) as exc:
            record(ctx, ordered_by=ctx.police_b)
        assert "ordered_by" in field_errors(exc)

    def test_delivery_in_the_future_is_refused(self, ctx):
        with pytest.raises(ValidationError) as exc:
            record(ctx, delivered_at=ctx.now + timedelta(hours=2))
        assert list(field_errors(exc)) == ["delivered_at"]
        assert not EmergencyMeasure.objects.exists()

    def test_missing_order_number_and_kind_named(self, ctx):
        with pytest.raises(ValidationError) as exc:
            record(ctx, order_number="  ", kind="eviction")
        assert set(field_errors(exc)) == {"order_number", "kind"}

    def test_duplicate_order_number_of_the_same_station_refused(self, ctx):
        record(ctx)
        with pytest.raises(ValidationError) as exc:
            record(ctx)
        assert "order_number" in field_errors(exc)
        assert EmergencyMeasure.objects.count() == 1

    def test_user_of_another_municipality_gets_404(self, ctx):
        with pytest.raises(Http404):
            record(ctx, user=ctx.world.users["other_municipality"][Role.CASEWORKER])
        assert not EmergencyMeasure.objects.exists()

    def test_closed_case_takes_no_new_measure(self, ctx):
        Case.objects.filter(pk=ctx.case.pk).update(status="closed")
        with pytest.raises(ValidationError):
            record(ctx)
        assert not EmergencyMeasure.objects.exists()

    def test_official_cannot_record(self, ctx):
        with pytest.raises(Http404):
            record(ctx, user=ctx.world.users[Role.OFFICIAL])


class TestExtension:
    def test_proposal_starts_the_court_deadline(self, ctx):
        measure = record(ctx)
        proposed = ctx.now - timedelta(hours=1)
        measure = svc.emergency_measure_propose_extension(
            user=ctx.worker, measure=measure, proposed_at=proposed, expected_version=1
        )
        measure.refresh_from_db()
        assert measure.extension_proposed_at == proposed
        assert measure.court_decision_due == proposed + timedelta(hours=24)
        assert measure.version == 2

    def test_proposal_before_delivery_is_refused(self, ctx):
        measure = record(ctx)
        with pytest.raises(ValidationError) as exc:
            svc.emergency_measure_propose_extension(
                user=ctx.worker, measure=measure, proposed_at=ctx.now - timedelta(hours=5), expected_version=1
            )
        assert list(field_errors(exc)) == ["extension_proposed_at"]
        measure.refresh_from_db()
        assert measure.extension_proposed_at is None and measure.version == 1

    def test_proposal_after_expiry_is_refused(self, ctx):
        measure = record(ctx, delivered_at=ctx.now - timedelta(hours=60))
        with pytest.raises(ValidationError) as exc:
            svc.emergency_measure_propose_extension(
                user=ctx.worker, measure=measure, proposed_at=ctx.now - timedelta(hours=1), expected_version=1
            )
        assert "extension_proposed_at" in field_errors(exc)

    def test_stale_version_is_refused_and_nothing_saved(self, ctx):
        measure = record(ctx)
        svc.emergency_measure_propose_extension(
            user=ctx.worker, measure=measure, proposed_at=ctx.now - timedelta(hours=2), expected_version=1
        )
        stale = EmergencyMeasure.objects.get(pk=measure.pk)
        with pytest.raises(VersionConflict):
            svc.emergency_measure_court_decision(
                user=ctx.worker,
                measure=stale,
                decision=CourtDecision.EXTENDED,
                decided_at=ctx.now - timedelta(minutes=30),
                expected_version=1,
            )
        stale.refresh_from_db()
        assert stale.court_decision == CourtDecision.PENDING and stale.version == 2

    def test_court_extends_for_30_days_with_appeal_due(self, ctx):
        measure = record(ctx)
        svc.emergency_measure_propose_extension(
            user=ctx.worker, measure=measure, proposed_at=ctx.now - timedelta(hours=2), expected_version=1
        )
        decided = ctx.now - timedelta(minutes=30)
        measure = svc.emergency_measure_court_decision(
            user=ctx.worker, measure=measure, decision=CourtDecision.EXTENDED, decided_at=decided, expected_version=2
        )
        measure.refresh_from_db()
        assert measure.court_decision == CourtDecision.EXTENDED
        assert measure.extended_until == deadlines.add_calendar_days(decided, 30)
        assert measure.appeal_due == deadlines.appeal_due(decided).due
        assert svc.emergency_in_force_until(measure) == measure.extended_until

    def test_court_rejects(self, ctx):
        measure = record(ctx)
        svc.emergency_measure_propose_extension(
            user=ctx.worker, measure=measure, proposed_at=ctx.now - timedelta(hours=2), expected_version=1
        )
        measure = svc.emergency_measure_court_decision(
            user=ctx.worker,
            measure=measure,
            decision=CourtDecision.REJECTED,
            decided_at=ctx.now - timedelta(minutes=30),
            expected_version=2,
        )
        measure.refresh_from_db()
        assert measure.extended_until is None
        assert measure.appeal_due is not None
        assert svc.emergency_in_force_until(measure) == measure.expires_at

    def test_decision_without_proposal_is_refused(self, ctx):
        measure = record(ctx)
        with pytest.raises(ValidationError) as exc:
            svc.emergency_measure_court_decision(
                user=ctx.worker,
                measure=measure,
                decision=CourtDecision.EXTENDED,
                decided_at=ctx.now - timedelta(minutes=30),
                expected_version=1,
            )
        assert "court_decision" in field_errors(exc)

    def test_decision_before_proposal_is_refused(self, ctx):
        measure = record(ctx)
        svc.emergency_measure_propose_extension(
            user=ctx.worker, measure=measure, proposed_at=ctx.now - timedelta(hours=1), expected_version=1
        )
        with pytest.raises(ValidationError) as exc:
            svc.emergency_measure_court_decision(
                user=ctx.worker,
                measure=measure,
                decision=CourtDecision.EXTENDED,
                decided_at=ctx.now - timedelta(hours=2),
                expected_version=2,
            )
        assert list(field_errors(exc)) == ["court_decided_at"]

    def test_appeal_after_decision(self, ctx):
        measure = record(ctx)
        svc.emergency_measure_propose_extension(
            user=ctx.worker, measure=measure, proposed_at=ctx.now - timedelta(hours=2), expected_version=1
        )
        svc.emergency_measure_court_decision(
            user=ctx.worker,
            measure=measure,
            decision=CourtDecision.EXTENDED,
            decided_at=ctx.now - timedelta(hours=1),
            expected_version=2,
        )
        with pytest.raises(ValidationError) as exc:
            svc.emergency_measure_appeal(
                user=ctx.worker, measure=measure, filed_at=ctx.now - timedelta(hours=2), expected_version=3
            )
        assert list(field_errors(exc)) == ["appeal_filed_at"]
        measure = svc.emergency_measure_appeal(
            user=ctx.worker, measure=measure, filed_at=ctx.now - timedelta(minutes=5), expected_version=3
        )
        measure.refresh_from_db()
        assert measure.appeal_filed_at is not None and measure.version == 4

    def test_appeal_without_decision_is_refused(self, ctx):
        measure = record(ctx)
        with pytest.raises(ValidationError) as exc:
            svc.emergency_measure_appeal(user=ctx.worker, measure=measure, filed_at=ctx.now, expected_version=1)
        assert "appeal_filed_at" in field_errors(exc)

    def test_another_municipality_cannot_touch_the_measure(self, ctx):
        measure = record(ctx)
        with pytest.raises(Http404):
            svc.emergency_measure_propose_extension(
                user=ctx.world.users["other_municipality"][Role.COORDINATOR],
                measure=measure,
                proposed_at=ctx.now,
                expected_version=1,
            )


class TestBreach:
    def test_breach_while_in_force(self, ctx):
        measure = record(ctx)
        breach = svc.breach_record(
            user=ctx.worker, case=ctx.case, emergency_measure=measure, occurred_at=ctx.now - timedelta(hours=1)
        )
        assert breach.emergency_measure == measure
        assert AuditEntry.objects.filter(object_type="cases.measurebreach", action=AuditAction.CREATE).exists()

    def test_breach_before_delivery_is_refused(self, ctx):
        measure = record(ctx)
        with pytest.raises(ValidationError) as exc:
            svc.breach_record(
                user=ctx.worker, case=ctx.case, emergency_measure=measure, occurred_at=ctx.now - timedelta(hours=4)
            )
        assert list(field_errors(exc)) == ["occurred_at"]
        assert not MeasureBreach.objects.exists()

    def test_breach_needs_exactly_one_measure(self, ctx):
        with pytest.raises(ValidationError) as exc:
            svc.breach_record(user=ctx.worker, case=ctx.case, occurred_at=ctx.now)
        assert "emergency_measure" in field_errors(exc)

    def test_measure_of_another_case_is_refused(self, ctx):
        other = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker)
        measure = emergency(other, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=2))
        with pytest.raises(ValidationError) as exc:
            svc.breach_record(user=ctx.worker, case=ctx.case, emergency_measure=measure, occurred_at=ctx.now)
        assert "emergency_measure" in field_errors(exc)

    def test_breach_of_protective_measure_on_its_last_day(self, ctx):
        today = timezone.localdate()
        measure = protective(ctx.case, recorded_by=ctx.worker, valid_from=today - timedelta(days=30), valid_until=today)
        breach = svc.breach_record(user=ctx.worker, case=ctx.case, protective_measure=measure, occurred_at=ctx.now)
        assert breach.protective_measure == measure

    def test_breach_after_protective_measure_ended_is_refused(self, ctx):
        today = timezone.localdate()
        measure = protective(
            ctx.case, recorded_by=ctx.worker, valid_from=today - timedelta(days=30), valid_until=today - timedelta(days=2)
        )
        with pytest.raises(ValidationError) as exc:
            svc.breach_record(user=ctx.worker, case=ctx.case, protective_measure=measure, occurred_at=ctx.now)
        assert list(field_errors(exc)) == ["occurred_at"]


def record_protective(ctx, **overrides):
    today = timezone.localdate()
    values = dict(
        user=ctx.worker,
        case=ctx.case,
        kind=ProtectiveMeasureKind.HARASSMENT_BAN,
        court="Osnovni sud Testgrad",
        decision_date=today - timedelta(days=10),
        valid_from=today - timedelta(days=10),
        valid_until=deadlines.protective_max_valid_until(today - timedelta(days=10)),
    )
    values.update(overrides)
    return svc.protective_measure_record(**values)


class TestProtectiveMeasure:
    def test_one_year_less_a_day_is_accepted(self, ctx):
        measure = record_protective(ctx)
        assert measure.valid_until == deadlines.protective_max_valid_until(measure.valid_from)
        assert AuditEntry.objects.filter(object_type="cases.protectivemeasure", action=AuditAction.CREATE).exists()

    def test_longer_than_a_year_is_refused_naming_valid_until(self, ctx):
        today = timezone.localdate()
        with pytest.raises(ValidationError) as exc:
            record_protective(ctx, valid_from=today, valid_until=deadlines.add_years(today, 1))
        assert list(field_errors(exc)) == ["valid_until"]
        assert not ProtectiveMeasure.objects.exists()

    def test_end_before_start_is_refused(self, ctx):
        today = timezone.localdate()
        with pytest.raises(ValidationError) as exc:
            record_protective(ctx, valid_from=today, valid_until=today - timedelta(days=1))
        assert list(field_errors(exc)) == ["valid_until"]

    def test_start_before_decision_is_refused(self, ctx):
        today = timezone.localdate()
        with pytest.raises(ValidationError) as exc:
            record_protective(ctx, decision_date=today, valid_from=today - timedelta(days=1))
        assert list(field_errors(exc)) == ["valid_from"]

    def test_decision_in_the_future_is_refused(self, ctx):
        today = timezone.localdate()
        with pytest.raises(ValidationError) as exc:
            record_protective(ctx, decision_date=today + timedelta(days=1), valid_from=today + timedelta(days=1))
        assert "decision_date" in field_errors(exc)

    def test_approach_ban_needs_a_distance(self, ctx):
        with pytest.raises(ValidationError) as exc:
            record_protective(ctx, kind=ProtectiveMeasureKind.APPROACH_BAN)
        assert list(field_errors(exc)) == ["distance_m"]
        measure = record_protective(ctx, kind=ProtectiveMeasureKind.APPROACH_BAN, distance_m=200)
        assert measure.distance_m == 200

    def test_renewal_continues_the_measure(self, ctx):
        today = timezone.localdate()
        original = record_protective(
            ctx, decision_date=today - timedelta(days=300), valid_from=today - timedelta(days=300),
            valid_until=today + timedelta(days=10),
        )
        start, latest = deadlines.protective_renewal_period(original.valid_until)
        renewal = svc.protective_measure_renew(user=ctx.worker, measure=original, decision_date=today, valid_until=latest)
        assert renewal.renewed_from == original
        assert renewal.valid_from == start
        assert renewal.kind == original.kind and renewal.court == original.court

    def test_renewal_longer_than_a_year_is_refused(self, ctx):
        today = timezone.localdate()
        original = record_protective(
            ctx, decision_date=today - timedelta(days=300), valid_from=today - timedelta(days=300),
            valid_until=today + timedelta(days=10),
        )
        _start, latest = deadlines.protective_renewal_period(original.valid_until)
        with pytest.raises(ValidationError) as exc:
            svc.protective_measure_renew(
                user=ctx.worker, measure=original, decision_date=today, valid_until=latest + timedelta(days=1)
            )
        assert list(field_errors(exc)) == ["valid_until"]

    def test_renewal_after_the_measure_ended_is_refused(self, ctx):
        today = timezone.localdate()
        original = record_protective(
            ctx, decision_date=today - timedelta(days=100), valid_from=today - timedelta(days=100),
            valid_until=today - timedelta(days=1),
        )
        with pytest.raises(ValidationError) as exc:
            svc.protective_measure_renew(
                user=ctx.worker, measure=original, decision_date=today, valid_until=today + timedelta(days=100)
            )
        assert list(field_errors(exc)) == ["decision_date"]

    def test_renewing_twice_is_refused(self, ctx):
        today = timezone.localdate()
        original = record_protective(
            ctx, decision_date=today - timedelta(days=300), valid_from=today - timedelta(days=300),
            valid_until=today + timedelta(days=10),
        )
        svc.protective_measure_renew(user=ctx.worker, measure=original, decision_date=today, valid_until=today + timedelta(days=100))
        with pytest.raises(ValidationError):
            svc.protective_measure_renew(
                user=ctx.worker, measure=original, decision_date=today, valid_until=today + timedelta(days=100)
            )
        assert ProtectiveMeasure.objects.count() == 2


class TestDeadlinesThroughTheServices:
    """The stored deadlines follow deadlines.py across the 2026 daylight-saving changes."""

    @travel(moment("2026-05-15T12:00"))  # delivered on 28.03.2026: the clock stands after it
    def test_spring_change_weekend(self, ctx):
        delivered = datetime(2026, 3, 28, 14, 20, tzinfo=deadlines.TZ)
        measure = record(ctx, delivered_at=delivered)
        measure.refresh_from_db()
        assert timezone.localtime(measure.expires_at).replace(tzinfo=None) == datetime(2026, 3, 30, 15, 20)
        assert timezone.localtime(measure.extension_proposal_due).replace(tzinfo=None) == datetime(2026, 3, 29, 15, 20)
        proposed = datetime(2026, 3, 29, 1, 30, tzinfo=deadlines.TZ)  # winter time, 30 minutes before the change
        svc.emergency_measure_propose_extension(user=ctx.worker, measure=measure, proposed_at=proposed, expected_version=1)
        measure.refresh_from_db()
        assert timezone.localtime(measure.court_decision_due).replace(tzinfo=None) == datetime(2026, 3, 30, 2, 30)
        decided = datetime(2026, 3, 29, 23, 50, tzinfo=deadlines.TZ)
        svc.emergency_measure_court_decision(
            user=ctx.worker, measure=measure, decision=CourtDecision.EXTENDED, decided_at=decided, expected_version=2
        )
        measure.refresh_from_db()
        assert timezone.localtime(measure.extended_until).replace(tzinfo=None) == datetime(2026, 4, 28, 23, 50)
        assert timezone.localtime(measure.appeal_due).replace(tzinfo=None) == datetime(2026, 4, 1, 23, 59, 59, 999999)

    @travel(moment("2026-10-27T12:00"))  # delivered on 24.10.2026: the clock stands after it
    def test_autumn_change_weekend(self, ctx):
        delivered = datetime(2026, 10, 24, 14, 20, tzinfo=deadlines.TZ)
        measure = record(ctx, delivered_at=delivered)
        measure.refresh_from_db()
        assert timezone.localtime(measure.expires_at).replace(tzinfo=None) == datetime(2026, 10, 26, 13, 20)
        assert (measure.expires_at - measure.delivered_at) == timedelta(hours=48)
