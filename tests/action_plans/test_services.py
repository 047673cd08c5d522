"""The services refuse bad input with the field named and save nothing; an adopted plan changes only
through an amendment; optimistic locking; executions beyond the amount in force need a reason."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.action_plans.choices import ActivityStatus, PlanStatus
from apps.action_plans.models import Activity, BudgetCode, BudgetLine, Execution, PlanVersion
from apps.action_plans.services import budget as budget_services
from apps.action_plans.services import plans as plan_services
from apps.action_plans.services import structure as structure_services
from apps.core.choices import AuditAction, Role
from apps.core.locking import VersionConflict
from apps.core.models import AuditEntry

from .conftest import line_values


def refused(field, call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    return info.value


def adopt(plan, user):
    plan = plan_services.plan_advance(user=user, plan=plan, expected_version=plan.version,
                                      consultation_from=date(2026, 11, 1), consultation_until=date(2026, 12, 1))
    return plan_services.plan_advance(user=user, plan=plan, expected_version=plan.version,
                                      decision_number="06-123/2026", decision_date=date(2026, 12, 20))


def test_end_before_start_is_refused_and_nothing_saved(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    before = Activity.objects.count()
    refused("ends_on", structure_services.activity_create, user=world.users[Role.COORDINATOR], measure=measure,
            title="X", owner_institution=world.csr_a, starts_on=date(2027, 5, 1), ends_on=date(2027, 4, 1))
    assert Activity.objects.count() == before


def test_owner_outside_the_municipality_is_refused(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    refused("owner_institution", structure_services.activity_create, user=world.users[Role.COORDINATOR], measure=measure,
            title="X", owner_institution=world.csr_b, starts_on=date(2027, 5, 1), ends_on=date(2027, 6, 1))


def test_negative_amount_and_unknown_konto_are_refused(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    user = world.users[Role.COORDINATOR]
    count = BudgetLine.objects.count()
    refused("planned", budget_services.line_create, user=user, activity=activities[0], **line_values(planned=Decimal("-1")))
    error = refused("konto", budget_services.line_create, user=user, activity=activities[0], **line_values(konto="999"))
    assert "2027" in error.message_dict["konto"][0]
    # A konto of 2028's list only is unknown in 2027.
    BudgetCode.objects.create(year=2028, kind="economic", code="426", name="Materijal", name_cyrl="Материјал")
    refused("konto", budget_services.line_create, user=user, activity=activities[0], **line_values(konto="426"))
    budget_services.line_create(user=user, activity=activities[0], **line_values(year=2028, konto="426"))
    refused("programme_activity", budget_services.line_create, user=user, activity=activities[0],
            **line_values(programme_activity="0902-0001"))
    assert BudgetLine.objects.count() == count + 1


def test_a_code_list_of_one_year_never_changes_another_years_figures(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    from apps.action_plans.selectors.totals import summary

    before = summary(plan, 2027)
    names_before = before.rows[0].konto_name
    budget_services.code_save(user=world.platform_admin, year=2028, kind="economic", code="423",
                              name="Drugo ime", name_cyrl="Друго име")
    after = summary(plan, 2027)
    assert after.rows[0].konto_name == names_before
    assert after.total == before.total


def test_execution_beyond_the_amount_in_force_needs_a_reason(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    user, line = world.users[Role.COORDINATOR], lines[0]  # 150000.10 planned
    budget_services.execution_record(user=user, line=line, executed_on=date(2027, 3, 1), document="1/2027",
                                     amount=Decimal("150000.00"))
    refused("over_reason", budget_services.execution_record, user=user, line=line, executed_on=date(2027, 4, 1),
            document="2/2027", amount=Decimal("0.11"))
    assert Execution.objects.filter(line=line).count() == 1
    budget_services.execution_record(user=user, line=line, executed_on=date(2027, 4, 1), document="2/2027",
                                     amount=Decimal("0.11"), over_reason="Hitna nabavka (test)")
    # A rebalans raises the amount in force: no reason needed up to it.
    line.refresh_from_db()
    budget_services.line_update(user=user, line=line, expected_version=line.version, amended=Decimal("200000.00"))
    execution = budget_services.execution_record(user=user, line=line, executed_on=date(2027, 5, 1), document="3/2027",
                                                 amount=Decimal("100.00"))
    assert execution.over_reason == ""
    refused("amount", budget_services.execution_record, user=user, line=line, executed_on=date(2027, 5, 1),
            document="4/2027", amount=Decimal("-5"))
    refused("executed_on", budget_services.execution_record, user=user, line=line, executed_on=date(2028, 1, 5),
            document="4/2027", amount=Decimal("5"))


def test_an_adopted_plan_changes_only_through_a_recorded_amendment(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    user = world.users[Role.COORDINATOR]
    plan = adopt(plan, user)
    assert plan.status == PlanStatus.ADOPTED
    assert PlanVersion.objects.get(plan=plan, number=1).snapshot["budget"]["2027"]["planned"] == "500000.35"
    with pytest.raises(ValidationError):
        structure_services.goal_create(user=user, plan=plan, title="Novi cilj")
    with pytest.raises(ValidationError):
        budget_services.line_create(user=user, activity=activities[0], **line_values())
    # Rebalans and execution do not need an amendment.
    line = lines[0]
    budget_services.line_update(user=user, line=line, expected_version=line.version, amended=Decimal("160000.00"))
    amendment = plan_services.amendment_open(user=user, plan=plan, reason="Rebalans budžeta (test)")
    structure_services.goal_create(user=user, plan=plan, title="Novi cilj")
    version = plan_services.amendment_close(user=user, plan=plan)
    assert version.number == amendment.number == 2 and version.snapshot["goals"] == 2
    with pytest.raises(ValidationError):
        structure_services.goal_create(user=user, plan=plan, title="Još jedan")


def test_adoption_needs_the_decision(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    user = world.users[Role.COORDINATOR]
    refused("consultation_until", plan_services.plan_advance, user=user, plan=plan, expected_version=plan.version,
            consultation_from=date(2026, 12, 1))
    plan = plan_services.plan_advance(user=user, plan=plan, expected_version=plan.version,
                                      consultation_from=date(2026, 11, 1), consultation_until=date(2026, 12, 1))
    refused("decision_number", plan_services.plan_advance, user=user, plan=plan, expected_version=plan.version,
            decision_date=date(2026, 12, 20))
    assert plan.status == PlanStatus.CONSULTATION


def test_optimistic_locking_on_plans_activities_and_lines(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    user = world.users[Role.COORDINATOR]
    stale = plan.version
    plan_services.plan_update(user=user, plan=plan, expected_version=stale, title="Prvi")
    with pytest.raises(VersionConflict):
        plan_services.plan_update(user=user, plan=plan, expected_version=stale, title="Drugi")
    activity = activities[0]
    structure_services.activity_update(user=user, activity=activity, expected_version=activity.version, title="A")
    with pytest.raises(VersionConflict):
        structure_services.activity_update(user=user, activity=activity, expected_version=1, title="B")
    line = lines[0]
    budget_services.line_update(user=user, line=line, expected_version=1, committed=Decimal("10.00"))
    with pytest.raises(VersionConflict):
        budget_services.line_update(user=user, line=line, expected_version=1, committed=Decimal("20.00"))


def test_cancelling_needs_a_reason_and_every_change_is_audited(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    user = world.users[Role.COORDINATOR]
    activity = activities[0]
    refused("cancel_reason", structure_services.activity_set_status, user=user, activity=activity,
            expected_version=activity.version, status=ActivityStatus.CANCELLED)
    structure_services.activity_set_status(user=user, activity=activity, expected_version=activity.version,
                                           status=ActivityStatus.CANCELLED, cancel_reason="Nema sredstava (test)")
    assert AuditEntry.objects.filter(object_type="action_plans.activity", object_id=str(activity.pk),
                                     action=AuditAction.UPDATE).exists()
    assert AuditEntry.objects.filter(object_type="action_plans.budgetline", action=AuditAction.CREATE).count() == 3


def test_amounts_are_decimals_never_floats(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    line = BudgetLine.objects.get(pk=lines[0].pk)
    assert isinstance(line.planned, Decimal) and line.planned == Decimal("150000.10")
    refused("planned", budget_services.line_create, user=world.users[Role.COORDINATOR], activity=activities[0],
            **line_values(planned=150000.1))
