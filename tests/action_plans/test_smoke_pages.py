"""Every page of a plan answers for its coordinator (the page tests go deeper)."""
from django.urls import reverse

from apps.core.choices import Role


def test_coordinator_pages_render(plan_world, login):
    world, plan, goal, measure, activities, lines = plan_world
    client = login(world.users[Role.COORDINATOR])
    urls = [
        reverse("action_plans:plan_list"), reverse("action_plans:plan_create"),
        reverse("action_plans:plan_detail", kwargs={"pk": plan.pk}),
        reverse("action_plans:plan_edit", kwargs={"pk": plan.pk}),
        reverse("action_plans:plan_advance", kwargs={"pk": plan.pk}),
        reverse("action_plans:document_add", kwargs={"pk": plan.pk}),
        reverse("action_plans:activity_add", kwargs={"pk": plan.pk, "measure_pk": measure.pk}),
        reverse("action_plans:indicator_add", kwargs={"pk": plan.pk}),
        reverse("action_plans:budget", kwargs={"pk": plan.pk}) + "?year=2027",
        reverse("action_plans:budget", kwargs={"pk": plan.pk}) + "?year=all",
        reverse("action_plans:import", kwargs={"pk": plan.pk}),
        reverse("action_plans:activity_detail", kwargs={"pk": activities[0].pk}),
        reverse("action_plans:activity_edit", kwargs={"pk": activities[0].pk}),
        reverse("action_plans:activity_status", kwargs={"pk": activities[0].pk}),
        reverse("action_plans:progress_report", kwargs={"pk": activities[0].pk}),
        reverse("action_plans:line_add", kwargs={"pk": activities[0].pk}),
        reverse("action_plans:line_edit", kwargs={"pk": lines[0].pk}),
        reverse("action_plans:execution_add", kwargs={"pk": lines[0].pk}),
        reverse("action_plans:codes"),
        reverse("action_plans:export", kwargs={"pk": plan.pk, "name": "lines", "fmt": "xlsx"}),
        reverse("action_plans:export", kwargs={"pk": plan.pk, "name": "source", "fmt": "csv"}),
        reverse("action_plans:sample", kwargs={"fmt": "xlsx"}),
        reverse("action_plans:pdf", kwargs={"pk": plan.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
