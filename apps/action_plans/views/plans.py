"""Plan pages: the list, starting a plan, the plan with its structure, editing, the status workflow,
publishing, amendments and strategic documents."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.service_errors import apply_service_errors
from apps.core.tenant_models import municipality_model
from apps.core.views_scoped import ScopedObjectView, ScopedView

from .. import rules
from ..choices import NEXT_STATUS, PlanStatus
from ..forms import AdvanceForm, AmendmentForm, DocumentForm, GoalForm, MeasureForm, PlanCreateForm, PlanForm
from ..models import Goal, Plan, PlanVersion
from ..selectors.plans import indicator_status, plan_lists, plan_tree
from ..selectors.totals import summary
from ..services import plans as plan_services
from ..services import structure as structure_services
from ..services.common import open_amendment
from .base import PlanFormView


class PlanListView(ScopedView, View):
    """The plans of the user's municipalities, and the plans other municipalities published."""

    def get(self, request):
        own, published = plan_lists(request.user)
        may_create = bool(rules.manager_municipality_ids(request.user.access))
        return render(request, "action_plans/plan_list.html", {"own": own, "published": published, "may_create": may_create})


class PlanCreateView(ScopedView, View):
    """A coordinator starts a draft plan of their municipality."""

    def municipalities(self):
        ids = rules.manager_municipality_ids(self.request.user.access)
        if not ids:
            raise Http404
        return list(municipality_model().objects.filter(pk__in=sorted(ids)).order_by("name"))

    def get(self, request):
        year = timezone.localdate().year + 1
        form = PlanCreateForm(initial={"period_from": year, "period_to": year + 3}, municipalities=self.municipalities())
        return render(request, "action_plans/form.html", {"form": form, "heading": _t("New action plan"),
                                                           "back_url": reverse("action_plans:plan_list")})

    def post(self, request):
        municipalities = {m.pk: m for m in self.municipalities()}
        form = PlanCreateForm(request.POST, municipalities=municipalities.values())
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = plan_services.plan_create(
                    user=request.user, municipality=municipalities[data["municipality"]], title=data["title"],
                    title_cyrl=data["title_cyrl"], period_from=data["period_from"], period_to=data["period_to"],
                    general_goal=data["general_goal"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The draft plan is started."))
                return HttpResponseRedirect(plan.get_absolute_url())
        return render(request, "action_plans/form.html", {"form": form, "heading": _t("New action plan"),
                                                           "back_url": reverse("action_plans:plan_list")})


class PlanDetailView(ScopedObjectView, View):
    """The plan: status, documents, versions, goals -> measures -> activities, indicators, budget total."""

    model = Plan
    action = "view"
    select_related = ("municipality", "coordinator")

    def get(self, request, pk):
        plan = self.get_scoped_object()
        may_change = Plan.objects.visible_to(request.user, "change").filter(pk=plan.pk).exists()
        goals = plan_tree(plan)
        for goal in goals:
            for indicator in goal.indicators.all():
                indicator.status = indicator_status(indicator)
            for measure in goal.measures.all():
                for indicator in measure.indicators.all():
                    indicator.status = indicator_status(indicator)
        amendment = open_amendment(plan) if plan.is_adopted else None
        editable = may_change and (not plan.is_adopted or amendment is not None)
        next_status = NEXT_STATUS.get(plan.status)
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=plan, details={"view": "plan_detail"})
        return render(request, "action_plans/plan_detail.html", {
            "plan": plan, "goals": goals, "may_change": may_change, "editable": editable,
            "amendment": amendment, "versions": list(PlanVersion.objects.filter(plan=plan)),
            "documents": list(plan.documents.all()), "budget": summary(plan), "today": timezone.localdate(),
            "next_status": next_status, "next_label": PlanStatus(next_status).label if next_status else "",
            "advance_form": AdvanceForm(initial={"version": plan.version}) if may_change and next_status else None,
            "goal_form": GoalForm(), "measure_form": MeasureForm(), "document_form": DocumentForm(),
            "amendment_form": AmendmentForm() if may_change and plan.is_adopted and amendment is None else None,
        })


class PlanEditView(PlanFormView):
    """Change the plan's titles, period and general goal (optimistic locking)."""

    form_class = PlanForm
    heading = _("Edit the plan")
    success_message = _("The plan is saved.")

    def get_initial(self):
        plan = self.get_scoped_object()
        return {f: getattr(plan, f) for f in ("title", "title_cyrl", "period_from", "period_to", "general_goal", "version")}

    def save(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return plan_services.plan_update(user=self.request.user, plan=self.get_scoped_object(), expected_version=version, **data)


class PlanAdvanceView(PlanFormView):
    """Move the plan to its next status (consultation dates, assembly decision)."""

    form_class = AdvanceForm
    heading = _("Next step of the plan")
    success_message = _("The plan's status is changed.")

    def get_initial(self):
        return {"version": self.get_scoped_object().version}

    def save(self, form):
        data = dict(form.cleaned_data)
        return plan_services.plan_advance(user=self.request.user, plan=self.get_scoped_object(),
                                          expected_version=data.pop("version"), **data)


class PlanPublishView(ScopedObjectView, View):
    """Publish the plan to the other municipalities, or withdraw it (POST)."""

    model = Plan
    action = "change"

    def post(self, request, pk):
        plan = self.get_scoped_object()
        try:
            plan_services.plan_publish(user=request.user, plan=plan, expected_version=request.POST.get("version"),
                                       published=request.POST.get("published") == "1")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _t("The plan is published.") if plan.is_published else _t("The plan is no longer published."))
        return HttpResponseRedirect(plan.get_absolute_url())


class AmendmentOpenView(PlanFormView):
    """Open a recorded amendment of an adopted plan."""

    form_class = AmendmentForm
    heading = _("Amend the adopted plan")
    success_message = _("The amendment is open: the plan's structure and budget may now change.")

    def save(self, form):
        return plan_services.amendment_open(user=self.request.user, plan=self.get_scoped_object(), **form.cleaned_data)

    def success_url(self, result):
        return self.get_scoped_object().get_absolute_url()


class AmendmentCloseView(ScopedObjectView, View):
    """Close the open amendment, recording the plan as a new version (POST)."""

    model = Plan
    action = "change"

    def post(self, request, pk):
        plan = self.get_scoped_object()
        try:
            version = plan_services.amendment_close(user=request.user, plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _t("Amendment %(n)s is recorded.") % {"n": version.number})
        return HttpResponseRedirect(plan.get_absolute_url())


class DocumentAddView(PlanFormView):
    form_class = DocumentForm
    heading = _("Add a strategic document")

    def save(self, form):
        return plan_services.document_add(user=self.request.user, plan=self.get_scoped_object(), **form.cleaned_data)


class GoalAddView(PlanFormView):
    form_class = GoalForm
    heading = _("Add a specific goal")

    def save(self, form):
        return structure_services.goal_create(user=self.request.user, plan=self.get_scoped_object(), **form.cleaned_data)


class MeasureAddView(PlanFormView):
    """Add a measure to a goal of the plan (the goal read inside the plan)."""

    form_class = MeasureForm
    heading = _("Add a measure")

    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        self.goal = self.child_row(Goal, kwargs["goal_pk"], parent_field="plan")

    def save(self, form):
        return structure_services.measure_create(user=self.request.user, goal=self.goal, **form.cleaned_data)
