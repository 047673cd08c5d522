"""The action plan benchmark: the execution table of a plan with 200 activities and 1,000 budget lines
(2,000 executions), rendered for its official through the full request (middleware, row-level security,
access context, audit), timed, with the number of statements."""
from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.services import membership_create
from apps.action_plans.models import Activity, BudgetLine, Execution, Goal, Measure, Plan
from apps.action_plans.services.budget import codes_seed
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.institutions.services import institution_create
from apps.municipalities.choices import SizeClass
from apps.municipalities.services import municipality_create

YEAR = 2027
PROGRAMME_ACTIVITIES = ("0901-0001", "0901-0003", "0901-0006", "0901-P1")
KONTOS = ("423", "424", "426", "472", "481")
SOURCES = ("01", "05", "06", "07", "56")


def build(activities: int = 200, lines: int = 1000, executions_per_line: int = 2):
    """A plan of a new municipality of that size; returns (plan, official)."""
    User = get_user_model()
    municipality = municipality_create(name="Benčmarkovac", name_cyrl="Бенчмарковац", code="BNC", slug="bencmarkovac",
                                       kind="municipality", district="Test", population=50000, size_class=SizeClass.SMALL)
    institutions = [institution_create(municipality=municipality, type=InstitutionType.CSR, name=f"Institucija {i} (bench)")
                    for i in range(5)]
    official = User.objects.create(username="bench.official", email="bench.official@bench.kzn.example",
                                   first_name="Bench", last_name="Official")
    membership_create(user=official, institution=institutions[0], role=Role.OFFICIAL)
    codes_seed(years=[YEAR])
    m = municipality.pk
    plan = Plan.objects.create(municipality_id=m, title="Plan (bench)", title_cyrl="План (bench)", period_from=YEAR,
                               period_to=YEAR + 3, status="implementation")
    goals = Goal.objects.bulk_create([Goal(municipality_id=m, plan=plan, number=i + 1, title=f"Cilj {i + 1}") for i in range(10)])
    measures = Measure.objects.bulk_create([
        Measure(municipality_id=m, plan=plan, goal=goals[i // 4], number=i % 4 + 1, title=f"Mera {i + 1}",
                programme_activity=PROGRAMME_ACTIVITIES[i % 4]) for i in range(40)])
    acts = Activity.objects.bulk_create([
        Activity(municipality_id=m, plan=plan, measure=measures[i // 5], number=i % 5 + 1, title=f"Aktivnost broj {i + 1} (bench)",
                 owner_institution=institutions[i % 5], starts_on=date(YEAR, 1, 1), ends_on=date(YEAR, 12, 31))
        for i in range(activities)])
    rows = BudgetLine.objects.bulk_create([
        BudgetLine(municipality_id=m, plan=plan, activity=acts[i % activities], year=YEAR, programme="0901",
                   programme_activity=PROGRAMME_ACTIVITIES[i % 4], function="090", konto=KONTOS[i % 5], source=SOURCES[i % 5],
                   planned=Decimal("100000.00") + i, amended=None if i % 7 else Decimal("120000.00") + i)
        for i in range(lines)])
    Execution.objects.bulk_create([
        Execution(municipality_id=m, plan=plan, line=row, executed_on=date(YEAR, (k * 5) % 12 + 1, 15),
                  document=f"Nalog {row.pk}-{k}", amount=Decimal("1234.56"))
        for row in rows for k in range(executions_per_line)])
    # As autovacuum would after a load of this size: the planner's statistics of the new rows.
    with connection.cursor() as cursor:
        for table in ("action_plans_plan", "action_plans_activity", "action_plans_budgetline", "action_plans_execution"):
            cursor.execute(f"ANALYZE {table}")
    return plan, official


def _client(user) -> Client:
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.cookies["kzn_language"] = "sr-latn"
    return client


def measure(runs: int = 20, log=print) -> dict:
    """Build the plan inside a transaction that is rolled back, and time the execution table."""
    with transaction.atomic():
        plan, official = build()
        client = _client(official)
        url = reverse("action_plans:budget", kwargs={"pk": plan.pk}) + f"?year={YEAR}"
        for _ in range(3):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        transaction.set_rollback(True)
    result = {"activities": 200, "lines": 1000, "executions": 2000, "runs": runs,
              "median_ms": round(statistics.median(times), 1), "p95_ms": round(sorted(times)[int(runs * 0.95) - 1], 1),
              "max_ms": round(max(times), 1), "queries": len(queries), "bytes": len(response.content)}
    log(f"Execution table, 200 activities / 1,000 lines / 2,000 executions: median {result['median_ms']} ms, "
        f"p95 {result['p95_ms']} ms, max {result['max_ms']} ms, {result['queries']} statements, "
        f"{result['bytes']:,} bytes")
    return result
