"""The action plans API: creating through the services, If-Match on versioned records, refusals naming
the field, decimal strings for amounts, another municipality's unpublished plan answering 404."""
from decimal import Decimal

from apps.action_plans.models import BudgetLine
from apps.core.choices import Role


def test_budget_lines_through_the_api(plan_world, token_client):
    world, plan, goal, measure, activities, lines = plan_world
    client = token_client(world.users[Role.COORDINATOR])
    body = {"activity": activities[0].pk, "year": 2027, "programme": "0901", "programme_activity": "0901-0001",
            "function": "090", "konto": "999", "source": "01", "planned": "1000.10"}
    response = client.post("/api/v1/budget-lines/", body, format="json")
    assert response.status_code == 400 and "konto" in response.json()
    response = client.post("/api/v1/budget-lines/", {**body, "konto": "424"}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["planned"] == "1000.10" and created["executed"] == "0.00"
    etag = response["ETag"]
    url = f"/api/v1/budget-lines/{created['id']}/"
    assert client.patch(url, {"amended": "900.00"}, format="json").status_code == 428
    response = client.patch(url, {"amended": "900.00"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response.json()["amended"] == "900.00"
    assert client.patch(url, {"amended": "800.00"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    response = client.post("/api/v1/budget-executions/", {"line": created["id"], "executed_on": "2027-03-01",
                                                          "document": "1/2027", "amount": "950.00"}, format="json")
    assert response.status_code == 400 and "over_reason" in response.json()
    assert BudgetLine.objects.get(pk=created["id"]).amended == Decimal("900.00")


def test_plans_of_another_municipality(plan_world, token_client):
    world, plan, *_ = plan_world
    outsider = token_client(world.users["other_municipality"][Role.COORDINATOR])
    assert outsider.get(f"/api/v1/action-plans/{plan.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/budget-lines/?plan={plan.pk}").json()["results"] == []
    plan.is_published = True
    plan.save()
    assert outsider.get(f"/api/v1/action-plans/{plan.pk}/").status_code == 200
    assert len(outsider.get(f"/api/v1/budget-lines/?plan={plan.pk}").json()["results"]) == 3
    response = outsider.post("/api/v1/action-plan-goals/", {"plan": plan.pk, "title": "X"}, format="json")
    assert response.status_code == 400 and "plan" in response.json()


def test_the_plan_workflow_over_the_api(plan_world, token_client):
    world, plan, *_ = plan_world
    client = token_client(world.users[Role.COORDINATOR])
    url = f"/api/v1/action-plans/{plan.pk}/"
    etag = client.get(url)["ETag"]
    response = client.post(url + "advance/", {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400 and "consultation_from" in response.json()
    response = client.post(url + "advance/", {"consultation_from": "2026-11-01", "consultation_until": "2026-12-01"},
                           format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response.json()["status"] == "consultation"
