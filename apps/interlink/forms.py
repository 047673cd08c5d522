"""Forms of the institution admin's pages and the matching queue."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RecordKind, Scope
from .services.accounts import MAX_RATE_PER_MINUTE


class MachineAccountForm(forms.Form):
    name = forms.CharField(label=_("Name of the system"), max_length=120)
    scopes = forms.MultipleChoiceField(label=_("What it may do"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    rate_per_minute = forms.IntegerField(label=_("Requests per minute"), min_value=1, max_value=MAX_RATE_PER_MINUTE,
                                         initial=120)


class MachineAccountEditForm(MachineAccountForm):
    name = None


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of records"), choices=RecordKind.choices)
    file = forms.FileField(label=_("File (CSV or XLSX)"))


class AssignForm(forms.Form):
    case = forms.TypedChoiceField(label=_("Where the record belongs"), coerce=int, empty_value=None)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(0, _("Open a new case")), *[(c.pk, c.number) for c in cases]]


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("Why the decision is undone"), max_length=200, required=False)
