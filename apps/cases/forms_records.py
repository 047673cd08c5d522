"""Forms of the records pages: persons, incidents, risk assessments, consent, notes, attachments.

The forms shape and check the input only; the rules (JMBG, a minor as perpetrator, an incident after
its report, the risk level that may only be raised, 24 h corrections, file content checks) live in
the services, whose ValidationErrors the views put back on these fields.
"""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.dates import WindowDateField, WindowDateTimeField
from apps.core.forms import ScopedFormMixin, ScopedModelChoiceField, ScopedModelMultipleChoiceField
from apps.institutions.models import Institution

from .choices import (
    RISK_ITEMS,
    Answer,
    ConsentMethod,
    ContactKind,
    PersonRole,
    PlaceType,
    Relationship,
    ReportChannel,
    RiskLevel,
    Sex,
    ViolenceForm,
    Visibility,
)
from .models import CasePerson
from .services.risk import NOTE_MAX_LENGTH


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


def local_minute(moment):
    """A moment as Belgrade wall-clock time to the minute (what a datetime-local input shows)."""
    return timezone.localtime(moment).replace(second=0, microsecond=0, tzinfo=None) if moment else None


class CaseForm(ScopedFormMixin, forms.Form):
    """A form about one case: scoped fields narrow to what the user may see."""

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def add_service_errors(self, exc) -> None:
        """Put a service's ValidationError on the named fields (unknown names: above the form)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in self.fields else None
                for error in errors:
                    self.add_error(target, error)
        else:
            for error in exc.error_list:
                self.add_error(None, error)


# --- persons --------------------------------------------------------------------------------------


class PersonForm(CaseForm):
    """A person on the case. Fields the user may not see (JMBG, a confidential address) are left out
    of the edit form, so they are neither shown nor overwritten."""

    role = forms.ChoiceField(label=_("Role in the case"), choices=PersonRole.choices)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = WindowDateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("When the exact date is not known."),
    )
    jmbg = forms.CharField(
        label=_("JMBG"),
        required=False,
        max_length=20,
        help_text=_("13 digits; optional. Visible only to the lead institution's staff."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.CharField(
        label=_("E-mail"), required=False, max_length=254, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    confidential_address = forms.BooleanField(
        label=_("Confidential address"),
        required=False,
        help_text=_("Only assigned staff of the lead institution will see the address."),
    )
    disability = forms.BooleanField(label=_("Person with a disability"), required=False)
    relationship_to_victim = forms.ChoiceField(
        label=_("Relationship to the victim"),
        required=False,
        choices=[("", _("— not applicable —"))] + list(Relationship.choices),
        help_text=_("For the perpetrator and the other persons: how they are related to the victim."),
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput())

    def __init__(self, *args, show_jmbg: bool = True, show_address: bool = True, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if not show_jmbg:
            del self.fields["jmbg"]
        if not show_address:
            del self.fields["address"]
            del self.fields["confidential_address"]
        if not editing:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _(
                "The version of the record you edited is missing; reload the page."
            )

    def clean_jmbg(self):
        return "".join((self.cleaned_data.get("jmbg") or "").split())

    def service_data(self) -> dict:
        """The cleaned values the service takes (without the version)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        for name in ("jmbg", "phone", "email", "address", "relationship_to_victim"):
            if name in data and data[name] is None:
                data[name] = ""
        return data


class PersonCheckForm(forms.Form):
    """What the known-person check reads from the person form (every field optional)."""

    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    birth_date = WindowDateField(required=False)
    jmbg = forms.CharField(required=False, max_length=20)


# --- incidents ------------------------------------------------------------------------------------


class IncidentForm(CaseForm):
    """One event of violence."""

    occurred_at = WindowDateTimeField(label=_("When it happened"), widget=DateTimeLocalInput())
    reported_at = WindowDateTimeField(
        label=_("When it was reported"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty for now."),
    )
    place_type = forms.ChoiceField(label=_("Place"), choices=[("", "—")] + list(PlaceType.choices))
    channel = forms.ChoiceField(label=_("How it was reported"), choices=[("", "—")] + list(ReportChannel.choices))
    reporting_institution = ScopedModelChoiceField(
        Institution.objects.filter(is_active=True).select_related("municipality").order_by("name"),
        label=_("Reported by (institution)"),
        required=False,
        empty_label=_("— not recorded —"),
    )
    police_event_number = forms.CharField(label=_("Police event number"), required=False, max_length=40)
    injuries = forms.BooleanField(label=_("Injuries"), required=False)
    injuries_note = forms.CharField(label=_("Injuries (description)"), required=False, max_length=500)
    weapon_involved = forms.BooleanField(label=_("Weapon used or threatened"), required=False)
    weapon_owned = forms.BooleanField(label=_("Perpetrator owns a weapon"), required=False)
    children_present = forms.BooleanField(label=_("Children present"), required=False)
    children_witnessed = forms.BooleanField(label=_("Children witnessed the violence"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Declared here: a class attribute named "forms" would hide the django.forms module.
        self.fields["forms"] = forms.MultipleChoiceField(
            label=_("Forms of violence"), choices=ViolenceForm.choices, widget=forms.CheckboxSelectMultiple
        )
        self.order_fields(["occurred_at", "reported_at", "forms"])


# --- risk assessments -----------------------------------------------------------------------------


def item_field(code: str) -> str:
    return f"item_{code}"


def note_field(code: str) -> str:
    return f"note_{code}"


class RiskAssessmentForm(CaseForm):
    """The art. 16 checklist, each item yes / no / unknown with a note, and the assessor's conclusion."""

    immediate_danger = forms.BooleanField(
        label=_("The assessor concludes immediate danger"),
        required=False,
        help_text=_("The perpetrator is ready to commit violence in the immediately coming period (art. 3)."),
    )
    level = forms.ChoiceField(
        label=_("Level by professional judgement"),
        required=False,
        choices=[("", _("— as the checklist gives —"))] + list(RiskLevel.choices),
        help_text=_("May only raise the level the checklist gives, never lower it."),
    )
    raise_reason = forms.CharField(
        label=_("Why the level is higher than the checklist gives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lower_reason = forms.CharField(
        label=_("Why the risk is now lower than the case's current assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when this assessment should lower the case's risk level. Without a reason a lower assessment "
            "is recorded, but the case keeps its higher current assessment."
        ),
    )
    conclusion = forms.CharField(label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assessed_at = WindowDateTimeField(
        label=_("Assessed"), required=False, widget=DateTimeLocalInput(), help_text=_("Leave empty for now.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in RISK_ITEMS:
            self.fields[item_field(code)] = forms.ChoiceField(
                label=label,
                choices=Answer.choices,
                initial=Answer.UNKNOWN,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[note_field(code)] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.TextInput(attrs={"size": 40}),
            )

    def checklist_rows(self):
        """(label, answer field, note field) per checklist item, in the law's order."""
        return [(label, self[item_field(code)], self[note_field(code)]) for code, label in RISK_ITEMS]

    def items(self) -> dict:
        """The checklist as the service takes it."""
        data = self.cleaned_data
        return {
            code: {"answer": data.get(item_field(code)) or Answer.UNKNOWN, "note": data.get(note_field(code)) or ""}
            for code, _label in RISK_ITEMS
        }


# --- consent --------------------------------------------------------------------------------------


class ConsentForm(CaseForm):
    """A victim's consent to share the case with named institutions."""

    person = ScopedModelChoiceField(
        CasePerson.objects.order_by("last_name", "first_name"),
        label=_("Given by (victim)"),
        empty_label=_("Choose the victim"),
    )
    given_at = WindowDateField(label=_("Given on"), widget=DateInput())
    expires_at = WindowDateField(label=_("Expires on"), required=False, widget=DateInput(), help_text=_("Leave empty if it has no end date."))
    scope = forms.CharField(label=_("What may be shared"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices, initial=ConsentMethod.WRITTEN)
    institutions = ScopedModelMultipleChoiceField(
        Institution.objects.filter(is_active=True).select_related("municipality").order_by("municipality__name", "name"),
        label=_("Institutions the victim agrees to share with"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case_municipality = self.case.municipality_id if self.case is not None else None
        if self.user is not None:
            # A consent may name any institution a referral can go to (a safe house elsewhere too).
            self.fields["institutions"].queryset = (
                Institution.objects.directory_for(self.user)
                .select_related("municipality")
                .order_by("municipality__name", "name")
            )
        if self.case is not None:
            # The victims of this case (the scoped queryset already holds only visible persons).
            self.fields["person"].queryset = self.fields["person"].queryset.filter(
                case_id=self.case.pk, role=PersonRole.VICTIM
            )
        self.fields["institutions"].label_from_instance = lambda i: (
            i.name if i.municipality_id == case_municipality else f"{i.name} ({i.municipality.name})"
        )
        if not self.is_bound:
            self.initial.setdefault("given_at", timezone.localdate())
            victims = list(self.fields["person"].queryset[:2])
            if len(victims) == 1:
                self.initial.setdefault("person", victims[0].pk)


class ConsentWithdrawForm(CaseForm):
    """The day the victim withdrew a consent."""

    withdrawn_at = WindowDateField(label=_("Withdrawn on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("withdrawn_at", timezone.localdate())


# --- notes and contacts ---------------------------------------------------------------------------


class NoteForm(CaseForm):
    """A note or a contact."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, initial=ContactKind.NOTE)
    occurred_at = WindowDateTimeField(label=_("When"), widget=DateTimeLocalInput())
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=Visibility.choices,
        initial=Visibility.TEAM,
        widget=forms.RadioSelect,
        help_text=_("“Own institution only” keeps the note from the other institutions of the case team."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("occurred_at", local_minute(timezone.now()))


# --- attachments ----------------------------------------------------------------------------------


class AttachmentForm(CaseForm):
    """A document to store on the case."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, an image or an office document, up to 20 MB."),
        error_messages={"required": _("Choose a file to upload."), "empty": _("The file is empty.")},
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=255)
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility.choices, initial=Visibility.TEAM, widget=forms.RadioSelect
    )
