"""Forms of the meeting pages: scheduling, rescheduling, cancelling, invitees, answers, the agenda,
calendar feeds and coordination areas. Choices are narrowed to what the user may name; the
services check the particular meeting (an institution of another municipality is refused there,
with a message on the field)."""
from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.choices import Role
from apps.core.dates import WindowDateField
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .choices import AgendaSection, InvitationResponse, InviteeRole, MeetingKind
from .ics import BELGRADE
from .models import CoordinationArea
from .services import eligibility
from .services.meetings import Outside

DURATION_HELP = _("About 15 minutes per case on the agenda.")


class PersonChoiceField(forms.ModelChoiceField):
    """A staff member shown by name."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """Several staff members shown by name."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _aware(day, at) -> datetime | None:
    if day is None or at is None:
        return None
    return datetime.combine(day, at, tzinfo=BELGRADE)


class _TimesMixin:
    """Date, start and end time as a Belgrade wall clock."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        return data

    def times(self) -> tuple[datetime | None, datetime | None]:
        data = self.cleaned_data
        return _aware(data.get("date"), data.get("start_time")), _aware(data.get("date"), data.get("end_time"))


class _OutsideMixin:
    """An outside person: name and e-mail go together."""

    def clean(self):
        data = super().clean()
        name, email = (data.get("outside_name") or "").strip(), (data.get("outside_email") or "").strip()
        if name and not email:
            self.add_error("outside_email", _("Enter the e-mail address of the person you invite."))
        if email and not name:
            self.add_error("outside_name", _("Enter the name of the person you invite."))
        return data

    def outside(self) -> list:
        data = self.cleaned_data
        if data.get("outside_name") and data.get("outside_email"):
            return [Outside(data["outside_name"], data["outside_email"],
                                             data.get("outside_role") or InviteeRole.VICTIM)]
        return []


# Service field names -> fields of these forms.
ALIASES = {"starts_at": "start_time", "ends_at": "end_time", "outside_name": "outside_name"}


class MeetingForm(_OutsideMixin, _TimesMixin, forms.Form):
    """Schedule a meeting: kind, host, time, place, chair, supervisor and invitees."""

    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    municipality = forms.ModelChoiceField(
        Municipality.objects.none(), label=_("Municipality"), required=False,
        help_text=_("For a case conference or a supervision meeting."),
    )
    area = forms.ModelChoiceField(
        CoordinationArea.objects.none(), label=_("Coordination area"), required=False,
        help_text=_("For a meeting of the coordination and cooperation group."),
    )
    date = WindowDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}), help_text=DURATION_HELP)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False, assume_scheme="https")
    chair = PersonChoiceField(None, label=_("Chair"), required=False)
    supervisor = PersonChoiceField(None, label=_("Supervisor"), required=False)
    institutions = forms.ModelMultipleChoiceField(
        Institution.objects.none(), label=_("Invited institutions"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = PeopleChoiceField(None, label=_("Invited people"), required=False)
    outside_name = forms.CharField(
        label=_("Outside person: name"), max_length=120, required=False,
        help_text=_("The victim or her representative, if she is invited. Stored encrypted."),
    )
    outside_email = forms.EmailField(label=_("Outside person: e-mail"), required=False)
    outside_role = forms.ChoiceField(
        label=_("Outside person: invited as"), required=False,
        choices=[(r.value, r.label) for r in (InviteeRole.VICTIM, InviteeRole.REPRESENTATIVE, InviteeRole.GUEST)],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["municipality"].queryset = eligibility.schedulable_municipalities(user)
        self.fields["area"].queryset = eligibility.schedulable_areas(user)
        staff = eligibility.staff_choices_for(user)
        self.fields["chair"].queryset = staff
        self.fields["people"].queryset = staff
        self.fields["supervisor"].queryset = staff.filter(
            memberships__role=Role.SUPERVISOR, memberships__is_active=True
        ).distinct()
        self.fields["institutions"].queryset = eligibility.institution_choices_for(user)



class RescheduleForm(_TimesMixin, forms.Form):
    """Change the time, place, chair or supervisor of a scheduled meeting."""

    date = MeetingForm.base_fields["date"]
    start_time = MeetingForm.base_fields["start_time"]
    end_time = MeetingForm.base_fields["end_time"]
    place = MeetingForm.base_fields["place"]
    online_url = MeetingForm.base_fields["online_url"]
    chair = PersonChoiceField(None, label=_("Chair"), required=False)
    supervisor = PersonChoiceField(None, label=_("Supervisor"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        staff = eligibility.eligible_staff(municipality_id=meeting.municipality_id, area=meeting.area)
        self.fields["chair"].queryset = staff.order_by("last_name", "first_name")
        self.fields["supervisor"].queryset = eligibility.staff_choices_for(user).filter(
            memberships__role=Role.SUPERVISOR, memberships__is_active=True
        ).distinct() | _current(meeting.supervisor_id)


def _current(user_id):
    return User.objects.filter(pk=user_id) if user_id else User.objects.none()


class CancelForm(forms.Form):
    """Cancel a meeting, with a reason for the record (not sent to anyone)."""

    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255, required=False)


class InviteeForm(_OutsideMixin, forms.Form):
    """Invite one more institution, staff member or outside person."""

    institution = forms.ModelChoiceField(Institution.objects.none(), label=_("Institution"), required=False)
    person = PersonChoiceField(None, label=_("Staff member"), required=False)
    outside_name = MeetingForm.base_fields["outside_name"]
    outside_email = MeetingForm.base_fields["outside_email"]
    outside_role = MeetingForm.base_fields["outside_role"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = eligibility.eligible_institutions(
            municipality_id=meeting.municipality_id, area=meeting.area
        ).order_by("name")
        self.fields["person"].queryset = eligibility.eligible_staff(
            municipality_id=meeting.municipality_id, area=meeting.area
        ).order_by("last_name", "first_name")


class RespondForm(forms.Form):
    """Accept or decline an invitation."""

    invitee = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.ChoiceField(
        label=_("Your answer"), widget=forms.RadioSelect,
        choices=[(InvitationResponse.ACCEPTED.value, _("Accept")), (InvitationResponse.DECLINED.value, _("Decline"))],
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=255, required=False)


class AgendaAddForm(forms.Form):
    """Add a case to the agenda by its number."""

    number = forms.CharField(label=_("Case number"), max_length=32, help_text=_("E.g. LAZ-2026-00042."))
    section = forms.ChoiceField(label=_("Agenda table"), choices=AgendaSection.choices, initial=AgendaSection.OTHER)
    planned_minutes = forms.IntegerField(label=_("Minutes planned"), min_value=1, max_value=240, initial=15)
    reason = forms.CharField(label=_("Why on the agenda"), max_length=255, required=False)


class FeedForm(forms.Form):
    """Create a private calendar feed."""

    name = forms.CharField(label=_("Name"), max_length=80, required=False,
                           help_text=_("E.g. the device or calendar it is used in."))


class AreaForm(forms.Form):
    """A coordination area: the prosecutor's office, its seat, member municipalities and institutions."""

    name = forms.CharField(label=_("Name (Latin)"), max_length=160)
    name_cyrl = forms.CharField(label=_("Name (Cyrillic)"), max_length=160, required=False)
    municipality = forms.ModelChoiceField(
        Municipality.objects.filter(is_active=True).order_by("name"), label=_("Seat municipality"),
        help_text=_("Where the basic public prosecutor's office is."),
    )
    prosecutor_office = forms.ModelChoiceField(
        Institution.objects.filter(is_active=True).select_related("municipality").order_by("name"),
        label=_("Basic public prosecutor's office"), required=False,
    )
    municipalities = forms.ModelMultipleChoiceField(
        Municipality.objects.filter(is_active=True).order_by("name"), label=_("Municipalities covered"),
        required=False, widget=forms.CheckboxSelectMultiple, help_text=_("The seat is always covered."),
    )
    institutions = forms.ModelMultipleChoiceField(
        Institution.objects.filter(is_active=True).select_related("municipality").order_by("municipality__name", "name"),
        label=_("Permanent member institutions"), required=False,
        help_text=_("Usually the prosecutor's office, the police and the centres for social work."),
    )
    meeting_interval_days = forms.IntegerField(label=_("Meets at least every (days)"), min_value=1, max_value=90,
                                               initial=15)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
