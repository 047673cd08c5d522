"""The case list's parameters, defined once for the list page, its export and the API (same names):
the tab (``scope``), status, risk level, form of violence, reported from/to, institution, the search
text ``q`` and the page ``cursor``. Bad input is a message on the field it names, in the user's language.

The FilterSet validates and normalises; the cases themselves come from the list selectors
(``list_sql.case_page`` and ``lists.case_list`` for a page, ``list_search.search_in_tab`` for a
search), so the page, the export and the API give the same cases for the same parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.filters import FormOnceFilterSet, WindowDateFilter
from apps.core.forms import ScopedModelChoiceField
from apps.institutions.models import Institution

from .choices import CaseStatus, RiskLevel, ViolenceForm
from .forms_case import DateInput, LongSelect, QuickTextInput
from .models import Case
from .selectors.lists import WIDE_PERMISSION, effective_scope

SCOPE_CHOICES = [
    ("mine", _("My cases")),
    ("institution", _("My institution")),
    ("all", _("All cases")),
    ("shared", _("Shared with me")),
]
# Parameters that choose the page, not the cases: never saved with the page's filters.
NAVIGATION = ("scope", "cursor")


def default_scope(user) -> str:
    """Coordinators start on all cases of the municipality, everyone else on their own cases."""
    access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
    return "all" if access is not None and access.municipalities_with(WIDE_PERMISSION) else "mine"


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A key among the rows the user may see (FilterSet.__init__ scopes the queryset)."""

    field_class = ScopedModelChoiceField


class OneOrMoreSelect(LongSelect):
    """The page's single select, read as a list: the API sends ``?status=a&status=b``, the page one
    value (or the saved filters a plain string); "any" (empty) is no value."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if isinstance(values, str):
            values = [values]
        return [v for v in values or () if v not in ("", None)]

    def value_omitted_from_data(self, data, files, name):
        return False

    def format_value(self, value):
        return super().format_value(value) or [""]  # nothing chosen: "any" is the selected option


class CaseListForm(forms.Form):
    """The filter form: its fields come from CaseListFilter; the period must be the right way round."""

    def clean(self):
        data = super().clean()
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and start > end:
            self.add_error("reported_to", _("The end of the period is before its start."))
        return data


@dataclass
class CaseListQuery:
    """The validated parameters: the tab actually used, the search text, the cursor and the filters
    as the list selectors take them."""

    scope: str
    q: str = ""
    cursor: str | None = None
    filters: dict = field(default_factory=dict)


class CaseListFilter(FormOnceFilterSet):
    """Filters and search of the case list (the page posts them, never in the URL: a name is personal data)."""

    q = django_filters.CharFilter(
        label=_("Case number or person name"),
        max_length=100,
        widget=QuickTextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Latin or Cyrillic, with or without diacritics."),
    )
    # The list page is the most requested page: its selects are written in Python (same markup).
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=[("", _("Any status")), *CaseStatus.choices], widget=OneOrMoreSelect
    )
    risk_level = django_filters.MultipleChoiceFilter(
        label=_("Risk level"), choices=[("", _("Any level")), *RiskLevel.choices], widget=OneOrMoreSelect
    )
    form = django_filters.ChoiceFilter(
        label=_("Form of violence"), choices=ViolenceForm.choices, empty_label=_("Any form"), widget=LongSelect
    )
    reported_from = WindowDateFilter(label=_("Reported from"), widget=DateInput())
    reported_to = WindowDateFilter(label=_("Reported to"), widget=DateInput())
    institution = ScopedModelChoiceFilter(
        queryset=Institution.objects.filter(is_active=True).only("id", "name", "name_cyrl").order_by("name"),
        label=_("Institution taking part"),
        empty_label=_("Any institution"),
        widget=LongSelect,
    )
    scope = django_filters.ChoiceFilter(label=_("Which cases"), choices=SCOPE_CHOICES, widget=forms.HiddenInput)
    cursor = django_filters.CharFilter(max_length=500, widget=forms.HiddenInput)

    # The institution's choices are the user's; every other empty field looks the same to everyone.
    same_for_everyone = ("q", "status", "risk_level", "form", "reported_from", "reported_to")

    class Meta:
        model = Case
        fields: list[str] = []
        form = CaseListForm

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, queryset=Case.objects.none(), **kwargs)
        self.user = user
        self.filters["institution"].queryset = self.filters["institution"].queryset.visible_to(user, "view")

    def scope_form(self, form) -> None:
        form.fields["institution"].queryset = self.filters["institution"].queryset

    def query(self, *, scope: str | None = None) -> CaseListQuery:
        """The validated parameters (call after ``is_valid()``); ``scope`` overrides the one given
        (the page takes its tab from the URL). Without a tab: the user's default one."""
        data = self.form.cleaned_data if self.is_bound else {}
        used = effective_scope(self.user, scope or data.get("scope") or default_scope(self.user))
        return CaseListQuery(
            scope=used,
            q=(data.get("q") or "").strip(),
            cursor=data.get("cursor") or None,
            filters={
                "status": list(data.get("status") or ()) or None,
                "risk_level": list(data.get("risk_level") or ()) or None,
                "form": data.get("form") or None,
                "reported_from": data.get("reported_from"),
                "reported_to": data.get("reported_to"),
                "institution": data.get("institution"),
            },
        )

    def saved_data(self) -> dict:
        """What the page keeps of a valid form in the session: the filters typed, not the tab or page."""
        return {
            name: self.data.get(name)
            for name in self.form.fields
            if name not in NAVIGATION and self.data.get(name)
        }
