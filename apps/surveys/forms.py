"""Forms of the surveys app (staff pages)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.dates import validate_date_window
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .choices import QuestionnaireKind


class OwnerForm(forms.Form):
    """Whose questionnaire: an institution, or (empty) the whole municipality. A coordinator of several
    municipalities chooses the municipality (nothing is picked for them); with an institution, it must be
    the institution's."""

    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none(), required=False,
                                         help_text=_("Empty: the questionnaire of the whole municipality."))

    def __init__(self, *args, institutions=None, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions if institutions is not None else Institution.objects.none()
        self.municipalities = list(municipalities)
        if len(self.municipalities) > 1:
            self.fields["municipality"] = forms.ModelChoiceField(
                label=_("Municipality"), required=False,
                queryset=Municipality.objects.filter(pk__in=[m.pk for m in self.municipalities]).order_by("name"),
                help_text=_("You coordinate several municipalities: whose questionnaire this is."))
            self.order_fields(["municipality", "institution"])

    def clean(self):
        data = super().clean()
        institution, chosen = data.get("institution"), data.get("municipality")
        if institution is not None:
            if chosen is not None and chosen.pk != institution.municipality_id:
                self.add_error("municipality", _("The institution belongs to another municipality."))
            data["municipality"] = institution.municipality
        elif not self.municipalities:
            self.add_error("institution", _("Choose your institution."))
        elif len(self.municipalities) == 1:
            data["municipality"] = self.municipalities[0]
        elif chosen is None:
            self.add_error("municipality", _("Choose the municipality."))
        return data


class AdoptForm(OwnerForm):
    template = forms.ChoiceField(label=_("National template"))
    field_order = ["template"]

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = list(templates)


class NewQuestionnaireForm(OwnerForm):
    title_sr_latn = forms.CharField(label=_("Title (Serbian, Latin script)"), max_length=200)
    title_sr_cyrl = forms.CharField(label=_("Title (Serbian, Cyrillic script)"), max_length=200, required=False,
                                    help_text=_("Empty: transliterated from the Latin text."))
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionnaireKind.choices)
    field_order = ["title_sr_latn", "title_sr_cyrl", "title_en", "kind"]


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none(), required=False)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}),
                               validators=[validate_date_window])
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}),
                                validators=[validate_date_window])

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions if institutions is not None else Institution.objects.none()


class NationalTextsForm(forms.Form):
    """The title and introduction of a national template's draft."""

    title_sr_latn = forms.CharField(label=_("Title (Serbian, Latin script)"), max_length=200)
    title_sr_cyrl = forms.CharField(label=_("Title (Serbian, Cyrillic script)"), max_length=200, required=False,
                                    help_text=_("Empty: transliterated from the Latin text."))
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    intro_sr_latn = forms.CharField(label=_("Introduction (Serbian, Latin script)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    intro_sr_cyrl = forms.CharField(label=_("Introduction (Serbian, Cyrillic script)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text=_("Empty: transliterated from the Latin text."))
    intro_en = forms.CharField(label=_("Introduction (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(row) -> dict:
        title, intro = row.content.get("title") or {}, row.content.get("intro") or {}
        return {"title_sr_latn": title.get("sr-latn", ""), "title_sr_cyrl": title.get("sr-cyrl", ""),
                "title_en": title.get("en", ""), "intro_sr_latn": intro.get("sr-latn", ""),
                "intro_sr_cyrl": intro.get("sr-cyrl", ""), "intro_en": intro.get("en", ""), "version": row.version}
