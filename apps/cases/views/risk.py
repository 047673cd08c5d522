"""Risk assessments (art. 16 checklist) and the live preview of the level the answers give."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from ..choices import (
    RISK_ORDER,
    Answer,
    RiskLevel,
)
from ..forms_records import (
    RiskAssessmentForm,
)
from ..models import (
    Case,
    RiskAssessment,
)
from ..services.risk import compute_level, current_of, risk_assess
from .base import CaseFormView, CaseView
from .notices import proposed_message

# --- risk assessments -----------------------------------------------------------------------------


def assessment_source(assessment: RiskAssessment) -> str:
    """Who an assessment comes from, as the case page names it: the institution, or the case
    conference that wrote it back from its minutes."""
    if assessment.source == "conference":
        return _("case conference (%(institution)s)") % {"institution": assessment.institution.display_name()}
    return assessment.institution.display_name()


def kept_higher_message(current: RiskAssessment) -> str:
    """A lower assessment without a reason for lowering: the case keeps its current assessment."""
    return _(
        "This assessment is lower than the case's current one, and no reason for lowering was given: the case "
        "stays at “%(level)s” (%(source)s, %(when)s)."
    ) % {
        "level": current.get_level_display(),
        "source": assessment_source(current),
        "when": date_format(timezone.localtime(current.assessed_at), "SHORT_DATETIME_FORMAT"),
    }


def case_current_assessment(user, case: Case) -> RiskAssessment | None:
    """The case's current assessment (services.cases.current_of) among the assessments the user sees."""
    return current_of(
        RiskAssessment.objects.visible_to(user).filter(case_id=case.pk).select_related("institution", "assessor")
    )


def risk_preview_context(form: RiskAssessmentForm, current: RiskAssessment | None = None) -> dict:
    """The level the checklist gives for the answers so far, whether the chosen level is lower, whether
    anything is answered at all, and how the result compares with the case's current assessment."""
    if form.is_bound:
        form.is_valid()  # only to read what was entered; errors are shown when the form is saved
    data = getattr(form, "cleaned_data", {})
    items = form.items() if data else {}
    try:
        computed = compute_level(items, immediate_danger=bool(data.get("immediate_danger")))
    except ValidationError:
        computed = None
    chosen = data.get("level") or ""
    lowered = bool(computed and chosen and RISK_ORDER[RiskLevel(chosen)] < RISK_ORDER[computed])
    raised = bool(computed and chosen and RISK_ORDER[RiskLevel(chosen)] > RISK_ORDER[computed])
    yes = sum(1 for item in items.values() if item["answer"] == Answer.YES)
    answered = any(item["answer"] != Answer.UNKNOWN for item in items.values())
    empty = not (answered or data.get("immediate_danger") or chosen)
    result = RiskLevel(chosen) if chosen else computed
    below_current = bool(
        current and result and not empty and RISK_ORDER[result] < RISK_ORDER[RiskLevel(current.level)]
    )
    return {
        "computed": computed, "lowered": lowered, "raised": raised, "yes_count": yes, "empty": empty,
        "current": current, "current_source": assessment_source(current) if current else "",
        "below_current": below_current,
    }


class RiskAddView(CaseFormView):
    """Record a risk assessment (art. 16 checklist)."""

    template_name = "cases/records/risk_form.html"
    form_class = RiskAssessmentForm
    section = "risk"
    draft_form = "risk_add"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["preview"] = risk_preview_context(ctx["form"], case_current_assessment(self.request.user, self.case))
        return ctx

    def save(self, form):
        data = form.cleaned_data
        self.outcome = risk_assess(
            user=self.request.user,
            case=self.case,
            items=form.items(),
            immediate_danger=data.get("immediate_danger", False),
            level=data.get("level") or None,
            raise_reason=data.get("raise_reason", ""),
            lower_reason=data.get("lower_reason", ""),
            conclusion=data.get("conclusion", ""),
            assessed_at=data.get("assessed_at"),
        )
        return self.outcome.assessment

    def saved(self, assessment) -> None:
        messages.success(
            self.request,
            _("The risk assessment of case %(case)s was saved: %(level)s.")
            % {"case": self.case.number, "level": assessment.get_level_display()},
        )
        if self.outcome.send_to_prosecutor:
            messages.warning(
                self.request,
                _("Immediate danger: send the assessment and all information to the basic public prosecutor at once."),
            )
        if self.outcome.kept_higher:
            messages.warning(self.request, kept_higher_message(self.outcome.current))
        if self.outcome.proposed_for_conference:
            messages.warning(self.request, proposed_message(self.request.user, self.case))
        if self.outcome.open_plan:
            messages.warning(
                self.request,
                _("Open an individual protection and support plan for case %(case)s (the risk section has the link).")
                % {"case": self.case.number},
            )


class RiskPreviewView(CaseView, View):
    """The level the checklist gives, recomputed while the assessor answers (an htmx partial)."""

    def post(self, request, *args, **kwargs):
        form = RiskAssessmentForm(request.POST, user=request.user, case=self.case)
        preview = risk_preview_context(form, case_current_assessment(request.user, self.case))
        return render(request, "cases/records/_risk_level.html", {"preview": preview})
