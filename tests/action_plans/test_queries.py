"""The execution table costs the same number of statements for 3 lines as for 60 (CI checks counts, not
times; the timing is ``manage.py bench_action_plans``, README "Action plans")."""
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.action_plans.models import BudgetLine, Execution
from apps.core.choices import Role


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_execution_table_costs_a_fixed_number_of_statements(plan_world, login):
    world, plan, goal, measure, activities, lines = plan_world
    client = login(world.users[Role.OFFICIAL])
    url = reverse("action_plans:budget", kwargs={"pk": plan.pk}) + "?year=2027"
    client.get(url)
    few = _count(client, url)
    rows = BudgetLine.objects.bulk_create([
        BudgetLine(municipality_id=plan.municipality_id, plan=plan, activity=activities[i % 2], year=2027, programme="0901",
                   programme_activity="0901-0001", function="090", konto="423", source="01", planned=Decimal("10.00"))
        for i in range(57)])
    Execution.objects.bulk_create([
        Execution(municipality_id=plan.municipality_id, plan=plan, line=row, executed_on=date(2027, 3, 1), document="x",
                  amount=Decimal("1.00")) for row in rows])
    assert _count(client, url) == few
    assert few <= 20
    for name in ("lines", "source"):
        export = reverse("action_plans:export", kwargs={"pk": plan.pk, "name": name, "fmt": "csv"}) + "?year=2027"
        assert _count(client, export) <= 20
