"""Forms of the measures pages: emergency and protective measures, the plan, referrals.

The forms only shape and check the input; the rules (deadlines, order of dates, consent) live in
the services, whose ValidationErrors the views put back on these fields.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.dates import WindowDateField, WindowDateTimeField
from apps.core.forms import ScopedFormMixin, ScopedModelChoiceField
from apps.institutions.choices import OPEN_DIRECTORY_TYPES, InstitutionType
from apps.institutions.models import Institution

from .choices import (
    CourtDecision,
    EmergencyMeasureKind,
    PlanMeasureKind,
    PlanMeasureStatus,
    ProtectiveMeasureKind,
    ReferralUrgency,
)
from .models import CasePerson

# Services another municipality offers to anyone: a referral may go there (e.g. a safe house).
CROSS_MUNICIPALITY_TYPES = OPEN_DIRECTORY_TYPES


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type="datetime-local"> (the browser sends 2026-11-27T14:20, Europe/Belgrade)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    """<input type="date"> (the browser sends 2026-11-27)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _datetime_field(label, required=True, help_text=""):
    return WindowDateTimeField(label=label, required=required, widget=DateTimeLocalInput(), help_text=help_text)


def _date_field(label, required=True, help_text=""):
    return WindowDateField(label=label, required=required, widget=DateInput(), help_text=help_text)


class VersionField(forms.IntegerField):
    """The version of the record the user opened (optimistic locking)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput())
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {"required": _("The version of the record you edited is missing; reload the page.")},
        )
        super().__init__(**kwargs)


class CaseScopedForm(ScopedFormMixin, forms.Form):
    """A form about one case: scoped fields narrow to the user, then to the case."""

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


# --- emergency measures ---------------------------------------------------------------------------


class EmergencyMeasureForm(CaseScopedForm):
    """Record a police emergency measure (48 hours from delivery)."""

    kind = forms.ChoiceField(label=_("Measure"), choices=EmergencyMeasureKind.choices)
    order_number = forms.CharField(label=_("Order number"), max_length=40)
    ordered_by = ScopedModelChoiceField(
        Institution.objects.filter(type=InstitutionType.POLICE, is_active=True),
        label=_("Ordered by (police station)"),
    )
    delivered_at = _datetime_field(
        _("Delivered to the perpetrator"),
        help_text=_("The 48 hours run from this moment; the prosecutor's proposal is due within 24 hours."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None:
            # Relevance, not security: the scoping came from visible_to() above.
            self.fields["ordered_by"].queryset = self.fields["ordered_by"].queryset.for_municipality(
                self.case.municipality_id
            )


class ExtensionProposalForm(forms.Form):
    """The basic prosecutor's proposal to extend the measure."""

    version = VersionField()
    extension_proposed_at = _datetime_field(_("Extension proposed"))


class CourtDecisionForm(forms.Form):
    """The court's decision on the extension proposal."""

    version = VersionField()
    court_decision = forms.ChoiceField(
        label=_("Court decision"),
        choices=[(CourtDecision.EXTENDED, CourtDecision.EXTENDED.label), (CourtDecision.REJECTED, CourtDecision.REJECTED.label)],
        widget=forms.RadioSelect,
    )
    court_decided_at = _datetime_field(_("Court decided"))


class AppealForm(forms.Form):
    """An appeal against the court's decision."""

    version = VersionField()
    appeal_filed_at = _datetime_field(_("Appeal filed"))


class BreachForm(CaseScopedForm):
    """A breach of one emergency or protective measure of the case."""

    measure = forms.ChoiceField(label=_("Measure breached"))
    occurred_at = _datetime_field(_("When the breach happened"))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, emergency=(), protective=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "---------")]
        if emergency:
            choices.append(
                (
                    _("Emergency measures"),
                    [(f"e:{m.pk}", f"{m.get_kind_display()} · {m.order_number}") for m in emergency],
                )
            )
        if protective:
            choices.append(
                (
                    _("Protective measures"),
                    [(f"p:{m.pk}", f"{m.get_kind_display()} · {m.decision_number or m.court}") for m in protective],
                )
            )
        self.fields["measure"].choices = choices
        self._emergency = {m.pk: m for m in emergency}
        self._protective = {m.pk: m for m in protective}

    def clean_measure(self):
        value = self.cleaned_data["measure"]
        prefix, _sep, pk = value.partition(":")
        try:
            pk = int(pk)
        except ValueError:
            pk = None
        found = (self._emergency if prefix == "e" else self._protective if prefix == "p" else {}).get(pk)
        if found is None:
            raise forms.ValidationError(_("Choose a measure of this case."))
        return found

    def measure_kwargs(self) -> dict:
        """emergency_measure= or protective_measure= for the service."""
        measure = self.cleaned_data["measure"]
        if measure.pk in self._emergency and self._emergency[measure.pk] is measure:
            return {"emergency_measure": measure}
        return {"protective_measure": measure}


# --- protective measures --------------------------------------------------------------------------


class ProtectiveMeasureForm(forms.Form):
    """A Family Law protective measure decided by a court (at most one year)."""

    kind = forms.ChoiceField(label=_("Measure"), choices=ProtectiveMeasureKind.choices)
    court = forms.CharField(label=_("Court"), max_length=200)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = _date_field(_("Decision date"))
    valid_from = _date_field(_("Valid from"))
    valid_until = _date_field(_("Valid until"), help_text=_("At most one year (less one day) after the first day."))
    distance_m = forms.IntegerField(
        label=_("Distance (metres)"), required=False, min_value=1, max_value=100000,
        help_text=_("Only for a ban on approaching within a distance."),
    )


class ProtectiveRenewForm(forms.Form):
    """Renewal of a protective measure (decided before it ends, for up to one more year)."""

    decision_date = _date_field(_("Decision date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    court = forms.CharField(
        label=_("Court"), max_length=200, required=False, help_text=_("Leave empty if the same court decided.")
    )
    valid_from = _date_field(
        _("Valid from"), required=False, help_text=_("Empty: the day after the current measure ends.")
    )
    valid_until = _date_field(_("Valid until"))


# --- the plan -------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    """The individual protection and support plan."""

    adopted_at = _date_field(_("Adopted"))
    victim_participated = forms.BooleanField(label=_("The victim took part in making the plan"), required=False)
    victim_signed = forms.BooleanField(label=_("The victim signed the plan"), required=False)
    monitoring = forms.CharField(
        label=_("How the plan is monitored and evaluated"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review = _date_field(_("Next review"), required=False)


class PlanEditForm(PlanForm):
    """Edit the plan; refused if someone saved it meanwhile."""

    version = VersionField()


class PlanMeasureForm(CaseScopedForm):
    """A protection or support measure of the plan."""

    kind = forms.ChoiceField(label=_("Kind"), choices=PlanMeasureKind.choices)
    description = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 3}))
    for_person = ScopedModelChoiceField(CasePerson.objects.all(), label=_("For whom"), required=False)
    owner_institution = ScopedModelChoiceField(
        Institution.objects.filter(is_active=True),
        label=_("Carried out by"),
        help_text=_("An institution of the case team."),
    )
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=150, required=False)
    deadline = _date_field(_("Deadline"))

    def __init__(self, *args, team_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None:
            self.fields["for_person"].queryset = self.fields["for_person"].queryset.filter(case=self.case).order_by(
                "role", "last_name", "first_name"
            )
            self.fields["for_person"].label_from_instance = lambda p: f"{p} ({p.get_role_display()})"
            self.fields["owner_institution"].queryset = (
                self.fields["owner_institution"].queryset.filter(pk__in=list(team_ids)).order_by("name")
            )


class PlanMeasureStatusForm(forms.Form):
    """Move a plan measure to another status."""

    version = VersionField()
    status = forms.ChoiceField(label=_("Status"), choices=PlanMeasureStatus.choices)


# --- referrals ------------------------------------------------------------------------------------


class ReferralTargetField(ScopedModelChoiceField):
    """Institutions a case may be referred to: those of the user's municipalities, and the services
    that take referrals from anywhere (safe houses) in every active municipality."""

    def scope_to(self, user):
        self.queryset = self.queryset.directory_for(user).select_related("municipality").order_by(
            "municipality__name", "type", "name"
        )

    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_type_display()} · {obj.municipality.name}"


class ReferralSendForm(CaseScopedForm):
    """Refer the case to another institution."""

    from_institution = ScopedModelChoiceField(Institution.objects.filter(is_active=True), label=_("On behalf of"))
    to_institution = ReferralTargetField(
        Institution.objects.filter(is_active=True),
        label=_("Refer to"),
        help_text=_("Institutions of your municipality, and safe houses of every municipality."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ReferralUrgency.choices, initial=ReferralUrgency.REGULAR)
    reason = forms.CharField(label=_("Reason for the referral"), widget=forms.Textarea(attrs={"rows": 4}))
    consent_override_reason = forms.CharField(
        label=_("Reason for referring without the victim's consent"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the victim has not consented to sharing with this institution and the latest "
            "risk assessment found immediate danger."
        ),
    )

    def __init__(self, *args, own_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["from_institution"]
        field.queryset = field.queryset.filter(pk__in=list(own_ids)).order_by("name")
        if len(own_ids) == 1 and not self.is_bound:
            field.initial = next(iter(own_ids))


class ReferralAnswerForm(forms.Form):
    """The receiving institution accepts or declines."""

    ACCEPT = "accept"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[(ACCEPT, _("Accept the referral")), (DECLINE, _("Decline the referral"))],
        widget=forms.RadioSelect,
    )
    decline_reason = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.DECLINE and not (data.get("decline_reason") or "").strip():
            self.add_error("decline_reason", _("Enter the reason for declining."))
        return data
