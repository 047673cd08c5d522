"""The individual protection and support plan: adopting, editing, adding measures, their status."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.service_errors import apply_service_errors, as_seen, conflict_context, snapshot

from ..forms_measures import (
    PlanEditForm,
    PlanForm,
    PlanMeasureForm,
    PlanMeasureStatusForm,
)
from ..models import (
    Case,
    CaseParticipant,
    PlanMeasure,
    ProtectionPlan,
)
from ..services import plans as plan_services
from .base import CaseFormView, CaseView
from .deadline_rows import plan_measure_row_for

# --- the plan -------------------------------------------------------------------------------------


def team_institution_ids(case: Case) -> list[int]:
    """The lead institution and the institutions currently on the case team."""
    ids = set(CaseParticipant.objects.filter(case=case, ended_at__isnull=True).values_list("institution_id", flat=True))
    ids.add(case.lead_institution_id)
    return sorted(ids)


class PlanCreateView(CaseFormView):
    """Adopt a new individual protection and support plan."""

    template_name = "cases/measures/form.html"
    form_class = PlanForm
    title = _("New protection and support plan")
    section = "plan"
    team_only = True
    draft_form = "plan_create"

    def form_context_kwargs(self):
        return {}

    def get_initial(self):
        return {**super().get_initial(), "adopted_at": timezone.localdate()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["replaces_plan"] = ProtectionPlan.objects.visible_to(self.request.user).filter(case=self.case, is_active=True).first()
        return ctx

    def save(self, form):
        d = form.cleaned_data
        plan_services.plan_create(
            user=self.request.user, case=self.case, victim_participated=d["victim_participated"],
            victim_signed=d["victim_signed"], monitoring=d["monitoring"], next_review=d["next_review"],
            adopted_at=d["adopted_at"],
        )
        return self.success(_("The plan is adopted. Add its protection and support measures."))


class PlanFormView(CaseFormView):
    """A form about the plan of the URL (read inside the case of the URL, else 404)."""

    template_name = "cases/measures/form.html"
    section = "plan"
    team_only = True
    draft_form = "plan_edit"

    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        self.plan = self.case_row(ProtectionPlan, kwargs["plan_pk"])

    def get_plan(self):
        return self.plan

    def draft_object(self):
        return self.get_plan()


class PlanEditView(PlanFormView):
    """Edit the plan (refused with what changed if someone saved it meanwhile)."""

    form_class = PlanEditForm
    title = _("Edit the protection and support plan")

    def form_context_kwargs(self):
        return {}

    def get_initial(self):
        plan = self.get_plan()
        return {**{name: getattr(plan, name) for name in plan_services.PLAN_FIELDS}, "version": plan.version}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = kwargs.get("conflict").current if kwargs.get("conflict") else self.get_plan()
        ctx["snapshot"] = snapshot(plan, plan_services.PLAN_FIELDS)
        return ctx

    def save(self, form):
        d = form.cleaned_data
        plan = self.get_plan()
        seen = as_seen(plan, self.request.POST.get("snapshot"))
        changes = {name: d[name] for name in plan_services.PLAN_FIELDS}
        plan_services.plan_update(user=self.request.user, plan=seen, expected_version=d["version"], **changes)
        return self.success(_("The plan is saved."))


class PlanMeasureAddView(PlanFormView):
    """Add a protection or support measure to the plan."""

    form_class = PlanMeasureForm
    title = _("Add a measure to the plan")

    def form_context_kwargs(self):
        return {"user": self.request.user, "case": self.case, "team_ids": team_institution_ids(self.case)}

    def save(self, form):
        d = form.cleaned_data
        plan_services.plan_measure_add(
            user=self.request.user, plan=self.get_plan(), kind=d["kind"], description=d["description"],
            owner_institution=d["owner_institution"], deadline=d["deadline"], for_person=d["for_person"],
            responsible_person=d["responsible_person"],
        )
        return self.success(_("The measure is added to the plan."))


class PlanMeasureUpdateView(CaseView, View):
    """Change a plan measure's status (done records when); a conflict shows what changed."""

    section = "plan"
    action = "change"
    team_only = True
    template_name = "cases/measures/plan_measure_status.html"

    def post(self, request, *args, **kwargs):
        measure = self.case_row(PlanMeasure, kwargs["measure_pk"], select_related=("owner_institution", "for_person"))
        form = PlanMeasureStatusForm(request.POST)
        conflict = None
        if form.is_valid():
            seen = as_seen(measure, request.POST.get("snapshot"))
            try:
                plan_services.plan_measure_update_status(
                    user=request.user, measure=seen, status=form.cleaned_data["status"],
                    expected_version=form.cleaned_data["version"],
                )
                return self.success(_("The measure's status is saved."))
            except ValidationError as exc:
                conflict = apply_service_errors(form, exc)
                if conflict is not None:
                    measure = conflict.current
        row = plan_measure_row_for(measure, timezone.now())
        return TemplateResponse(
            request,
            self.template_name,
            {
                "case": self.case,
                "row": row,
                "form": form,
                **conflict_context(conflict),
                "snapshot": snapshot(measure, ("status", "completed_at", *plan_services.MEASURE_FIELDS)),
                "back_url": self.detail_url(),
            },
        )
