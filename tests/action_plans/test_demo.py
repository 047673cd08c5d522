"""The demo plans: Kragujevac and Zvezdara adopted, funded and in implementation (lines over at least
three programme activities and three funding sources, executions), Loznica in consultation, Ćuprija
drafting; one late activity and one indicator off track; idempotent."""
from decimal import Decimal

from apps.action_plans import demo
from apps.action_plans.choices import PlanStatus
from apps.action_plans.models import Execution, Plan
from apps.action_plans.selectors.plans import indicator_status, late_activities
from apps.action_plans.selectors.totals import summary
from tests.cases.test_demo import _demo_context

SLUGS = ("kragujevac", "zvezdara", "loznica", "cuprija")


def test_demo_plans_at_their_stages(db):
    context = _demo_context(SLUGS)
    demo.seed(context)
    demo.seed(context)  # idempotent
    plans = {p.municipality.slug: p for p in Plan.objects.select_related("municipality")}
    assert len(plans) == 4
    assert plans["loznica"].status == PlanStatus.CONSULTATION and plans["cuprija"].status == PlanStatus.DRAFT
    late, off = [], []
    for slug in ("kragujevac", "zvezdara"):
        plan = plans[slug]
        assert plan.status == PlanStatus.IMPLEMENTATION and plan.decision_number
        data = summary(plan, plan.period_from)
        assert len(data.by_programme) >= 3 and len(data.by_source) >= 3
        assert data.total.executed > 0 and Execution.objects.filter(plan=plan).exists()
        assert data.total.executed <= data.total.current
        assert data.total.planned == sum((r.planned for r in data.rows), Decimal("0"))
        late += late_activities([plan.pk])
        off += [i for i in plan.indicators.prefetch_related("targets", "values") if indicator_status(i).off_track]
    assert len(late) == 1 and late[0].plan.municipality.slug == "kragujevac"
    assert len(off) == 1 and off[0].plan.municipality.slug == "zvezdara"
    assert plans["kragujevac"].is_published and not plans["zvezdara"].is_published
