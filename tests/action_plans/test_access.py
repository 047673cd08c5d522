"""Who reads which plan: members of the municipality read theirs; other municipalities only published
ones, through the deliberate read-only policy ``kzn_published`` (row-level security), never a write."""
from decimal import Decimal

from django.urls import reverse

from apps.action_plans.models import BudgetLine, Goal, Plan
from apps.core import tenancy
from apps.core.choices import Role


def test_an_unpublished_plan_is_invisible_to_another_municipality(plan_world, login):
    world, plan, goal, measure, activities, lines = plan_world
    outsider = world.users["other_municipality"][Role.OFFICIAL]
    client = login(outsider)
    assert client.get(reverse("action_plans:plan_detail", kwargs={"pk": plan.pk})).status_code == 404
    assert plan.title not in client.get(reverse("action_plans:plan_list")).content.decode()
    plan.is_published = True
    plan.save()
    assert client.get(reverse("action_plans:plan_detail", kwargs={"pk": plan.pk})).status_code == 200
    assert plan.title in client.get(reverse("action_plans:plan_list")).content.decode()
    assert client.get(reverse("action_plans:budget", kwargs={"pk": plan.pk})).status_code == 200
    # Reading is all: changing stays with the plan's coordinators.
    assert client.get(reverse("action_plans:plan_edit", kwargs={"pk": plan.pk})).status_code == 404
    coordinator_b = login(world.users["other_municipality"][Role.COORDINATOR])
    assert coordinator_b.post(reverse("action_plans:goal_add", kwargs={"pk": plan.pk}), {"title": "X"}).status_code == 404


def test_row_level_security_admits_published_rows_read_only(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    outsider = world.users["other_municipality"][Role.CASEWORKER]
    with tenancy.user_context(outsider):
        # A query written without visible_to still sees nothing of an unpublished plan.
        assert not Plan.objects.filter(pk=plan.pk).exists()
        assert not BudgetLine.objects.filter(plan_id=plan.pk).exists()
    Plan.objects.filter(pk=plan.pk).update(is_published=True)
    with tenancy.user_context(outsider):
        assert Plan.objects.filter(pk=plan.pk).exists()
        assert BudgetLine.objects.filter(plan_id=plan.pk).count() == 3
        assert Goal.objects.filter(plan_id=plan.pk).count() == 1
        # The policy admits reads only: an UPDATE of another municipality's row reaches no row.
        assert BudgetLine.objects.filter(plan_id=plan.pk).update(planned=Decimal("1")) == 0
    with tenancy.tenant_context(tenancy.NOBODY):
        assert not Plan.objects.filter(pk=plan.pk).exists()


def test_owner_institution_staff_report_but_do_not_change_the_plan(plan_world, login):
    world, plan, goal, measure, activities, lines = plan_world
    police = login(world.users["police_caseworker"])
    own, other = activities[1], activities[0]  # the campaign is owned by police A
    assert police.get(reverse("action_plans:progress_report", kwargs={"pk": own.pk})).status_code == 200
    assert police.get(reverse("action_plans:progress_report", kwargs={"pk": other.pk})).status_code == 404
    assert police.get(reverse("action_plans:activity_edit", kwargs={"pk": own.pk})).status_code == 404
    response = police.post(reverse("action_plans:execution_add", kwargs={"pk": lines[2].pk}),
                           {"executed_on": "2027-04-01", "document": "Nalog 7/2027", "amount": "-3"})
    assert response.status_code == 200 and "more than zero" in response.content.decode()
