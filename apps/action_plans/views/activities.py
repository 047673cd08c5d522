"""Activity pages: adding and editing an activity, its status, its quarterly progress reports, and
the plan's indicators with their actual values."""
from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.views_scoped import ScopedObjectView

from .. import rules
from ..forms import ActivityForm, ExecutionForm, IndicatorForm, IndicatorValueForm, ProgressForm, StatusForm
from ..models import Activity, Execution, Goal, Indicator, Measure, Plan
from ..selectors.plans import last_closed_quarter
from ..selectors.totals import Totals, budget_rows
from ..services import structure as structure_services
from .base import ObjectFormView, PlanFormView


class ActivityAddView(PlanFormView):
    """Add an activity to a measure of the plan."""

    form_class = ActivityForm
    heading = _("Add an activity")

    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        self.measure = self.child_row(Measure, kwargs["measure_pk"], parent_field="plan", select_related=("goal",))

    def make_form(self, data=None, files=None):
        form = ActivityForm(data, initial={"version": 1}, user=self.request.user)
        form.fields["version"].required = False
        return form

    def context(self, form, conflict=None):
        return {**super().context(form, conflict), "subheading": str(self.measure)}

    def save(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        return structure_services.activity_create(user=self.request.user, measure=self.measure, **data)

    def success_url(self, result):
        return result.get_absolute_url()


class ActivityDetailView(ScopedObjectView, View):
    """An activity: owner, partners, dates, status, budget lines with executions, progress reports."""

    model = Activity
    action = "view"
    select_related = ("plan", "plan__municipality", "measure", "measure__goal", "owner_institution", "responsible")

    def get(self, request, pk):
        activity = self.get_scoped_object()
        user = request.user
        may_change = Plan.objects.visible_to(user, "change").filter(pk=activity.plan_id).exists()
        may_report = Activity.objects.visible_to(user, rules.REPORT).filter(pk=activity.pk).exists()
        lines = budget_rows(activity.plan, activity_id=activity.pk)
        total = Totals()
        by_line = {}
        for execution in Execution.objects.filter(line__activity=activity).order_by("executed_on", "id"):
            by_line.setdefault(execution.line_id, []).append(execution)
        for line in lines:
            total.add(line)
            line.executions = by_line.get(line.pk, [])
        year, quarter = last_closed_quarter(timezone.localdate())
        audit_log(action=AuditAction.VIEW, actor=user, obj=activity, details={"plan": activity.plan_id})
        return render(request, "action_plans/activity_detail.html", {
            "activity": activity, "plan": activity.plan, "lines": lines, "total": total,
            "partners": [p.institution for p in activity.partners.select_related("institution")],
            "reports": list(activity.reports.select_related("submitted_by")),
            "may_change": may_change, "may_report": may_report, "today": timezone.localdate(),
            "status_form": StatusForm(initial={"status": activity.status, "version": activity.version}) if may_report else None,
            "progress_form": ProgressForm(initial={"year": year, "quarter": quarter, "status": activity.status},
                                          indicators=list(Indicator.objects.visible_to(user).filter(measure_id=activity.measure_id)))
            if may_report else None,
            "execution_form": ExecutionForm() if may_report else None,
        })


class ActivityEditView(ObjectFormView):
    """Change an activity (optimistic locking; on an adopted plan within an amendment)."""

    model = Activity
    form_class = ActivityForm
    heading = _("Edit the activity")
    success_message = _("The activity is saved.")

    def make_form(self, data=None, files=None):
        activity = self.get_scoped_object()
        initial = {f: getattr(activity, f) for f in ("title", "owner_institution", "starts_on", "ends_on", "event_kind", "version")}
        initial["partners"] = [p.institution_id for p in activity.partners.all()]
        form = ActivityForm(data, initial=initial, user=self.request.user)
        if activity.responsible_id:
            form.initial["responsible"] = form.fields["responsible"].queryset.filter(user_id=activity.responsible_id).first()
        return form

    def save(self, form):
        data = dict(form.cleaned_data)
        version, partners = data.pop("version"), data.pop("partners")
        return structure_services.activity_update(user=self.request.user, activity=self.get_scoped_object(),
                                                  expected_version=version, partners=partners, **data)


class ActivityStatusView(ObjectFormView):
    """Record where the activity stands (the owner institution's staff or the coordinator)."""

    model = Activity
    action = rules.REPORT
    form_class = StatusForm
    heading = _("Status of the activity")
    success_message = _("The status is recorded.")

    def get_initial(self):
        activity = self.get_scoped_object()
        return {"status": activity.status, "version": activity.version, "cancel_reason": activity.cancel_reason}

    def save(self, form):
        data = form.cleaned_data
        return structure_services.activity_set_status(
            user=self.request.user, activity=self.get_scoped_object(), expected_version=data["version"],
            status=data["status"], cancel_reason=data["cancel_reason"])


class ProgressReportView(ObjectFormView):
    """The quarterly progress report of the activity."""

    model = Activity
    action = rules.REPORT
    form_class = ProgressForm
    heading = _("Quarterly progress report")
    success_message = _("The progress report is saved.")

    def get_initial(self):
        year, quarter = last_closed_quarter(timezone.localdate())
        return {"year": year, "quarter": quarter, "status": self.get_scoped_object().status}

    def get_form_kwargs(self):
        return {"indicators": list(Indicator.objects.visible_to(self.request.user).filter(measure_id=self.get_scoped_object().measure_id))}

    def save(self, form):
        data = {k: form.cleaned_data[k] for k in ("year", "quarter", "status", "narrative", "spending")}
        return structure_services.progress_report_submit(user=self.request.user, activity=self.get_scoped_object(),
                                                         indicator_values=form.indicator_values(), **data)


class IndicatorAddView(PlanFormView):
    """Add an indicator to a goal or a measure, with a target for each year of the plan."""

    form_class = IndicatorForm
    heading = _("Add an indicator")

    def get_form_kwargs(self):
        plan = self.get_scoped_object()
        return {"plan": plan, "goals": list(Goal.objects.filter(plan=plan).prefetch_related("measures"))}

    def save(self, form):
        plan = self.get_scoped_object()
        data = form.cleaned_data
        attach = data["attach"]
        goal = measure = None
        if attach.startswith("g"):
            goal = self.child_row(Goal, attach[1:], parent_field="plan")
        else:
            measure = self.child_row(Measure, attach[1:], parent_field="plan")
        return structure_services.indicator_create(
            user=self.request.user, plan=plan, goal=goal, measure=measure, name=data["name"], unit=data["unit"],
            baseline=data["baseline"], baseline_year=data["baseline_year"], source=data["source"], targets=form.targets())


class IndicatorValueView(ObjectFormView):
    """Record the actual value of an indicator for a quarter (the coordinator)."""

    model = Indicator
    form_class = IndicatorValueForm
    heading = _("Actual value of the indicator")
    success_message = _("The value is recorded.")

    def get_initial(self):
        year, quarter = last_closed_quarter(timezone.localdate())
        return {"year": year, "quarter": quarter}

    def back_url(self):
        return self.get_scoped_object().plan.get_absolute_url()

    def save(self, form):
        return structure_services.indicator_value_record(user=self.request.user, indicator=self.get_scoped_object(),
                                                         **form.cleaned_data)
