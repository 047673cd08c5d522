"""Emergency measures (with their deadlines and next steps), breaches and protective measures; and what
the case page shows of the measures area (``detail_context``)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core.service_errors import apply_service_errors, as_seen, conflict_context, snapshot

from .. import deadlines
from ..choices import (
    CaseStatus,
    ProtectiveMeasureKind,
    ReferralStatus,
)
from ..forms_measures import (
    AppealForm,
    BreachForm,
    CourtDecisionForm,
    EmergencyMeasureForm,
    ExtensionProposalForm,
    PlanMeasureStatusForm,
    ProtectiveMeasureForm,
    ProtectiveRenewForm,
)
from ..models import (
    EmergencyMeasure,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
)
from ..querysets import CASE_ROLES, on_team
from ..selectors.case_rows import case_rows
from ..services import measures as measure_services
from ..services import plans as plan_services
from .base import CaseFormView, CaseView
from .deadline_rows import (
    ReferralRow,
    emergency_rows_for,
    plan_measure_row_for,
    protective_row_for,
    referral_wait_text,
)

# --- emergency measures ---------------------------------------------------------------------------


class EmergencyAddView(CaseFormView):
    """Record a police emergency measure."""

    template_name = "cases/measures/form.html"
    form_class = EmergencyMeasureForm
    title = _("Record an emergency measure")
    section = "emergency"
    team_only = True

    def save(self, form):
        d = form.cleaned_data
        measure_services.emergency_measure_record(
            user=self.request.user, case=self.case, kind=d["kind"], order_number=d["order_number"],
            ordered_by=d["ordered_by"], delivered_at=d["delivered_at"],
        )
        return self.success(_("The emergency measure is recorded; its deadlines are running."))


EMERGENCY_STEP_FIELDS = ("extension_proposed_at", "court_decision", "court_decided_at", "appeal_filed_at", "extended_until")


class EmergencyUpdateView(CaseView, TemplateView):
    """One emergency measure: its deadlines, and the next step to record (proposal, decision, appeal)."""

    template_name = "cases/measures/emergency_update.html"
    section = "emergency"
    action = "change"
    team_only = True
    STEPS = {"proposal": ExtensionProposalForm, "decision": CourtDecisionForm, "appeal": AppealForm}

    def get_measure(self):
        return self.case_row(EmergencyMeasure, self.kwargs["measure_pk"], select_related=("ordered_by",))

    def forms_for(self, measure, bound_step=None, bound_form=None, conflict=None):
        row = emergency_rows_for(measure, timezone.now())
        seen = snapshot(measure, EMERGENCY_STEP_FIELDS)
        forms = {}
        if row.next_step == "proposal":
            forms["proposal"] = ExtensionProposalForm(initial={"version": measure.version})
        if row.next_step in ("proposal", "decision") and measure.extension_proposed_at:
            forms["decision"] = CourtDecisionForm(initial={"version": measure.version})
        if row.next_step == "appeal":
            forms["appeal"] = AppealForm(initial={"version": measure.version})
        # After a conflict, a step someone else already recorded is not offered again.
        if bound_step and (bound_step in forms or conflict is None):
            forms[bound_step] = bound_form
        return row, forms, seen

    def get(self, request, *args, **kwargs):
        measure = self.get_measure()
        self.audit_page_read(measure)
        row, forms, seen = self.forms_for(measure)
        return self.render_to_response(self.get_context_data(row=row, forms=forms, snapshot=seen))

    def post(self, request, *args, **kwargs):
        measure = self.get_measure()
        step = request.POST.get("step", "")
        form_class = self.STEPS.get(step)
        if form_class is None:
            row, forms, seen = self.forms_for(measure)
            context = self.get_context_data(
                row=row, forms=forms, snapshot=seen, orphan_errors=[_("Choose what to record: use one of the forms below.")]
            )
            return self.render_to_response(context, status=400)
        form = form_class(request.POST)
        conflict = None
        if form.is_valid():
            d = form.cleaned_data
            seen = as_seen(measure, request.POST.get("snapshot"))
            try:
                if step == "proposal":
                    measure_services.emergency_measure_propose_extension(
                        user=request.user, measure=seen, proposed_at=d["extension_proposed_at"], expected_version=d["version"]
                    )
                    message = _("The extension proposal is recorded; the court has 24 hours to decide.")
                elif step == "decision":
                    measure_services.emergency_measure_court_decision(
                        user=request.user, measure=seen, decision=d["court_decision"], decided_at=d["court_decided_at"],
                        expected_version=d["version"],
                    )
                    message = _("The court's decision is recorded.")
                else:
                    measure_services.emergency_measure_appeal(
                        user=request.user, measure=seen, filed_at=d["appeal_filed_at"], expected_version=d["version"]
                    )
                    message = _("The appeal is recorded.")
                return self.success(message)
            except ValidationError as exc:
                conflict = apply_service_errors(form, exc)
                if conflict is not None:
                    measure = conflict.current
        row, forms, seen = self.forms_for(measure, step, form, conflict)
        # The refused step's own errors stay visible even when its form is no longer offered.
        orphan_errors = form.non_field_errors() if forms.get(step) is not form else []
        return self.render_to_response(
            self.get_context_data(
                row=row, forms=forms, snapshot=seen, step=step, orphan_errors=orphan_errors, **conflict_context(conflict)
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case=self.case, back_url=self.detail_url())
        return ctx


class BreachAddView(CaseFormView):
    """Record a breach of an emergency or protective measure."""

    template_name = "cases/measures/form.html"
    form_class = BreachForm
    title = _("Record a breach of a measure")
    section = "emergency"
    team_only = True

    def form_context_kwargs(self):
        emergency = list(EmergencyMeasure.objects.visible_to(self.request.user).filter(case=self.case).order_by("-delivered_at"))
        protective = list(ProtectiveMeasure.objects.visible_to(self.request.user).filter(case=self.case).order_by("-valid_from"))
        return {"user": self.request.user, "case": self.case, "emergency": emergency, "protective": protective}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("measure"):
            initial["measure"] = self.request.GET["measure"]
        return initial

    def save(self, form):
        d = form.cleaned_data
        measure_services.breach_record(
            user=self.request.user, case=self.case, occurred_at=d["occurred_at"], description=d["description"],
            **form.measure_kwargs(),
        )
        return self.success(_("The breach is recorded."))


# --- protective measures --------------------------------------------------------------------------


class ProtectiveAddView(CaseFormView):
    """Record a Family Law protective measure."""

    template_name = "cases/measures/form.html"
    form_class = ProtectiveMeasureForm
    title = _("Record a protective measure")
    section = "protective"
    team_only = True

    def form_context_kwargs(self):
        return {}

    def save(self, form):
        d = form.cleaned_data
        distance = d["distance_m"] if d["kind"] == ProtectiveMeasureKind.APPROACH_BAN else None
        measure_services.protective_measure_record(
            user=self.request.user, case=self.case, kind=d["kind"], court=d["court"], decision_date=d["decision_date"],
            valid_from=d["valid_from"], valid_until=d["valid_until"], decision_number=d["decision_number"],
            distance_m=distance,
        )
        return self.success(_("The protective measure is recorded."))


class ProtectiveRenewView(CaseFormView):
    """Renew a protective measure before it ends."""

    template_name = "cases/measures/form.html"
    form_class = ProtectiveRenewForm
    title = _("Renew a protective measure")
    section = "protective"
    team_only = True

    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        self.measure = self.case_row(ProtectiveMeasure, kwargs["measure_pk"])

    def get_measure(self):
        return self.measure

    def form_context_kwargs(self):
        return {}

    def get_initial(self):
        initial = super().get_initial()
        start, latest = deadlines.protective_renewal_period(self.measure.valid_until)
        initial.update(valid_from=start, valid_until=latest)
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["renewed_measure"] = self.get_measure()
        return ctx

    def save(self, form):
        d = form.cleaned_data
        measure_services.protective_measure_renew(
            user=self.request.user, measure=self.get_measure(), decision_date=d["decision_date"],
            valid_until=d["valid_until"], valid_from=d["valid_from"], decision_number=d["decision_number"],
            court=d["court"],
        )
        return self.success(_("The protective measure is renewed."))


# --- the sections of the case page ------------------------------------------------------------------


def detail_context(request, case) -> dict:
    """What the case page needs from this area (sections rendered by templates/cases/detail/), in a
    fixed number of queries whatever the number of measures, plan rows and referrals."""
    user = request.user
    now = timezone.now()
    own = user.access.institution_ids(*CASE_ROLES)
    is_team = on_team(user, case)
    can_write = is_team and case.status != CaseStatus.CLOSED
    is_lead_staff = case.lead_institution_id in user.access.institution_ids()

    # Breaches, protective measures, plans and plan rows are read once for the page (the timeline
    # shows them too) and arranged here.
    breaches: dict[tuple[str, int], list] = {}
    for b in case_rows(user, case, MeasureBreach):  # newest first
        if b.emergency_measure_id:
            breaches.setdefault(("emergency", b.emergency_measure_id), []).append(b)
        if b.protective_measure_id:
            breaches.setdefault(("protective", b.protective_measure_id), []).append(b)

    emergency = case_rows(user, case, EmergencyMeasure)
    emergency_rows = []
    for m in emergency:
        row = emergency_rows_for(m, now)
        row.breaches = breaches.get(("emergency", m.pk), [])
        emergency_rows.append(row)

    protective = case_rows(user, case, ProtectiveMeasure)
    renewed = {m.renewed_from_id for m in protective if m.renewed_from_id}
    protective_rows = []
    for m in protective:
        row = protective_row_for(m, now, m.pk in renewed)
        row.breaches = breaches.get(("protective", m.pk), [])
        protective_rows.append(row)

    plans = case_rows(user, case, ProtectionPlan)
    plan = plans[0] if plans and plans[0].is_active else None
    plan_rows = []
    if plan is not None:
        for pm in case_rows(user, case, PlanMeasure):
            if pm.plan_id != plan.pk:
                continue
            row = plan_measure_row_for(pm, now)
            if can_write:
                row.status_form = PlanMeasureStatusForm(
                    initial={"version": pm.version, "status": pm.status}, prefix=f"pm{pm.pk}"
                )
                row.snapshot = snapshot(pm, ("status", "completed_at", *plan_services.MEASURE_FIELDS))
            plan_rows.append(row)

    referral_rows = []
    for r in case_rows(user, case, Referral):
        text, waiting = referral_wait_text(r, now)
        received = r.to_institution_id in own
        referral_rows.append(
            ReferralRow(
                referral=r,
                to_answer=text,
                waiting=waiting,
                received=received,
                can_complete=r.status == ReferralStatus.ACCEPTED and (received or is_team),
                show_override=is_lead_staff,
            )
        )

    return {
        "measures_can_write": can_write,
        "measures_is_team": is_team,
        "emergency_rows": emergency_rows,
        "protective_rows": protective_rows,
        "breach_possible": bool(emergency or protective),
        "current_plan": plan,
        "plan_rows": plan_rows,
        "plan_overdue_count": sum(1 for r in plan_rows if r.overdue),
        "earlier_plans": [p for p in plans if p is not plan],
        "plan_snapshot": snapshot(plan, plan_services.PLAN_FIELDS) if plan else "",
        "referral_rows": referral_rows,
    }
