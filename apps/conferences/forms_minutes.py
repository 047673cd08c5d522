"""Forms of the minutes, action items, amendments and supervision feedback (validation only; the
services in apps/conferences/services/ decide and save)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.accounts.models import User
from apps.cases.choices import RiskLevel
from apps.core.dates import WindowDateField
from apps.institutions.models import Institution

from .choices import Rating


class DateInput(forms.DateInput):
    """<input type="date"> (the browser sends 2026-11-27)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MinutesForm(forms.Form):
    """The general part: who else was present and general notes; attendance checkboxes are added
    per invitee (``attended_<id>``: yes / no / not recorded)."""

    attendance_note = forms.CharField(
        label=_("Also present"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("People present who were not invited through the platform (no victims' names)."),
    )
    general_notes = forms.CharField(label=_("General notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    ATTENDANCE = (("", _("not recorded")), ("yes", _("present")), ("no", _("absent")))

    def __init__(self, *args, invitees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invitees = list(invitees)
        for invitee in self.invitees:
            self.fields[f"attended_{invitee.pk}"] = forms.ChoiceField(
                label=invitee.label, choices=self.ATTENDANCE, required=False,
                initial={True: "yes", False: "no"}.get(invitee.attended, ""),
            )

    def attendance(self) -> dict[int, bool | None]:
        return {
            i.pk: {"yes": True, "no": False}.get(self.cleaned_data.get(f"attended_{i.pk}", ""))
            for i in self.invitees
        }


class AgendaItemMinutesForm(forms.Form):
    """One case's part of the minutes."""

    discussed = forms.BooleanField(label=_("Discussed at the meeting"), required=False)
    discussion = forms.CharField(label=_("Discussion summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    risk_level = forms.ChoiceField(
        label=_("Risk level after the discussion"), required=False,
        choices=[("", _("unchanged (not assessed)")), *RiskLevel.choices],
        help_text=_("Written to the case as a new risk assessment when the minutes are approved."),
    )
    risk_reason = forms.CharField(
        label=_("Why the level was raised or lowered"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_review_on = WindowDateField(label=_("Next review"), required=False, widget=DateInput())

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = getattr(case, "risk_level", "")
        if current in RiskLevel.values:
            # "Unchanged" keeps the case's level: say which one, so nobody reads it as "no risk".
            unchanged = _("unchanged (currently: %(level)s)") % {"level": RiskLevel(current).label}
            self.fields["risk_level"].choices = [("", unchanged), *RiskLevel.choices]


class ActionItemForm(forms.Form):
    """A new action item: what, owner institution, responsible person, due date."""

    description = forms.CharField(label=pgettext_lazy("action item", "Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_institution = forms.ModelChoiceField(label=_("Owner institution"), queryset=Institution.objects.none())
    responsible = forms.ModelChoiceField(label=_("Responsible person"), queryset=User.objects.none(), required=False)
    due_on = WindowDateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, institutions=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if institutions is not None:
            self.fields["owner_institution"].queryset = institutions
        if people is not None:
            self.fields["responsible"].queryset = people
            self.fields["responsible"].label_from_instance = lambda u: u.get_full_name() or u.email


class ActionCompleteForm(forms.Form):
    """Reporting an action done."""

    completion_note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))


class AmendmentForm(forms.Form):
    """A correction to approved minutes."""

    agenda_item = forms.ModelChoiceField(label=_("Case"), queryset=None, required=False,
                                         empty_label=_("the minutes in general"))
    text = forms.CharField(label=_("Amendment"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = items
        self.fields["agenda_item"].label_from_instance = lambda i: i.case.number


class FeedbackForm(forms.Form):
    """The supervisor's structured feedback."""

    preparation = forms.TypedChoiceField(label=_("Preparation and agenda"), choices=Rating.choices, coerce=int)
    risk_focus = forms.TypedChoiceField(label=_("Focus on risk and safety"), choices=Rating.choices, coerce=int)
    participation = forms.TypedChoiceField(label=_("Participation of the services"), choices=Rating.choices, coerce=int)
    victim_voice = forms.TypedChoiceField(label=_("The victim's view heard"), choices=Rating.choices, coerce=int)
    decisions = forms.TypedChoiceField(label=_("Clear decisions and owners"), choices=Rating.choices, coerce=int)
    strengths = forms.CharField(label=_("What went well"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    improvements = forms.CharField(label=_("What to improve"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
