"""The FilterSet base builds its form class once per class; an empty filter's widgets are drawn once per
language; whatever depends on the user or on what was typed is still drawn per request."""
from types import SimpleNamespace

from django.utils import translation

from apps.cases.filters import CaseListFilter
from apps.core import filters as core_filters


class NoAccess:
    """A user of no institution: the filter's institution choices are empty."""

    def municipalities_with(self, codename):
        return frozenset()


def user():
    return SimpleNamespace(pk=None, is_authenticated=True, access=NoAccess(), is_platform_admin=False)


def test_the_form_class_is_built_once_and_each_request_gets_its_own_fields():
    first, second = CaseListFilter(None, user=user()), CaseListFilter(None, user=user())
    assert type(first.form) is type(second.form)
    assert first.form.fields["status"] is not second.form.fields["status"]
    # The user's institutions are set on the request's form, never on the shared class.
    assert first.form.fields["institution"].queryset is not CaseListFilter.form_class().base_fields["institution"].queryset


def test_an_empty_widget_is_drawn_once_per_language_and_a_filled_one_every_time():
    core_filters._UNBOUND_WIDGETS.clear()
    with translation.override("en"):
        english = str(CaseListFilter(None, user=user()).form["status"])
        assert "Any status" in english
        assert str(CaseListFilter(None, user=user()).form["status"]) == english
    with translation.override("sr-cyrl"):
        cyrillic = str(CaseListFilter(None, user=user()).form["status"])
    assert cyrillic != english
    with translation.override("en"):
        chosen = str(CaseListFilter({"status": "closed", "q": "Primer"}, user=user()).form["status"])
        typed = str(CaseListFilter({"q": "Primer"}, user=user()).form["q"])
    assert 'value="closed" selected' in chosen
    assert 'value="Primer"' in typed
    assert {key[1] for key in core_filters._UNBOUND_WIDGETS} == {"status"}
