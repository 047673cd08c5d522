"""The anonymous answer: checked against the collection's version, stored all or nothing.

What is stored: the day (not the time), the answers, and for a pre/post wave a keyed hash of the
personal code the professional made up. Free-text answers go to a table of their own with no link to
the submission. Nothing about the request (address, browser, user, time of day) reaches this module.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import TEXT_KINDS, QuestionKind
from ..models import Answer, Collection, Submission, TextAnswer

TEXT_LIMIT = 2000
CODE_LIMIT = 40


class AnswerRefused(Exception):
    """The answers cannot be stored: ``errors`` maps a question key ("" for the whole form) to a message."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Parsed:
    numbers: list = field(default_factory=list)  # (question, Decimal)
    choices: list = field(default_factory=list)  # (question, value)
    texts: list = field(default_factory=list)  # (question, text)


def pair_key(collection: Collection, code: str) -> str:
    """The keyed hash of a personal code within a wave (the same code in another wave gives another key)."""
    code = "".join(code.split()).casefold()[:CODE_LIMIT]
    if not code or collection.wave_id is None:
        return ""
    secret = hashlib.sha256(f"surveys.pair:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, f"{collection.wave_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _shown(question, values: dict) -> bool:
    if question.show_if_id is None:
        return True
    return question.show_if_value in values.get(question.show_if.key, [])


def parse(questions, data) -> Parsed:
    """Check the posted ``data`` (a QueryDict: ``q_<key>`` fields) against ``questions``; raise
    AnswerRefused with every problem at once."""
    by_key = {q.key: q for q in questions}
    errors: dict = {}
    unknown = [name for name in data if name.startswith("q_") and name[2:] not in by_key]
    if unknown:
        errors[""] = _("The answers do not match this questionnaire (an unknown question was answered).")
    values = {key: [v.strip() for v in data.getlist(f"q_{key}") if v.strip()] for key in by_key}
    parsed = Parsed()
    for question in questions:
        given = values[question.key]
        if not _shown(question, values):
            continue  # a question shown only under a condition that was not met: its answer is ignored
        if not given:
            if question.required:
                errors[question.key] = _("Please answer this question.")
            continue
        if question.kind != QuestionKind.MULTIPLE and len(given) > 1:
            errors[question.key] = _("Give one answer only.")
            continue
        value = given[0]
        if question.kind == QuestionKind.LIKERT:
            if value not in {"1", "2", "3", "4", "5"}:
                errors[question.key] = _("Choose a value from 1 to 5.")
            else:
                parsed.numbers.append((question, Decimal(value)))
        elif question.kind == QuestionKind.NUMBER:
            try:
                number = Decimal(value.replace(",", "."))
            except InvalidOperation:
                errors[question.key] = _("Enter a number.")
                continue
            low = question.min_value if question.min_value is not None else -9999999
            high = question.max_value if question.max_value is not None else 9999999
            if not number.is_finite() or not low <= number <= high:
                errors[question.key] = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            else:
                parsed.numbers.append((question, number.quantize(Decimal("0.01"))))
        elif question.kind in TEXT_KINDS:
            if len(value) > TEXT_LIMIT:
                errors[question.key] = _("Please keep the answer under %(n)s characters.") % {"n": TEXT_LIMIT}
            else:
                parsed.texts.append((question, value))
        else:
            allowed = set(question.option_values())
            wrong = [v for v in given if v not in allowed]
            if wrong:
                errors[question.key] = _("Choose one of the options given.")
            else:
                parsed.choices.extend((question, v) for v in dict.fromkeys(given))
    if errors:
        raise AnswerRefused(errors)
    return parsed


def submit(collection: Collection, questions, data, *, code: str = "", today=None) -> Submission:
    """Store one anonymous answer to ``collection`` (call inside the collection's tenant context).
    Refused, with nothing saved, when the collection is closed or an answer is invalid."""
    today = today or timezone.localdate()
    if not collection.is_open(today):
        raise AnswerRefused({"": _("This questionnaire is closed; answers are no longer accepted.")})
    parsed = parse(questions, data)
    if not (parsed.numbers or parsed.choices or parsed.texts):
        raise AnswerRefused({"": _("Please answer at least one question.")})
    municipality_id = collection.municipality_id
    with transaction.atomic():
        submission = Submission.objects.create(
            municipality_id=municipality_id, collection=collection, submitted_on=today,
            pair_key=pair_key(collection, code),
        )
        rows = [Answer(municipality_id=municipality_id, submission=submission, collection=collection, question=q, number=n)
                for q, n in parsed.numbers]
        rows += [Answer(municipality_id=municipality_id, submission=submission, collection=collection, question=q, choice=v)
                 for q, v in parsed.choices]
        Answer.objects.bulk_create(rows)
        TextAnswer.objects.bulk_create([
            TextAnswer(municipality_id=municipality_id, collection=collection, question=q, text=text)
            for q, text in parsed.texts
        ])
        Collection.objects.filter(pk=collection.pk).update(answer_count=F("answer_count") + 1)
    return submission
