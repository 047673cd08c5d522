"""Forms of the case-core pages: opening, editing, status, team and staff (the list's filters: filters.py).

Forms validate what was typed and name the field; the services decide the rules (consent,
transitions, who may steer) and their ValidationErrors are put back on the same fields.
"""
from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.core.dates import WindowDateTimeField
from apps.core.forms import ScopedFormMixin, ScopedModelChoiceField
from apps.institutions.models import Institution

from .choices import STATUS_TRANSITIONS, CaseStatus, ClosureReason, TeamRole

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class QuickInputMixin:
    """An <input> written in Python with the markup of Django's input template (type, name, value,
    then the attributes): the case list's filter form is on the most requested page."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name, shown, flatatt(final_attrs))


class QuickTextInput(QuickInputMixin, forms.TextInput):
    """A text input rendered without the template engine."""


class DateInput(QuickInputMixin, forms.DateInput):
    """A date typed as 27.11.2026."""

    def __init__(self, **kwargs):
        super().__init__(format="%d.%m.%Y", attrs={"placeholder": "27.11.2026", "inputmode": "numeric"}, **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type="datetime-local">; the value is Belgrade wall-clock time."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def _blank(choices, label):
    return [("", label), *choices]


class LongSelect(forms.Select):
    """A select with the same markup as Django's, its options written in Python: a large centre's
    staff list (500 people at national scale) would otherwise render one template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        wanted = set(self.format_value(value))
        rows = []
        for option_value, label in self.choices:  # flat choices (no groups), one of them selected
            key = "" if option_value is None else str(option_value)
            selected = key in wanted
            if selected:
                wanted = set()
            rows.append((key, mark_safe(" selected") if selected else "", label))
        options = format_html_join("", '<option value="{}"{}>{}</option>', rows)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


class CaseCreateForm(ScopedFormMixin, forms.Form):
    """Open a case: the lead institution is one of the user's own institutions."""

    lead_institution = ScopedModelChoiceField(
        Institution.objects.filter(is_active=True).order_by("name"),
        label=_("Lead institution"),
        help_text=_("Usually the centre for social work that manages the case."),
    )
    reported_at = WindowDateTimeField(
        label=_("Reported at"),
        widget=DateTimeLocalInput(),
        help_text=_("When the violence was reported (date and time)."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happened, in a few sentences. Persons and incidents are added on the case page."),
    )
    is_restricted = forms.BooleanField(
        label=_("Restricted case"),
        required=False,
        help_text=_("Only the assigned staff see a restricted case (e.g. a victim who works in one of the services)."),
    )

    def __init__(self, *args, opening_institution_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lead_institution"]
        field.queryset = field.queryset.filter(pk__in=list(opening_institution_ids))
        if not self.is_bound:
            self.initial.setdefault("reported_at", timezone.localtime().replace(second=0, microsecond=0))
            if len(opening_institution_ids) >= 1:
                first = field.queryset.first()
                if first is not None:
                    self.initial.setdefault("lead_institution", first.pk)


class VersionedForm(forms.Form):
    """Carries the version of the record the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CaseEditForm(ScopedFormMixin, VersionedForm):
    """Edit the summary; the lead institution and the restricted flag only for those who steer the case."""

    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    lead_institution = ScopedModelChoiceField(
        Institution.objects.filter(is_active=True).order_by("name"),
        label=_("Lead institution"),
        required=False,
    )
    is_restricted = forms.BooleanField(
        label=_("Restricted case"),
        required=False,
        help_text=_("Only the assigned staff see a restricted case."),
    )
    override_reason = forms.CharField(
        label=_("Reason for acting without consent"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when the new lead institution has no valid consent and there is immediate danger."),
    )

    def __init__(self, *args, case, may_steer: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_steer = may_steer
        if may_steer:
            field = self.fields["lead_institution"]
            field.queryset = field.queryset.for_municipality(case.municipality_id)
            field.required = True
        else:
            for name in ("lead_institution", "is_restricted", "override_reason"):
                del self.fields[name]


class CaseStatusForm(VersionedForm):
    """Move the case along the workflow (only the moves allowed from its status)."""

    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    closure_reason = forms.ChoiceField(
        label=_("Closure reason"),
        required=False,
        choices=_blank(ClosureReason.choices, _("Choose why the case is closed")),
        help_text=_("Needed only when closing the case."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: why the status changes (no personal details needed)."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = STATUS_TRANSITIONS[CaseStatus(case.status)]
        choices = []
        for value, label in CaseStatus.choices:
            if value in allowed:
                if case.status == CaseStatus.CLOSED and value == CaseStatus.ASSESSMENT:
                    label = _("Reopen the case (back to assessment)")
                choices.append((value, label))
        self.fields["to_status"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("to_status") == CaseStatus.CLOSED and not data.get("closure_reason"):
            self.add_error("closure_reason", _("Choose why the case is closed."))
        return data


class TeamAddForm(ScopedFormMixin, forms.Form):
    """Add an institution of the municipality to the case team."""

    institution = ScopedModelChoiceField(
        Institution.objects.filter(is_active=True).order_by("type", "name"),
        label=_("Institution"),
        empty_label=_("Choose an institution"),
    )
    override_reason = forms.CharField(
        label=_("Reason for adding it without the victim's consent"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The latest risk assessment finds immediate danger. The reason is recorded and shown to the lead institution."),
    )

    def __init__(self, *args, case, team_ids=(), show_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.queryset = field.queryset.for_municipality(case.municipality_id).exclude(pk__in=list(team_ids))
        self.show_override = show_override
        if not show_override:
            self.fields["override_reason"].widget = forms.HiddenInput()


class _StaffChoices(BaseChoiceIterator):
    """The staff list as (id, label) read with values_list: no model instance per person."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.queryset is None:
            return
        for pk, first, last, email in self.field.queryset.values_list("pk", "first_name", "last_name", "email"):
            name = f"{first} {last}".strip() or email  # User.get_full_name() or the e-mail
            where = self.field.labels.get(pk)
            yield (pk, f"{name} ({where})" if where else name)


class _StaffChoiceField(forms.ModelChoiceField):
    widget = LongSelect

    def _get_choices(self):
        return _StaffChoices(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def __init__(self, *args, labels=None, **kwargs):
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.email
        where = self.labels.get(obj.pk)
        return f"{name} ({where})" if where else name


class AssignForm(forms.Form):
    """Assign a staff member of an institution on the team."""

    assignee = _StaffChoiceField(queryset=None, label=_("Staff member"), empty_label=_("Choose a person"))
    team_role = forms.ChoiceField(label=_("Role on the case"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(self, *args, staff_queryset, staff_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_queryset
        self.fields["assignee"].labels = staff_labels or {}
