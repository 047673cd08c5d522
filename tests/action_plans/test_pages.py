"""Pages: a stale edit shows what changed and saves nothing; platform admins keep the code lists of one
year; an adopted plan refuses structural changes on the page until an amendment is open."""
from datetime import date

from django.urls import reverse

from apps.action_plans.models import BudgetCode, Goal, Plan
from apps.action_plans.services import plans as plan_services
from apps.core.choices import Role

from .test_services import adopt


def test_a_stale_plan_edit_is_a_conflict(plan_world, login):
    world, plan, *_ = plan_world
    client = login(world.users[Role.COORDINATOR])
    plan_services.plan_update(user=world.users[Role.COORDINATOR], plan=plan, expected_version=plan.version, title="Novi naslov")
    response = client.post(reverse("action_plans:plan_edit", kwargs={"pk": plan.pk}), {
        "title": "Moj naslov", "title_cyrl": "Мој наслов", "period_from": 2027, "period_to": 2030, "general_goal": "",
        "version": 1})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).title == "Novi naslov"


def test_platform_admins_keep_one_years_code_list(plan_world, login):
    world, *_ = plan_world
    admin = login(world.platform_admin)
    response = admin.post(reverse("action_plans:codes"), {"year": 2028, "kind": "economic", "code": "426",
                                                          "name": "Materijal", "name_cyrl": "Материјал"})
    assert response.status_code == 302
    assert BudgetCode.objects.filter(year=2028, code="426").exists()
    assert not BudgetCode.objects.filter(year=2027, code="426").exists()
    response = admin.post(reverse("action_plans:codes"), {"year": 2028, "kind": "economic", "code": "42x",
                                                          "name": "X", "name_cyrl": ""})
    assert response.status_code == 200 and BudgetCode.objects.filter(year=2028, code="42X").count() == 0
    admin.post(reverse("action_plans:codes_copy"), {"source_year": 2027, "target_year": 2029})
    assert BudgetCode.objects.filter(year=2029).count() == BudgetCode.objects.filter(year=2027).count()
    coordinator = login(world.users[Role.COORDINATOR])
    assert coordinator.post(reverse("action_plans:codes"), {"year": 2028}).status_code == 404


def test_an_adopted_plan_refuses_a_new_goal_on_the_page(plan_world, login):
    world, plan, *_ = plan_world
    adopt(plan, world.users[Role.COORDINATOR])
    client = login(world.users[Role.COORDINATOR])
    response = client.post(reverse("action_plans:goal_add", kwargs={"pk": plan.pk}), {"title": "Novi cilj"})
    assert response.status_code == 200 and "recorded amendment" in response.content.decode()
    assert Goal.objects.filter(plan=plan).count() == 1
    client.post(reverse("action_plans:amendment_open", kwargs={"pk": plan.pk}),
                {"reason": "Rebalans (test)", "decision_number": "", "decision_date": date(2027, 6, 1).isoformat()})
    assert client.post(reverse("action_plans:goal_add", kwargs={"pk": plan.pk}), {"title": "Novi cilj"}).status_code == 302
    client.post(reverse("action_plans:amendment_close", kwargs={"pk": plan.pk}))
    page = client.get(reverse("action_plans:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert "Amendment 2" in page and "Novi cilj" in page


def test_a_progress_report_records_the_measures_indicator_values(plan_world, login):
    from decimal import Decimal

    from apps.action_plans.models import IndicatorValue, ProgressReport
    from apps.action_plans.services import structure as structure_services

    world, plan, goal, measure, activities, lines = plan_world
    indicator = structure_services.indicator_create(
        user=world.users[Role.COORDINATOR], plan=plan, measure=measure, name="Obučeni", unit="broj",
        baseline=Decimal("0"), baseline_year=2026, source="CSR", targets={2027: Decimal("10")})
    police = login(world.users["police_caseworker"])  # the campaign is owned by police A
    response = police.post(reverse("action_plans:progress_report", kwargs={"pk": activities[1].pk}), {
        "year": 2027, "quarter": 2, "status": "under_way", "narrative": "Plakati podeljeni (test)", "spending": "1500.00",
        f"indicator_{indicator.pk}": "4"})
    assert response.status_code == 302
    assert ProgressReport.objects.get(activity=activities[1]).spending == Decimal("1500.00")
    assert IndicatorValue.objects.get(indicator=indicator, year=2027, quarter=2).value == Decimal("4")
