"""Forms of the action plans: they validate input and name each field; services decide and save."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership
from apps.core.dates import WindowDateField
from apps.core.forms import ScopedFormMixin, ScopedModelChoiceField, ScopedModelMultipleChoiceField
from apps.institutions.models import Institution

from .choices import ActivityStatus, CodeKind, DocumentKind, EventKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _amount(label, required=True):
    return forms.DecimalField(label=label, required=required, max_digits=16, decimal_places=2,
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(VersionMixin, forms.Form):
    title = forms.CharField(label=_("Title (Latin)"), max_length=250)
    title_cyrl = forms.CharField(label=_("Title (Cyrillic)"), max_length=250)
    period_from = forms.IntegerField(label=_("Period from (year)"), min_value=2000, max_value=2100)
    period_to = forms.IntegerField(label=_("Period to (year)"), min_value=2000, max_value=2100)
    general_goal = forms.CharField(label=_("General goal"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PlanCreateForm(PlanForm):
    municipality = forms.TypedChoiceField(label=_("Municipality"), coerce=int)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].required = False
        self.fields["municipality"].choices = [(m.pk, m.display_name()) for m in municipalities]


class AdvanceForm(VersionMixin, forms.Form):
    consultation_from = WindowDateField(label=_("Public consultation from"), required=False, widget=DATE)
    consultation_until = WindowDateField(label=_("Public consultation until"), required=False, widget=DATE)
    decision_number = forms.CharField(label=_("Assembly decision number"), max_length=60, required=False)
    decision_date = WindowDateField(label=_("Assembly decision date"), required=False, widget=DATE)


class AmendmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = WindowDateField(label=_("Decision date"), required=False, widget=DATE)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    name = forms.CharField(label=_("Name"), max_length=250)
    reference = forms.CharField(label=_("Reference"), max_length=250, required=False,
                                help_text=_("e.g. Sl. glasnik RS 47/2021"))


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Specific goal"), max_length=500)


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=500)
    programme_activity = forms.CharField(label=_("Programme activity or project"), max_length=12, required=False,
                                         help_text=_("e.g. 0901-0001 or 0901-P1"))


class ResponsibleChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name() or obj.user.email


class ActivityForm(ScopedFormMixin, VersionMixin, forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=500)
    owner_institution = ScopedModelChoiceField(Institution.objects.filter(is_active=True), label=_("Owner institution"))
    partners = ScopedModelMultipleChoiceField(Institution.objects.filter(is_active=True), label=_("Partner institutions"),
                                              required=False)
    responsible = ResponsibleChoice(Membership.objects.none(), label=_("Responsible person"), required=False)
    starts_on = WindowDateField(label=_("Start"), widget=DATE)
    ends_on = WindowDateField(label=_("End"), widget=DATE)
    event_kind = forms.ChoiceField(label=_("Event"), choices=EventKind.choices, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["responsible"].queryset = (
                Membership.objects.visible_to(user).filter(is_active=True).select_related("user")
                .order_by("user__last_name", "user__first_name", "id").distinct()
            )

    def clean_responsible(self):
        membership = self.cleaned_data.get("responsible")
        return membership.user if membership else None


class StatusForm(VersionMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    cancel_reason = forms.CharField(label=_("Reason for cancelling"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in range(1, 5)])
    status = forms.ChoiceField(label=_("Status"), choices=[c for c in ActivityStatus.choices if c[0] != ActivityStatus.CANCELLED])
    narrative = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    spending = _amount(_("Spending in the quarter (RSD)"), required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {f"indicator_{i.pk}": i for i in indicators}
        for name, indicator in self.indicators.items():
            self.fields[name] = forms.DecimalField(
                label=_("%(indicator)s (%(unit)s) in the quarter") % {"indicator": indicator.name, "unit": indicator.unit},
                max_digits=14, decimal_places=2, required=False)

    def indicator_values(self) -> dict:
        return {i: self.cleaned_data.get(name) for name, i in self.indicators.items()
                if self.cleaned_data.get(name) is not None}


class IndicatorForm(forms.Form):
    attach = forms.ChoiceField(label=_("Goal or measure"))
    name = forms.CharField(label=_("Indicator"), max_length=500)
    unit = forms.CharField(label=_("Unit"), max_length=60)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=14, decimal_places=2)
    baseline_year = forms.IntegerField(label=_("Baseline year"), min_value=2000, max_value=2100)
    source = forms.CharField(label=_("Source of verification"), max_length=250)

    def __init__(self, *args, plan=None, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for goal in goals:
            choices.append((f"g{goal.pk}", f"{goal.number}. {goal.title}"))
            for measure in goal.measures.all():
                choices.append((f"m{measure.pk}", f"— {goal.number}.{measure.number} {measure.title}"))
        self.fields["attach"].choices = choices
        for year in plan.years if plan else ():
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Target %(year)s") % {"year": year}, max_digits=14, decimal_places=2, required=False)

    def targets(self) -> dict:
        return {int(k[7:]): v for k, v in self.cleaned_data.items() if k.startswith("target_") and v is not None}


class IndicatorValueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[(q, f"Q{q}") for q in range(1, 5)])
    value = forms.DecimalField(label=_("Actual value"), max_digits=14, decimal_places=2)


class BudgetLineForm(VersionMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    programme = forms.CharField(label=_("Programme"), max_length=4, help_text=_("4 digits, e.g. 0901"))
    programme_activity = forms.CharField(label=_("Programme activity or project"), max_length=12,
                                         help_text=_("e.g. 0901-0001 or 0901-P1"))
    function = forms.CharField(label=_("Function"), max_length=3)
    konto = forms.CharField(label=_("Economic classification (konto)"), max_length=6, help_text=_("e.g. 423"))
    source = forms.CharField(label=_("Funding source"), max_length=2, help_text=_("e.g. 01"))
    donor = forms.CharField(label=_("Co-financing donor"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    planned = _amount(_("Planned (RSD)"))
    amended = _amount(_("Amended by rebalans (RSD)"), required=False)
    committed = _amount(_("Committed (RSD)"), required=False)

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["version"].required = False


class ExecutionForm(forms.Form):
    executed_on = WindowDateField(label=_("Date"), widget=DATE)
    document = forms.CharField(label=_("Document"), max_length=120, help_text=_("e.g. payment order no. 123/2027"))
    amount = _amount(_("Amount (RSD)"))
    over_reason = forms.CharField(label=_("Reason for exceeding the amount in force"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Budget table (XLSX or CSV)"))


class CodeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("List"), choices=CodeKind.choices)
    code = forms.CharField(label=_("Code"), max_length=12)
    name = forms.CharField(label=_("Name (Latin)"), max_length=250)
    name_cyrl = forms.CharField(label=_("Name (Cyrillic)"), max_length=250)


class CopyYearForm(forms.Form):
    source_year = forms.IntegerField(label=_("Copy the lists of"), min_value=2000, max_value=2100)
    target_year = forms.IntegerField(label=_("to the year"), min_value=2000, max_value=2100)
