"""Budget pages: the plan's execution table with its totals and chart, adding and changing budget
lines, recording executions."""
from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.jinja_env import render_fragment
from apps.core.views_scoped import ScopedObjectView

from .. import rules
from ..forms import BudgetLineForm, ExecutionForm
from ..models import Activity, BudgetLine, Plan
from ..selectors.chart import execution_chart
from ..selectors.exports import TABLES
from ..selectors.money import money_formatter
from ..selectors.totals import monthly_execution, summary
from ..services import budget as budget_services
from .base import ObjectFormView

LINES_TEMPLATE = "action_plans/lines_rows.html"


def table_labels() -> list[tuple[str, str]]:
    """The exportable tables with their names in the reader's language."""
    labels = {"lines": _("Budget lines"), "programme": _("Per programme activity or project"),
              "source": _("Per funding source"), "institution": _("Per owner institution")}
    return [(name, labels[name]) for name in TABLES]


def chosen_year(plan: Plan, value) -> int | None:
    """The year asked for (?year=2027, or "all"); by default the current year inside the period."""
    if value == "all":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = timezone.localdate().year
    return min(max(year, plan.period_from), plan.period_to)


class BudgetView(ScopedObjectView, View):
    """Planned against executed: every line, and the totals per programme activity, funding source and
    owner institution, with the chart of execution over the year."""

    model = Plan
    action = "view"
    select_related = ("municipality",)

    def get(self, request, pk):
        plan = self.get_scoped_object()
        year = chosen_year(plan, request.GET.get("year"))
        data = summary(plan, year)
        chart = execution_chart(monthly_execution(plan, year), data.total.current) if year else None
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=plan, details={"view": "budget", "year": year})
        # The 1,000-row table through the compiled template (apps/core/jinja_env.py), amounts formatted once.
        activity_url = reverse("action_plans:activity_detail", kwargs={"pk": 0})[:-2]
        rows = render_fragment(LINES_TEMPLATE, {"rows": data.rows, "money": money_formatter(), "activity_url": activity_url,
                                                "language": translation.get_language()})
        return render(request, "action_plans/budget.html", {
            "plan": plan, "year": year, "years": plan.years, "data": data, "chart": chart, "tables": table_labels(),
            "year_param": year or "all", "line_rows": rows,
        })


class LineAddView(ObjectFormView):
    """Add a budget line to an activity (the coordinator)."""

    model = Activity
    form_class = BudgetLineForm
    heading = _("Add a budget line")
    success_message = _("The budget line is added.")

    select_related = ("plan", "measure")

    def get_form_kwargs(self):
        return {"creating": True}

    def get_initial(self):
        activity = self.get_scoped_object()
        year = min(max(timezone.localdate().year, activity.plan.period_from), activity.plan.period_to)
        return {"year": year, "programme_activity": activity.measure.programme_activity,
                "programme": activity.measure.programme_activity[:4]}

    def save(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        return budget_services.line_create(user=self.request.user, activity=self.get_scoped_object(), **data)


class LineEditView(ObjectFormView):
    """Change a budget line (optimistic locking; the rebalans and committed amounts also on an adopted
    plan, the rest within an amendment)."""

    model = BudgetLine
    form_class = BudgetLineForm
    heading = _("Edit the budget line")
    success_message = _("The budget line is saved.")
    select_related = ("plan", "activity", "activity__plan")

    def get_initial(self):
        line = self.get_scoped_object()
        return {f: getattr(line, f) for f in (*budget_services.LINE_FIELDS, "version")}

    def save(self, form):
        line = self.get_scoped_object()
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if data.get("committed") is None:
            data["committed"] = line.committed
        changed = {k: v for k, v in data.items() if getattr(line, k) != v}
        return budget_services.line_update(user=self.request.user, line=line, expected_version=version, **changed)


class ExecutionAddView(ObjectFormView):
    """Record a payment against a budget line (the coordinator or the owner institution's staff)."""

    model = BudgetLine
    action = rules.REPORT
    form_class = ExecutionForm
    heading = _("Record an execution")
    success_message = _("The execution is recorded.")
    select_related = ("plan", "activity")

    def context(self, form, conflict=None):
        line = self.get_scoped_object()
        executed = budget_services.executed_total(line)
        return {**super().context(form, conflict), "line": line, "executed": executed,
                "remaining": line.current_amount - executed}

    def save(self, form):
        return budget_services.execution_record(user=self.request.user, line=self.get_scoped_object(), **form.cleaned_data)
