"""Filters: the base of the platform's FilterSets (form built once per class) and the audit log's."""
from __future__ import annotations

import copy
import datetime
from functools import cache

import django_filters
from django import forms
from django.apps import apps
from django.forms.boundfield import BoundField
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction
from .dates import WindowDateField, WindowDateTimeField
from .models import AuditEntry

_UNBOUND_WIDGETS: dict = {}


class UnboundOnceBoundField(BoundField):
    """A field whose widget, on a form nobody filled in, is rendered once per form class and language:
    an empty filter looks the same to everyone (its choices and labels are the class's), and the case
    list, the most requested page, drew its empty selects and date inputs on every request."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        form = self.form
        if (widget is None and attrs is None and not only_initial and not form.is_bound
                and self.name not in form.initial and self.field.initial is None):
            key = (type(form), self.name, form.auto_id, form.prefix, get_language())
            markup = _UNBOUND_WIDGETS.get(key)
            if markup is None:
                markup = _UNBOUND_WIDGETS[key] = super().as_widget()
            return markup
        return super().as_widget(widget, attrs, only_initial)


class FormOnceFilterSet(django_filters.FilterSet):
    """A FilterSet whose form class is built once per class, not on every request.

    django-filter deep-copies every filter and builds a new form class (a new field per filter) for each
    FilterSet it makes; on the case list, the most requested page, that was about a millisecond of every
    request. Here the form class is made once, from copies of the class's filters, and each FilterSet
    copies its filters shallowly (a filter keeps no per-request state but its ``parent``). Whatever
    depends on the user (the rows a choice offers) is set on the form of the request, in
    ``scope_form``, never on the shared class: Django's form copies its fields per instance.
    ``same_for_everyone`` names the fields whose empty widget is the same for every user (no choice
    narrowed to the user): drawn once per language (``UnboundOnceBoundField``)."""

    same_for_everyone: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, filter_ in self.base_filters.items():
            filter_ = self.filters[name] = copy.copy(filter_)
            filter_.model = queryset.model
            filter_.parent = self

    @classmethod
    def form_class(cls) -> type[forms.Form]:
        """The form class of this FilterSet class, built on first use."""
        built = cls.__dict__.get("_form_class_once")
        if built is None:
            fields = {name: copy.deepcopy(filter_).field for name, filter_ in cls.base_filters.items()}
            for name in cls.same_for_everyone:
                fields[name].bound_field_class = UnboundOnceBoundField
            built = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class_once = built
        return built

    def get_form_class(self):
        return self.form_class()

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            if self.is_bound:
                self._form = form_class(self.data, prefix=self.form_prefix)
            else:
                self._form = form_class(prefix=self.form_prefix)
            self.scope_form(self._form)
        return self._form

    def scope_form(self, form) -> None:
        """Narrow the request's form to its user (a choice among the rows they may see)."""


class WindowDateFilter(django_filters.DateFilter):
    """A date filter that answers a date outside the usable window with a message, not an error."""

    field_class = WindowDateField


class WindowDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter that refuses impossible offsets and far-away moments."""

    field_class = WindowDateTimeField


@cache
def _object_type_labels() -> dict[str, str]:
    labels = {}
    for model in apps.get_models():
        if model.__module__.startswith("apps."):
            labels[model._meta.label_lower] = model._meta.verbose_name
    return labels


def object_type_label(label_lower: str) -> str:
    """A readable name for an audit entry's object type, in the active language (the raw label if
    the model is gone). A verbose name Django made from the class name is looked up in the catalog."""
    label = _object_type_labels().get(label_lower)
    if not label:
        return label_lower
    text = str(label) if isinstance(label, Promise) else gettext(label)
    return text[:1].upper() + text[1:]


def object_type_choices() -> list[tuple[str, str]]:
    return sorted(((k, object_type_label(k)) for k in _object_type_labels()), key=lambda c: c[1])


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DateInput(forms.DateInput):
    """A date typed as 27.11.2026."""

    def __init__(self, **kwargs):
        super().__init__(format="%d.%m.%Y", attrs={"placeholder": "27.11.2026", "inputmode": "numeric"}, **kwargs)


class DateRangeForm(forms.Form):
    """A filter form whose date range (date_from, date_to) must be the right way round."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class AuditFilterForm(DateRangeForm):
    """The audit log's filter form: its dates come from the filters (inside the date window)."""


class AuditFilter(django_filters.FilterSet):
    """Date range, action, user, object type and municipality (only those the user may see)."""

    date_from = WindowDateFilter(label=_("From"), method="filter_from", widget=DateInput())
    date_to = WindowDateFilter(label=_("To"), method="filter_to", widget=DateInput())
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditAction.choices, empty_label=_("All"))
    user = django_filters.CharFilter(
        label=_("User (e-mail contains)"), field_name="actor_label", lookup_expr="icontains", max_length=254
    )
    object_type = django_filters.ChoiceFilter(label=_("Object type"), choices=object_type_choices, empty_label=_("All"))
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=None, method="filter_municipality", empty_label=_("All")
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []
        form = AuditFilterForm

    def __init__(self, data=None, queryset=None, *, municipalities, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def filter_from(self, queryset, name, value):
        return queryset.filter(at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(at__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(municipality_id=value.pk)

    def used_filters(self) -> list[str]:
        """Names of the filters in use (for the export's audit entry; never their values)."""
        if not self.is_bound or not self.form.is_valid():
            return []
        return sorted(k for k, v in self.form.cleaned_data.items() if v not in (None, ""))
