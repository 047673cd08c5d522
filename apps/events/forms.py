"""Forms of the event pages. Choices are narrowed to what the user may name; the services check the
particular event and say why they refuse, on the field they name."""
from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.calendar.ics import BELGRADE
from apps.core.dates import WindowDateField
from apps.institutions.models import Institution

from . import rules
from .choices import EventKind, Language, MaterialKind, MediaKind, TargetGroup
from .models import Material
from .services import events as services

ALIASES = {"starts_at": "start_time", "ends_at": "end_time", "person": "person", "hours": "hours"}


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _aware(day, at):
    if day is None or at is None:
        return None
    return datetime.combine(day, at, tzinfo=BELGRADE)


class EventForm(forms.Form):
    """Plan or change an event."""

    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    municipality = forms.ModelChoiceField(None, label=_("Municipality"), required=False)
    area = forms.ModelChoiceField(None, label=_("Coordination area"), required=False,
                                  help_text=_("For an inter-municipal meeting: its municipalities take part."))
    date = WindowDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_date = WindowDateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("For an event of several days; empty: the same day."))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)
    facilitators = forms.CharField(label=_("Facilitators / trainers"), max_length=500, required=False)
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), choices=TargetGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    topics = forms.CharField(label=_("Curriculum topics"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0, max_digits=5, decimal_places=1)
    public_summary = forms.CharField(label=_("Public summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("What was presented; no personal data (it may be published)."))
    citizens_count = forms.IntegerField(label=_("Citizens present"), required=False, min_value=0)
    institutions_present = forms.CharField(label=_("Institutions present"), max_length=500, required=False)
    media_outlet = forms.CharField(label=_("Outlet"), max_length=200, required=False)
    media_kind = forms.ChoiceField(label=_("Media kind"), choices=[("", "—"), *MediaKind.choices], required=False)
    media_link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    media_clipping = forms.FileField(label=_("Clipping"), required=False,
                                     help_text=_("A scan or screenshot of the article (PDF or image)."))
    people = PersonChoiceField(None, label=_("Invite staff"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = services.plannable_municipalities(user)
        self.fields["area"].queryset = services.plannable_areas(user)
        self.fields["people"].queryset = rules.staff_choices(user)
        if event is not None:
            for name in ("kind", "municipality", "area", "people"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        starts, ends = self.times_from(data)
        if starts and ends and ends <= starts:
            self.add_error("end_time", _("The event must end after it starts."))
        return data

    @staticmethod
    def times_from(data):
        return _aware(data.get("date"), data.get("start_time")), _aware(data.get("end_date") or data.get("date"),
                                                                          data.get("end_time"))

    def values(self) -> dict:
        data = self.cleaned_data
        starts, ends = self.times_from(data)
        keys = ("title", "place", "online_url", "organiser", "facilitators", "topics", "hours", "public_summary",
                "citizens_count", "institutions_present", "media_outlet", "media_kind", "media_link")
        values = {k: data.get(k) if data.get(k) is not None else ("" if k not in ("hours", "citizens_count") else None)
                  for k in keys}
        values.update(starts_at=starts, ends_at=ends, target_groups=list(data.get("target_groups") or []))
        if "kind" in data:
            values["kind"] = data["kind"]
        if data.get("media_clipping"):
            values["media_clipping"] = data["media_clipping"]
        return values


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255, required=False)


class OutsideForm(forms.Form):
    """An outside participant (minimal) or a staff member."""

    person = forms.ModelChoiceField(Institution.objects.none(), label=_("Staff member"), required=False)
    name = forms.CharField(label=_("Name"), max_length=160, required=False)
    institution_name = forms.CharField(label=_("Institution"), max_length=200, required=False)
    function = forms.CharField(label=_("Function"), max_length=120, required=False)
    email = forms.EmailField(label=_("E-mail (for the invitation)"), required=False)
    language = forms.ChoiceField(label=_("Language of the certificate"), choices=Language.choices, initial="sr-latn")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = rules.staff_choices(user)
        self.fields["person"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("name", _("Choose a person or write the participant's name."))
        return data


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    audience = forms.CharField(label=_("Audience"), max_length=200, required=False)
    material_version = forms.CharField(label=_("Edition"), max_length=40, required=False)
    file = forms.FileField(label=_("File"), required=False)
    copies = forms.IntegerField(label=_("Copies received"), required=False, min_value=0)


class DistributionForm(forms.Form):
    material = forms.ModelChoiceField(Material.objects.none(), label=_("Material"))
    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("Institution"), required=False)
    info_desk = forms.CharField(label=_("Info desk"), max_length=200, required=False)
    copies = forms.IntegerField(label=_("Copies"))
    distributed_on = WindowDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = Material.objects.visible_to(user, "change")
        self.fields["institution"].queryset = rules.institution_choices(user)


class MaterialEditForm(forms.Form):
    """Change a catalogue entry (optimistic locking: the version the page showed)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    audience = forms.CharField(label=_("Audience"), max_length=200, required=False)
    material_version = forms.CharField(label=_("Edition"), max_length=40, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class StockForm(forms.Form):
    """Copies received: a stock movement."""

    copies = forms.IntegerField(label=_("Copies received"))
    received_on = WindowDateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=255, required=False,
                           help_text=_("E.g. the printing house or the delivery note; no personal data."))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=255,
                             help_text=_("E.g. issued by mistake, or hours recorded wrongly."))


class CoverageForm(forms.Form):
    """A media coverage entry of an event, with an optional clipping."""

    outlet = forms.CharField(label=_("Outlet"), max_length=200)
    kind = forms.ChoiceField(label=_("Media kind"), choices=MediaKind.choices)
    published_on = WindowDateField(label=_("Published"), widget=forms.DateInput(attrs={"type": "date"}))
    link = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    clipping = forms.FileField(label=_("Clipping"), required=False,
                               help_text=_("A scan or screenshot of the article (PDF or image)."))


class TargetsForm(forms.Form):
    """A municipality's targets per kind of event; an empty field keeps the default."""

    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, defaults: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in EventKind.choices:
            self.fields[kind] = forms.IntegerField(
                label=label, required=False, min_value=0, max_value=1000,
                help_text=_("Default: %(n)s. Leave empty to use the default.") % {"n": defaults.get(kind, 0)})

    def targets(self) -> dict[str, int | None]:
        return {kind: self.cleaned_data.get(kind) for kind in EventKind.values}
