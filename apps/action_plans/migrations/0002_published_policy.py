"""Published plans are readable across municipalities: a second, read-only row-level security policy.

The tenant policy (``kzn_tenant``, apps/core/rls_schema.py) admits the rows of the user's own
municipalities. A municipality may publish its plan (``Plan.is_published``); this migration adds
one permissive SELECT policy, ``kzn_published``, on the plan and on every table of a plan's rows, that
admits a row of a published plan to any signed-in user (``kzn_user_id()`` set). It never admits a
write, nor anything to a request without a user or to a platform job without one, and never the
alerts table. apps/action_plans/rules.py states the same rule for the querysets.
"""
from django.db import migrations

POLICY = "kzn_published"
PLAN = "action_plans_plan"
CHILDREN = (
    "action_plans_strategicdocument", "action_plans_planversion", "action_plans_goal", "action_plans_measure",
    "action_plans_activity", "action_plans_activitypartner", "action_plans_indicator",
    "action_plans_indicatortarget", "action_plans_indicatorvalue", "action_plans_progressreport",
    "action_plans_budgetline", "action_plans_execution",
)


def _create():
    statements = [
        f"CREATE POLICY {POLICY} ON {PLAN} FOR SELECT USING (is_published AND kzn_user_id() IS NOT NULL)",
    ]
    for table in CHILDREN:
        statements.append(
            f"CREATE POLICY {POLICY} ON {table} FOR SELECT USING (kzn_user_id() IS NOT NULL AND EXISTS "
            f"(SELECT 1 FROM {PLAN} p WHERE p.id = {table}.plan_id AND p.is_published))"
        )
    return ";\n".join(statements)


def _drop():
    return ";\n".join(f"DROP POLICY IF EXISTS {POLICY} ON {table}" for table in (PLAN, *CHILDREN))


class Migration(migrations.Migration):
    dependencies = [
        ("action_plans", "0001_initial"),
        ("core", "0005_row_level_security"),
    ]

    operations = [migrations.RunSQL(_create(), _drop())]
