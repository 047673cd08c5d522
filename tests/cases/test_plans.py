"""Individual protection and support plans: service rules."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from apps.cases.choices import PlanMeasureKind, PlanMeasureStatus
from apps.cases.models import PlanMeasure, ProtectionPlan
from apps.cases.services import plans as svc
from apps.core.choices import AuditAction, Role
from apps.core.locking import VersionConflict
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType
from tests.factories import InstitutionFactory

from .factories_measures import join, make_case, victim


@pytest.fixture
def ctx(world):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    join(case, world.police_a, added_by=worker)
    school = InstitutionFactory(municipality=world.mun_a, type=InstitutionType.SCHOOL, name="Škola Testgrad A")
    return SimpleNamespace(world=world, worker=worker, case=case, school=school, today=timezone.localdate())


def new_plan(ctx, **overrides):
    values = dict(user=ctx.worker, case=ctx.case, victim_participated=True, victim_signed=True,
                  monitoring="Mesečni pregled na sastanku tima", next_review=ctx.today + timedelta(days=30))
    values.update(overrides)
    return svc.plan_create(**values)


def add_measure(ctx, plan, **overrides):
    values = dict(user=ctx.worker, plan=plan, kind=PlanMeasureKind.SUPPORT, description="Psihološka podrška",
                  owner_institution=ctx.world.csr_a, deadline=ctx.today + timedelta(days=14))
    values.update(overrides)
    return svc.plan_measure_add(**values)


class TestPlan:
    def test_create_records_participation_and_audit(self, ctx):
        plan = new_plan(ctx)
        assert plan.is_active and plan.victim_participated and plan.victim_signed
        assert plan.adopted_at == ctx.today
        assert AuditEntry.objects.filter(object_type="cases.protectionplan", action=AuditAction.CREATE).exists()

    def test_a_new_plan_replaces_the_current_one(self, ctx):
        first = new_plan(ctx)
        second = new_plan(ctx)
        first.refresh_from_db()
        assert not first.is_active and second.is_active
        assert ProtectionPlan.objects.filter(case=ctx.case, is_active=True).count() == 1

    def test_signature_without_participation_is_refused(self, ctx):
        with pytest.raises(ValidationError) as exc:
            new_plan(ctx, victim_participated=False, victim_signed=True)
        assert list(exc.value.message_dict) == ["victim_signed"]
        assert not ProtectionPlan.objects.exists()

    def test_review_before_adoption_is_refused(self, ctx):
        with pytest.raises(ValidationError) as exc:
            new_plan(ctx, next_review=ctx.today - timedelta(days=1))
        assert list(exc.value.message_dict) == ["next_review"]

    def test_adoption_in_the_future_is_refused(self, ctx):
        with pytest.raises(ValidationError) as exc:
            new_plan(ctx, adopted_at=ctx.today + timedelta(days=1), next_review=None)
        assert list(exc.value.message_dict) == ["adopted_at"]

    def test_update_with_version(self, ctx):
        plan = new_plan(ctx)
        plan = svc.plan_update(user=ctx.worker, plan=plan, expected_version=1, monitoring="Dvonedeljni pregled")
        plan.refresh_from_db()
        assert plan.monitoring == "Dvonedeljni pregled" and plan.version == 2

    def test_second_editor_is_told_what_changed(self, ctx):
        plan = new_plan(ctx)
        mine = ProtectionPlan.objects.get(pk=plan.pk)
        svc.plan_update(user=ctx.worker, plan=plan, expected_version=1, monitoring="Izmena kolege")
        with pytest.raises(VersionConflict) as exc:
            svc.plan_update(user=ctx.worker, plan=mine, expected_version=1, next_review=ctx.today + timedelta(days=7))
        assert "monitoring" in exc.value.changed_fields
        plan.refresh_from_db()
        assert plan.monitoring == "Izmena kolege" and plan.next_review == ctx.today + timedelta(days=30)

    def test_other_municipality_cannot_create(self, ctx):
        with pytest.raises(Http404):
            new_plan(ctx, user=ctx.world.users["other_municipality"][Role.CASEWORKER])


class TestPlanMeasure:
    def test_add_measure_owned_by_a_team_institution(self, ctx):
        plan = new_plan(ctx)
        person = victim(ctx.case)
        measure = add_measure(ctx, plan, owner_institution=ctx.world.police_a, for_person=person,
                              kind=PlanMeasureKind.PROTECTION, responsible_person="Inspektor Test")
        assert measure.status == PlanMeasureStatus.PLANNED
        assert measure.case_id == ctx.case.pk and measure.municipality_id == ctx.case.municipality_id

    def test_owner_must_be_on_the_case_team(self, ctx):
        plan = new_plan(ctx)
        with pytest.raises(ValidationError) as exc:
            add_measure(ctx, plan, owner_institution=ctx.school)
        assert list(exc.value.message_dict) == ["owner_institution"]
        join(ctx.case, ctx.school, added_by=ctx.worker)
        assert add_measure(ctx, plan, owner_institution=ctx.school).owner_institution == ctx.school

    def test_institution_that_left_the_team_cannot_own(self, ctx):
        plan = new_plan(ctx)
        ctx.case.participants.filter(institution=ctx.world.police_a).update(ended_at=timezone.now())
        with pytest.raises(ValidationError) as exc:
            add_measure(ctx, plan, owner_institution=ctx.world.police_a)
        assert "owner_institution" in exc.value.message_dict

    def test_person_of_another_case_is_refused(self, ctx):
        plan = new_plan(ctx)
        other = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker)
        with pytest.raises(ValidationError) as exc:
            add_measure(ctx, plan, for_person=victim(other))
        assert list(exc.value.message_dict) == ["for_person"]

    def test_deadline_before_adoption_is_refused(self, ctx):
        plan = new_plan(ctx)
        with pytest.raises(ValidationError) as exc:
            add_measure(ctx, plan, deadline=ctx.today - timedelta(days=1))
        assert list(exc.value.message_dict) == ["deadline"]
        assert not PlanMeasure.objects.exists()

    def test_replaced_plan_takes_no_measures(self, ctx):
        old = new_plan(ctx)
        new_plan(ctx)
        with pytest.raises(ValidationError) as exc:
            add_measure(ctx, old)
        assert "plan" in exc.value.message_dict

    def test_done_sets_completed_at_and_reopening_clears_it(self, ctx):
        measure = add_measure(ctx, new_plan(ctx))
        measure = svc.plan_measure_update_status(user=ctx.worker, measure=measure, status=PlanMeasureStatus.DONE, expected_version=1)
        measure.refresh_from_db()
        assert measure.status == PlanMeasureStatus.DONE and measure.completed_at is not None
        measure = svc.plan_measure_update_status(
            user=ctx.worker, measure=measure, status=PlanMeasureStatus.IN_PROGRESS, expected_version=2
        )
        measure.refresh_from_db()
        assert measure.completed_at is None and measure.version == 3

    def test_status_update_with_stale_version(self, ctx):
        measure = add_measure(ctx, new_plan(ctx))
        svc.plan_measure_update_status(user=ctx.worker, measure=measure, status=PlanMeasureStatus.IN_PROGRESS, expected_version=1)
        with pytest.raises(VersionConflict) as exc:
            svc.plan_measure_update_status(user=ctx.worker, measure=measure, status=PlanMeasureStatus.DONE, expected_version=1)
        assert "status" in exc.value.changed_fields
        measure.refresh_from_db()
        assert measure.status == PlanMeasureStatus.IN_PROGRESS and measure.completed_at is None

    def test_invalid_status_named(self, ctx):
        measure = add_measure(ctx, new_plan(ctx))
        with pytest.raises(ValidationError) as exc:
            svc.plan_measure_update_status(user=ctx.worker, measure=measure, status="forgotten", expected_version=1)
        assert list(exc.value.message_dict) == ["status"]

    def test_update_fields_with_version(self, ctx):
        measure = add_measure(ctx, new_plan(ctx))
        measure = svc.plan_measure_update(
            user=ctx.worker, measure=measure, expected_version=1, deadline=ctx.today + timedelta(days=3),
            owner_institution=ctx.world.police_a,
        )
        measure.refresh_from_db()
        assert measure.owner_institution == ctx.world.police_a and measure.version == 2
        with pytest.raises(ValidationError) as exc:
            svc.plan_measure_update(user=ctx.worker, measure=measure, expected_version=2, owner_institution=ctx.school)
        assert list(exc.value.message_dict) == ["owner_institution"]
        measure.refresh_from_db()
        assert measure.owner_institution == ctx.world.police_a and measure.version == 2

    def test_other_municipality_cannot_change_status(self, ctx):
        measure = add_measure(ctx, new_plan(ctx))
        with pytest.raises(Http404):
            svc.plan_measure_update_status(
                user=ctx.world.users["other_municipality"][Role.COORDINATOR], measure=measure,
                status=PlanMeasureStatus.DONE, expected_version=1,
            )
