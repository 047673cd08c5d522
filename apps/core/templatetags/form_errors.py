"""The error summary of a page: every invalid form the page was given, whatever its name and
however the page renders it, so that base.html can prefix the title with "Error:" and list each
error with a link to its field (the GOV.UK error summary pattern)."""
from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class Problem:
    """One error: its text, and the id of the field to jump to ("" when it has none)."""

    text: str
    field_id: str = ""


def _field_id(bound) -> str:
    """The id to jump to: the label's target, or a radio or checkbox group's first option."""
    if bound.id_for_label:
        return bound.id_for_label
    subwidgets = bound.subwidgets
    return (subwidgets[0].id_for_label or "") if subwidgets else (bound.auto_id or "")


def _form_problems(form: BaseForm) -> list[Problem]:
    problems = [Problem(str(e)) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        label = bound.label or name
        target = "" if bound.is_hidden else _field_id(bound)
        problems.extend(Problem(f"{label}: {e}", target) for e in errors)
    return problems


def _problems(value) -> list[Problem]:
    if isinstance(value, BaseFormSet):
        if not value.is_bound:
            return []
        found = [Problem(str(e)) for e in value.non_form_errors()]
        for form in value.forms:
            found.extend(_form_problems(form))
        return found
    if isinstance(value, BaseForm):
        return _form_problems(value) if value.is_bound else []
    return []


@register.simple_tag(takes_context=True)
def form_problems(context) -> list[Problem]:
    """The errors of every bound, invalid form or formset among the page's context values, in order."""
    seen: set[int] = set()
    found: list[Problem] = []
    for value in context.flatten().values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        found.extend(_problems(value))
    return list(dict.fromkeys(found))
