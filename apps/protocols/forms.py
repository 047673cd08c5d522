"""Forms of the protocols app (input only; the services decide)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.dates import WindowDateField
from apps.core.forms import ScopedFormMixin, ScopedModelChoiceField, ScopedModelMultipleChoiceField
from apps.institutions.models import Institution

from .choices import Answer, ProtocolKind, ProvingEvent, Sector, Theme, TimeUnit
from .models import Checklist, Protocol

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    """A form that carries the version of the row it edits (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ProtocolForm(ScopedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProtocolKind.choices)
    title = forms.CharField(label=_("Title (Latin)"), max_length=250)
    title_cyrl = forms.CharField(label=_("Title (Cyrillic)"), max_length=250, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=250, required=False)
    based_on = ScopedModelChoiceField(Protocol.objects.filter(municipality__isnull=True), label=_("Adapt the national template"),
                                      required=False)


class VersionForm(VersionedForm):
    preamble = forms.CharField(label=_("Preamble (Latin)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    preamble_cyrl = forms.CharField(label=_("Preamble (Cyrillic)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    preamble_en = forms.CharField(label=_("Preamble (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class StepForm(VersionedForm):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    position = forms.IntegerField(label=_("Number"), min_value=1)
    actor = forms.CharField(label=_("Who acts (Latin)"), max_length=200)
    actor_cyrl = forms.CharField(label=_("Who acts (Cyrillic)"), max_length=200, required=False)
    actor_en = forms.CharField(label=_("Who acts (English)"), max_length=200, required=False)
    action = forms.CharField(label=_("What (Latin)"), widget=forms.Textarea(attrs={"rows": 3}))
    action_cyrl = forms.CharField(label=_("What (Cyrillic)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    action_en = forms.CharField(label=_("What (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    time_amount = forms.IntegerField(label=_("Within"), min_value=1, required=False)
    time_unit = forms.ChoiceField(label=_("Unit"), choices=TimeUnit.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=250, required=False)
    proving_event = forms.ChoiceField(label=_("Proving case event"), choices=ProvingEvent.choices, required=False)


class AdoptForm(VersionedForm):
    adopted_on = WindowDateField(label=_("Adopted on"), widget=DATE)
    decision_number = forms.CharField(label=_("Decision number"), max_length=80)


class AgreementForm(ScopedFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=250)
    subject = forms.CharField(label=_("Subject"), widget=forms.Textarea(attrs={"rows": 4}))
    protocol = ScopedModelChoiceField(Protocol.objects.all(), label=_("Protocol it implements"), required=False)
    valid_from = WindowDateField(label=_("Valid from"), widget=DATE, required=False)
    valid_until = WindowDateField(label=_("Valid until"), widget=DATE, required=False,
                                  help_text=_("Empty: indefinite."))


class PartyForm(ScopedFormMixin, forms.Form):
    institution = ScopedModelChoiceField(Institution.objects.filter(is_active=True), label=_("Institution"),
                                         required=False)
    outside_name = forms.CharField(label=_("Or an outside party"), max_length=250, required=False,
                                   help_text=_("E.g. the bar association or the national employment service."))
    signatory_name = forms.CharField(label=_("Signatory"), max_length=150, required=False)
    signatory_function = forms.CharField(label=_("Function"), max_length=150, required=False)


class SignForm(forms.Form):
    signed_on = WindowDateField(label=_("Signed on"), widget=DATE)
    signatory_name = forms.CharField(label=_("Signatory"), max_length=150)
    signatory_function = forms.CharField(label=_("Function"), max_length=150, required=False)


class ScanForm(VersionedForm):
    scan = forms.FileField(label=_("Signed scan (PDF)"))


class AnnexForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    summary = forms.CharField(label=_("What it changes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    signed_on = WindowDateField(label=_("Signed on"), widget=DATE)


class TerminateForm(VersionedForm):
    terminated_on = WindowDateField(label=_("Terminated on"), widget=DATE)


class RoundForm(ScopedFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    checklist = ScopedModelChoiceField(Checklist.objects.all(), label=_("Checklist"))
    period_from = WindowDateField(label=_("Period from"), widget=DATE)
    period_to = WindowDateField(label=_("Period to"), widget=DATE)
    deadline = WindowDateField(label=_("Deadline"), widget=DATE)
    institutions = ScopedModelMultipleChoiceField(Institution.objects.filter(is_active=True), label=_("Institutions"),
                                                  widget=forms.CheckboxSelectMultiple)


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Item (Latin)"), widget=forms.Textarea(attrs={"rows": 3}))
    text_cyrl = forms.CharField(label=_("Item (Cyrillic)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    text_en = forms.CharField(label=_("Item (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(VersionedForm):
    return_note = forms.CharField(label=_("What to complete"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionPointForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices)
    text = forms.CharField(label=_("What to improve"), widget=forms.Textarea(attrs={"rows": 2}))
    due = WindowDateField(label=_("By"), widget=DATE, required=False)


ANSWER_CHOICES = [("", "—"), *Answer.choices]


def answers_from_post(data, items) -> dict:
    """{item_id: {value, note, evidence_url}} from the answer form's fields (item_<id>, note_<id>, url_<id>)."""
    return {
        item.pk: {
            "value": data.get(f"item_{item.pk}", ""),
            "note": data.get(f"note_{item.pk}", ""),
            "evidence_url": data.get(f"url_{item.pk}", "").strip(),
        }
        for item in items
    }
