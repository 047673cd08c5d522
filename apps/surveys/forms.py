"""Forms of the surveys app (staff pages)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.dates import validate_date_window
from apps.institutions.models import Institution

from .choices import QuestionKind, QuestionnaireKind
from .national import TEMPLATE_CHOICES


class AdoptForm(forms.Form):
    template = forms.ChoiceField(label=_("National template"), choices=TEMPLATE_CHOICES)
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none(), required=False,
                                         help_text=_("Empty: the questionnaire of the whole municipality."))

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions if institutions is not None else Institution.objects.none()


class NewQuestionnaireForm(forms.Form):
    title_sr_latn = forms.CharField(label=_("Title (Serbian, Latin script)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionnaireKind.choices)
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none(), required=False,
                                         help_text=_("Empty: the questionnaire of the whole municipality."))

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions if institutions is not None else Institution.objects.none()


class QuestionForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), required=False)
    new_section = forms.CharField(label=_("Or a new section (title, Latin script)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_sr_latn = forms.CharField(label=_("Question (Serbian, Latin script)"), max_length=500)
    text_sr_cyrl = forms.CharField(label=_("Question (Serbian, Cyrillic script; empty: transliterated)"), max_length=500, required=False)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    options = forms.CharField(label=_("Options (one per line, Latin script)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    low_label = forms.CharField(label=_("Label of 1"), max_length=100, required=False)
    high_label = forms.CharField(label=_("Label of 5"), max_length=100, required=False)
    show_if = forms.ChoiceField(label=_("Show only when this question…"), required=False)
    show_if_value = forms.CharField(label=_("…was answered (yes, no, or the option's text)"), max_length=200, required=False)

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        sections = list(version.sections.all()) if version is not None else []
        self.fields["section"].choices = [("", "—")] + [(str(s.pk), str(s) or f"#{s.position}") for s in sections]
        conditions = list(version.questions.filter(kind__in=[QuestionKind.YES_NO, QuestionKind.SINGLE])) if version else []
        self.fields["show_if"].choices = [("", "—")] + [(str(q.pk), q.display_text[:80]) for q in conditions]

    def clean(self):
        data = super().clean()
        if not data.get("section") and not data.get("new_section"):
            self.add_error("new_section", _("Choose a section or name a new one."))
        show_if = data.get("show_if")
        if show_if:
            question = self.version.questions.get(pk=show_if)
            wanted = (data.get("show_if_value") or "").strip()
            values = {question.option_label(v).casefold(): v for v in question.option_values()}
            values.update({v: v for v in question.option_values()})
            if wanted.casefold() not in values and wanted not in values:
                self.add_error("show_if_value", _("Give one of that question's answers."))
            else:
                data["show_if_question"] = question
                data["show_if_value"] = values.get(wanted.casefold(), values.get(wanted))
        return data

    def fields_for_service(self) -> dict:
        data = self.cleaned_data
        options = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        return {
            "kind": data["kind"], "required": data["required"],
            "text": {"sr-latn": data["text_sr_latn"], "sr-cyrl": data.get("text_sr_cyrl", ""), "en": data.get("text_en", "")},
            "options": [{"value": f"o{i}", "label": {"sr-latn": label}} for i, label in enumerate(options, start=1)],
            "low_label": {"sr-latn": data.get("low_label", "")}, "high_label": {"sr-latn": data.get("high_label", "")},
            "show_if": data.get("show_if_question"),
            "show_if_value": (data.get("show_if_value") or "") if data.get("show_if_question") else "",
        }


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
