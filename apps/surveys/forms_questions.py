"""Forms of the builder: a question (added on the questionnaire page, or edited on its own page with its
options one per row), a section. Every text in Serbian Latin, Serbian Cyrillic and English; an empty
Cyrillic field means "transliterate the Latin text" (apps/surveys/models/common.py, ``three``).

The forms serve the municipalities' questionnaires (rows) and the platform admins' national templates
(a document): what they need of the version comes as plain lists, ``sections`` [(id, title)] and
``conditions`` [(id, text, [(value, label)])], and the chosen ids are given back as strings.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.text import to_cyrillic

from .choices import QuestionKind
from .models.common import three

CYRILLIC_HELP = _("Empty: transliterated from the Latin text.")


def _cyrillic(label):
    return forms.CharField(label=label, max_length=500, required=False, help_text=CYRILLIC_HELP)


class QuestionFieldsForm(forms.Form):
    """The fields of a question itself."""

    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    text_sr_latn = forms.CharField(label=_("Question (Serbian, Latin script)"), max_length=500)
    text_sr_cyrl = _cyrillic(_("Question (Serbian, Cyrillic script)"))
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    low_label = forms.CharField(label=_("Label of 1"), max_length=100, required=False)
    low_label_sr_cyrl = _cyrillic(_("Label of 1 (Cyrillic script)"))
    low_label_en = forms.CharField(label=_("Label of 1 (English)"), max_length=100, required=False)
    high_label = forms.CharField(label=_("Label of 5"), max_length=100, required=False)
    high_label_sr_cyrl = _cyrillic(_("Label of 5 (Cyrillic script)"))
    high_label_en = forms.CharField(label=_("Label of 5 (English)"), max_length=100, required=False)
    min_value = forms.IntegerField(label=_("Smallest number"), required=False)
    max_value = forms.IntegerField(label=_("Largest number"), required=False)
    show_if = forms.ChoiceField(label=_("Show only when this question…"), required=False)
    show_if_value = forms.CharField(label=_("…was answered (yes, no, or the option's text)"), max_length=200, required=False)

    def __init__(self, *args, sections=(), conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.conditions = {str(cid): (text, list(values)) for cid, text, values in conditions}
        self.fields["show_if"].choices = [("", "—")] + [(cid, text[:80]) for cid, (text, _v) in self.conditions.items()]
        if "section" in self.fields:
            self.fields["section"].choices = [("", "—")] * (not self.fields["section"].required) + [
                (str(sid), title or f"#{n}") for n, (sid, title) in enumerate(sections, start=1)]
        for name in ("text_sr_cyrl", "low_label_sr_cyrl", "high_label_sr_cyrl"):
            latin = self._latin_of(name)
            if latin:
                self.fields[name].widget.attrs["placeholder"] = to_cyrillic(latin)

    def _latin_of(self, name):
        source = {"text_sr_cyrl": "text_sr_latn", "low_label_sr_cyrl": "low_label",
                  "high_label_sr_cyrl": "high_label"}[name]
        return (self.data.get(self.add_prefix(source)) if self.is_bound else self.initial.get(source)) or ""

    def clean(self):
        data = super().clean()
        show_if = data.get("show_if")
        data["show_if_value"] = (data.get("show_if_value") or "").strip()
        if show_if:
            _text, values = self.conditions[show_if]
            wanted = data["show_if_value"]
            found = {label.casefold(): value for value, label in values}
            found.update({value.casefold(): value for value, _label in values})
            if wanted.casefold() not in found:
                self.add_error("show_if_value", _("Give one of that question's answers."))
            else:
                data["show_if_value"] = found[wanted.casefold()]
        else:
            data["show_if_value"] = ""
        return data

    def question_fields(self) -> dict:
        """The question's stored fields (without options and section); ``show_if`` is the chosen id or ""."""
        d = self.cleaned_data
        return {
            "kind": d["kind"], "required": d["required"],
            "text": three(d["text_sr_latn"], d.get("text_sr_cyrl"), d.get("text_en")),
            "low_label": three(d.get("low_label"), d.get("low_label_sr_cyrl"), d.get("low_label_en")),
            "high_label": three(d.get("high_label"), d.get("high_label_sr_cyrl"), d.get("high_label_en")),
            "min_value": d.get("min_value"), "max_value": d.get("max_value"),
            "show_if": d.get("show_if") or "", "show_if_value": d["show_if_value"],
        }

    @staticmethod
    def initial_for(question: dict) -> dict:
        """Initial values from a question's stored fields (a row's or a template's)."""
        def part(field, lang):
            return (question.get(field) or {}).get(lang, "")

        return {
            "kind": question.get("kind"), "required": question.get("required", False),
            "text_sr_latn": part("text", "sr-latn"), "text_sr_cyrl": part("text", "sr-cyrl"), "text_en": part("text", "en"),
            "low_label": part("low_label", "sr-latn"), "low_label_sr_cyrl": part("low_label", "sr-cyrl"),
            "low_label_en": part("low_label", "en"),
            "high_label": part("high_label", "sr-latn"), "high_label_sr_cyrl": part("high_label", "sr-cyrl"),
            "high_label_en": part("high_label", "en"),
            "min_value": question.get("min_value"), "max_value": question.get("max_value"),
            "show_if": question.get("show_if") or "", "show_if_value": question.get("show_if_value", ""),
        }


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _aligned(text) -> list[str]:
    """Lines matched to the Latin ones by their place: an empty line leaves that option's text empty."""
    lines = [line.strip() for line in (text or "").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


class QuestionAddForm(QuestionFieldsForm):
    """A new question on the questionnaire page: the options one per line, in the same order per language."""

    section = forms.ChoiceField(label=_("Section"), required=False)
    new_section = forms.CharField(label=_("Or a new section (title, Latin script)"), max_length=200, required=False)
    options = forms.CharField(label=_("Options (one per line, Latin script)"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)
    options_sr_cyrl = forms.CharField(
        label=_("Options (one per line, Cyrillic script, same order)"), widget=forms.Textarea(attrs={"rows": 4}),
        required=False, strip=False, help_text=_("An empty line: transliterated from the Latin text."))
    options_en = forms.CharField(label=_("Options (one per line, English, same order)"),
                                 widget=forms.Textarea(attrs={"rows": 4}), required=False, strip=False)
    field_order = ["section", "new_section", "kind", "text_sr_latn", "text_sr_cyrl", "text_en", "required",
                   "options", "options_sr_cyrl", "options_en"]

    def clean(self):
        data = super().clean()
        if not data.get("section") and not data.get("new_section"):
            self.add_error("new_section", _("Choose a section or name a new one."))
        latin = _lines(data.get("options"))
        for name in ("options_sr_cyrl", "options_en"):
            if len(_aligned(data.get(name))) > len(latin):
                self.add_error(name, _("Give at most as many lines as in Latin script (%(n)s), in the same order; "
                                       "an empty line keeps the default.") % {"n": len(latin)})
        return data

    def options_list(self) -> list[dict]:
        d = self.cleaned_data
        latin = _lines(d.get("options"))
        cyrillic, english = _aligned(d.get("options_sr_cyrl")), _aligned(d.get("options_en"))

        def at(lines, i):
            return lines[i] if i < len(lines) else ""

        return [{"value": f"o{i + 1}", "label": three(label, at(cyrillic, i), at(english, i))}
                for i, label in enumerate(latin)]


class QuestionEditForm(QuestionFieldsForm):
    """A question of a draft on its own page (the options in the formset below)."""

    section = forms.ChoiceField(label=_("Section"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = ["section", "kind", "text_sr_latn", "text_sr_cyrl", "text_en", "required"]


class OptionForm(forms.Form):
    value = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    label_sr_latn = forms.CharField(label=_("Option (Latin script)"), max_length=200, required=False)
    label_sr_cyrl = forms.CharField(label=_("Option (Cyrillic script)"), max_length=200, required=False,
                                    help_text=CYRILLIC_HELP)
    label_en = forms.CharField(label=_("Option (English)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latin = (self.data.get(self.add_prefix("label_sr_latn")) if self.is_bound else self.initial.get("label_sr_latn")) or ""
        if latin:
            self.fields["label_sr_cyrl"].widget.attrs["placeholder"] = to_cyrillic(latin)

    def clean(self):
        data = super().clean()
        if not data.get("label_sr_latn") and (data.get("label_sr_cyrl") or data.get("label_en")):
            self.add_error("label_sr_latn", _("Write the option in Latin script too."))
        return data


class BaseOptionFormSet(forms.BaseFormSet):
    def options_list(self) -> list[dict]:
        """The options in the order given (rows marked for removal and empty rows left out); an option
        keeps its value, a new one gets the next free one."""
        rows = []
        for form in self.ordered_forms if self.can_order else self.forms:
            d = form.cleaned_data
            if not d or d.get("DELETE") or not d.get("label_sr_latn"):
                continue
            rows.append(d)
        used = {d["value"] for d in rows if d.get("value")}
        n = 0
        options = []
        for d in rows:
            value = d.get("value")
            if not value:
                n += 1
                while f"o{n}" in used:
                    n += 1
                value = f"o{n}"
                used.add(value)
            options.append({"value": value, "label": three(d["label_sr_latn"], d.get("label_sr_cyrl"), d.get("label_en"))})
        return options

    @staticmethod
    def initial_for(options) -> list[dict]:
        return [{"value": o.get("value"), "label_sr_latn": (o.get("label") or {}).get("sr-latn", ""),
                 "label_sr_cyrl": (o.get("label") or {}).get("sr-cyrl", ""), "label_en": (o.get("label") or {}).get("en", ""),
                 "ORDER": i} for i, o in enumerate(options or [], start=1)]


OptionFormSet = forms.formset_factory(OptionForm, formset=BaseOptionFormSet, extra=2, can_order=True, can_delete=True,
                                      max_num=30, validate_max=True)


class SectionForm(forms.Form):
    title_sr_latn = forms.CharField(label=_("Title (Serbian, Latin script)"), max_length=200, required=False)
    title_sr_cyrl = forms.CharField(label=_("Title (Serbian, Cyrillic script)"), max_length=200, required=False,
                                    help_text=CYRILLIC_HELP)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def title(self) -> dict:
        d = self.cleaned_data
        return three(d.get("title_sr_latn"), d.get("title_sr_cyrl"), d.get("title_en"))

    @staticmethod
    def initial_for(title: dict, version: int) -> dict:
        title = title or {}
        return {"title_sr_latn": title.get("sr-latn", ""), "title_sr_cyrl": title.get("sr-cyrl", ""),
                "title_en": title.get("en", ""), "version": version}

