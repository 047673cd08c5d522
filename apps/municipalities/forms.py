"""Forms of the onboarding wizard and the municipality settings page."""
from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.forms import ScopedFormMixin
from apps.institutions.choices import InstitutionType

from .choices import LARGE_FROM_POPULATION, MunicipalityKind, SizeClass, size_class_for_population
from .grammar import propose_forms
from .models import Municipality
from .onboarding import (
    AdminSpec,
    InstitutionSpec,
    MunicipalitySpec,
    OnboardingSpec,
    default_cadence,
    municipality_conflicts,
    suggest_slug,
)

_code_validator = RegexValidator(r"^[A-Z]{2,8}$", gettext_lazy("Use 2 to 8 capital Latin letters, e.g. LAZ."))
_cyrillic_validator = RegexValidator(r"[\u0400-\u04FF]", gettext_lazy("Write the name in Cyrillic script."))


class MunicipalityStepForm(forms.Form):
    """Step 1: the municipality."""

    name = forms.CharField(label=gettext_lazy("Name (Latin script)"), max_length=120)
    name_cyrl = forms.CharField(
        label=gettext_lazy("Name (Cyrillic script)"), max_length=120, validators=[_cyrillic_validator]
    )
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=8, validators=[_code_validator],
        help_text=gettext_lazy("2 to 8 capital Latin letters, used in case numbers, e.g. NIS."),
    )
    slug = forms.SlugField(
        label=gettext_lazy("Short name (ASCII)"), max_length=60, required=False,
        help_text=gettext_lazy("Used in page addresses; left empty, it is made from the Latin name."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MunicipalityKind.choices,
                             initial=MunicipalityKind.MUNICIPALITY)
    name_locative = forms.CharField(
        label=gettext_lazy("Name in the locative (Latin)"), max_length=120, required=False,
        help_text=gettext_lazy("As in “Osnovni sud u Nišu”: Nišu. Left empty, it is proposed from the name; "
                               "check it in the next step's names."),
    )
    name_locative_cyrl = forms.CharField(
        label=gettext_lazy("Name in the locative (Cyrillic)"), max_length=120, required=False,
        validators=[_cyrillic_validator],
    )
    name_genitive = forms.CharField(
        label=gettext_lazy("Name in the genitive (Latin)"), max_length=120, required=False,
        help_text=gettext_lazy("As in “Gradska uprava grada Niša”: Niša. Left empty, it is proposed from the name."),
    )
    name_genitive_cyrl = forms.CharField(
        label=gettext_lazy("Name in the genitive (Cyrillic)"), max_length=120, required=False,
        validators=[_cyrillic_validator],
    )
    district = forms.CharField(label=gettext_lazy("District"), max_length=120, required=False)
    population = forms.IntegerField(label=gettext_lazy("Population"), min_value=0, required=False)
    size_class = forms.ChoiceField(
        label=gettext_lazy("Size"), required=False, initial="",
        choices=[("", gettext_lazy("From the population"))] + list(SizeClass.choices),
        help_text=gettext_lazy("Sets how often case conferences are held: monthly in larger, every two months in "
                               "smaller municipalities. Choose one only to depart from what the population implies."),
    )
    conference_cadence_months = forms.IntegerField(
        label=gettext_lazy("Case conference every (months)"), min_value=1, max_value=12, required=False,
        help_text=gettext_lazy("Leave empty to use the cadence of the size."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocapitalize": "characters", "data-onboarding-code": ""})
        self.fields["slug"].widget.attrs.update({"data-onboarding-slug": ""})
        self.fields["name"].widget.attrs.update({"data-onboarding-name": ""})
        self.fields["size_class"].widget.attrs.update({"data-onboarding-size": ""})
        self.fields["population"].help_text = _("Sets the size: larger from %(threshold)s people.") % {
            "threshold": f"{LARGE_FROM_POPULATION:,}".replace(",", ".")}
        self.fields["population"].widget.attrs.update(
            {"data-onboarding-population": "", "data-large-from": str(LARGE_FROM_POPULATION)})
        self.fields["conference_cadence_months"].widget.attrs.update({"data-onboarding-cadence": ""})

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        return slug

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("name") and "slug" not in self.errors:
            data["slug"] = suggest_slug(data["name"])
            if not data["slug"]:
                self.add_error("slug", _("Enter a short name in ASCII letters."))
        if not data.get("size_class") and "population" not in self.errors:
            implied = size_class_for_population(data.get("population"))
            if implied is None:
                self.add_error("population", _("Enter the population, or choose the size."))
            else:
                data["size_class"] = implied
        if data.get("name") and not any(n in self.errors for n in ("name", "name_cyrl")):
            # Proposals for the forms left empty; the names in the next step show them at work.
            forms_ = propose_forms(
                name=data["name"], name_cyrl=data.get("name_cyrl") or "",
                locative=data.get("name_locative") or "", locative_cyrl=data.get("name_locative_cyrl") or "",
                genitive=data.get("name_genitive") or "", genitive_cyrl=data.get("name_genitive_cyrl") or "",
            )
            data.update(name_locative=forms_.locative, name_locative_cyrl=forms_.locative_cyrl,
                        name_genitive=forms_.genitive, name_genitive_cyrl=forms_.genitive_cyrl)
        code, slug = data.get("code"), data.get("slug")
        if code and slug and not self.errors:
            for field_name, message in municipality_conflicts(code=code, slug=slug):
                self.add_error(field_name, message)
        return data


class InstitutionRowForm(forms.Form):
    """Step 2, one row: an institution from the standard list (or an extra one)."""

    include = forms.BooleanField(label=gettext_lazy("Include"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False,
                             choices=[("", "—")] + list(InstitutionType.choices))
    name = forms.CharField(label=gettext_lazy("Name (Latin script)"), max_length=200, required=False)
    name_cyrl = forms.CharField(
        label=gettext_lazy("Name (Cyrillic script)"), max_length=200, required=False, validators=[_cyrillic_validator],
        help_text=gettext_lazy("Left empty, it is transliterated from the Latin name."),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["include"].widget.attrs["data-onboarding-include"] = ""
        self.fields["name"].widget.attrs["data-onboarding-row-name"] = ""

    @property
    def is_extra(self) -> bool:
        """A row not from the standard list (no suggested type)."""
        return not (self.initial or {}).get("type")

    def clean(self):
        data = super().clean()
        name = (data.get("name") or "").strip()
        data["name"] = name
        data["name_cyrl"] = (data.get("name_cyrl") or "").strip()
        # An extra row the user typed a name into counts even if the box was not ticked.
        data["include"] = bool(data.get("include") or (self.is_extra and name))
        if data["include"]:
            if not data.get("type"):
                self.add_error("type", _("Choose the type."))
            if not name:
                self.add_error("name", _("Enter the name."))
        return data


class BaseInstitutionFormSet(forms.BaseFormSet):
    """Step 2: at least one institution; names unique."""

    def clean(self):
        seen: dict[str, int] = {}
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", {})
            if not data.get("include") or not data.get("name"):
                continue
            folded = data["name"].casefold()
            if folded in seen:
                form.add_error("name", _("The same name is in row %(row)s.") % {"row": seen[folded] + 1})
            else:
                seen[folded] = index
        if not seen and not any(self.errors):
            raise forms.ValidationError(_("Include at least one institution."))

    def included(self) -> list[dict]:
        """The ticked rows, each with its key (the row's position, stable while going back and forth)."""
        return included_institutions(self.cleaned_data)


def included_institutions(rows: list[dict]) -> list[dict]:
    """Ticked institution rows of step 2, each with a key (``row-N``)."""
    return [dict(row, key=f"row-{index + 1}") for index, row in enumerate(rows) if row.get("include")]


InstitutionFormSet = forms.formset_factory(InstitutionRowForm, formset=BaseInstitutionFormSet, extra=3)


class AdminRowForm(forms.Form):
    """Step 3, one row: a first institution admin."""

    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150, required=False)
    institution = forms.ChoiceField(label=gettext_lazy("Institution"), required=False)

    def __init__(self, *args, institution_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "—")] + list(institution_choices)

    def clean(self):
        data = super().clean()
        used = any((data.get(k) or "").strip() for k in ("email", "first_name", "last_name")) or "email" in self.errors
        data["used"] = bool(used)
        if used:
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Enter the e-mail address."))
            if not data.get("institution"):
                self.add_error("institution", _("Choose the institution."))
        return data


class BaseAdminFormSet(forms.BaseFormSet):
    """Step 3: at least one admin; one row per person and institution."""

    def __init__(self, *args, institution_choices=(), **kwargs):
        kwargs.setdefault("form_kwargs", {})["institution_choices"] = institution_choices
        super().__init__(*args, **kwargs)

    def clean(self):
        seen: dict[tuple[str, str], int] = {}
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", {})
            if not data.get("used") or not data.get("email") or not data.get("institution"):
                continue
            pair = (data["email"].lower(), data["institution"])
            if pair in seen:
                form.add_error("email", _("The same person and institution are in row %(row)s.") % {"row": seen[pair] + 1})
            else:
                seen[pair] = index
        if not seen and not any(self.errors):
            raise forms.ValidationError(_("Invite at least one institution admin."))


AdminFormSet = forms.formset_factory(AdminRowForm, formset=BaseAdminFormSet, extra=3)


class ConfirmForm(forms.Form):
    """Step 4: review and confirm (no fields)."""


def build_spec(municipality: dict, institutions: list[dict], admins: list[dict]) -> OnboardingSpec:
    """The service's spec from the wizard's cleaned data."""
    inst_specs = tuple(
        InstitutionSpec(key=row["key"], type=row["type"], name=row["name"], name_cyrl=row.get("name_cyrl") or "",
                        email=row.get("email") or "",
                        phone=(row.get("phone") or "").strip())
        for row in included_institutions(institutions)
    )
    admin_specs = tuple(
        AdminSpec(email=row["email"].lower(), institution_key=row["institution"],
                  first_name=(row.get("first_name") or "").strip(), last_name=(row.get("last_name") or "").strip())
        for row in admins if row.get("used")
    )
    return OnboardingSpec(
        municipality=MunicipalitySpec(
            name=municipality["name"].strip(), name_cyrl=municipality["name_cyrl"].strip(), code=municipality["code"],
            slug=municipality["slug"], kind=municipality["kind"], district=(municipality.get("district") or "").strip(),
            population=municipality.get("population"), size_class=municipality["size_class"],
            conference_cadence_months=municipality.get("conference_cadence_months"),
            name_locative=municipality.get("name_locative") or "",
            name_locative_cyrl=municipality.get("name_locative_cyrl") or "",
            name_genitive=municipality.get("name_genitive") or "",
            name_genitive_cyrl=municipality.get("name_genitive_cyrl") or "",
        ),
        institutions=inst_specs,
        admins=admin_specs,
    )


class MunicipalityEditForm(ScopedFormMixin, forms.ModelForm):
    """A municipality's settings (platform admins); code and short name stay as onboarded."""

    class Meta:
        model = Municipality
        fields = ["name", "name_cyrl", "name_locative", "name_locative_cyrl", "name_genitive", "name_genitive_cyrl",
                  "kind", "district", "population", "size_class",
                  "conference_cadence_months", "retention_years", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference_cadence_months"].required = False
        self.fields["conference_cadence_months"].help_text = _("Leave empty to use the cadence of the size.")

    def clean(self):
        data = super().clean()
        if not data.get("conference_cadence_months") and data.get("size_class"):
            data["conference_cadence_months"] = default_cadence(data["size_class"])
        return data
