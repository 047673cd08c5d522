"""Checks of a question shared by the builder (rows) and the national templates (a document)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..choices import QuestionKind
from ..models import Question


def validate_question(question: Question) -> None:
    """Refuse a question without its Latin text, a choice with fewer than two options, a bad condition or limits."""
    errors = {}
    if not (question.text or {}).get("sr-latn"):
        errors["text_sr_latn"] = _("Write the question in Serbian (Latin script).")
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(question.options or []) < 2:
        errors["options"] = _("A choice question needs at least two options.")
    if question.show_if_id and question.show_if.questionnaire_version_id != question.questionnaire_version_id:
        errors["show_if"] = _("The condition must be a question of the same version.")
    elif question.show_if_id and question.pk and question.show_if_id == question.pk:
        errors["show_if"] = _("A question cannot depend on its own answer.")
    if question.min_value is not None and question.max_value is not None and question.min_value > question.max_value:
        errors["max_value"] = _("The largest value is smaller than the smallest.")
    if errors:
        raise ValidationError(errors)
