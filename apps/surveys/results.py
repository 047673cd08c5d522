"""Results with small-number protection: the ONE implementation every output reads (pages, CSV/XLSX
exports, API, PDF). Nothing outside this module counts answers.

The row rule (``suppress``) is the core's (apps/core/suppression.py), shared with the dashboards.

Rules:
- a collection's results exist only when it has at least ``MIN_ANSWERS`` (10) answers;
- per question, any count under ``MIN_CELL`` (5; zero included) is shown as "< 5";
- complementary suppression: more cells are hidden, smallest first, until at least two are hidden
  and they hold at least 5 answers together, so that the question's total minus the shown cells
  cannot give any of them back (not even a zero);
- a question answered by fewer than ``MIN_CELL`` shows nothing but "< 5";
- the mean is shown rounded to one decimal, and only when it cannot give a hidden cell back: with
  n, the mean and the shown cells, the hidden cells must still admit at least two values each
  (``mean_is_safe`` solves for them the way someone trying to recover them would);
- shares are computed from the shown cells only; a hidden cell has no share;
- free text is never part of these results (apps/surveys/selectors.py reads it for who manages).
Trends list each collection's own suppressed results; no sum across collections is ever shown
(a difference of two totals would reveal a small collection).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from apps.core.suppression import HIDDEN, MIN_CELL, suppress

from .choices import TEXT_KINDS, QuestionKind
from .models import Answer, Question

MIN_ANSWERS = 10


@dataclass
class Cell:
    value: str
    label: str
    count: int | None  # None: hidden
    share: float | None = None

    @property
    def shown(self) -> str:
        return HIDDEN if self.count is None else str(self.count)


@dataclass
class QuestionResult:
    key: str
    text: str
    kind: str
    n: int | None  # None: hidden (fewer than MIN_CELL)
    mean: float | None = None
    cells: list[Cell] = field(default_factory=list)
    suppressed: bool = False

    @property
    def n_shown(self) -> str:
        return HIDDEN if self.n is None else str(self.n)


@dataclass
class CollectionResults:
    collection_id: int
    title: str
    answers: int
    available: bool
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def reason(self) -> str:
        if self.available:
            return ""
        return str(_("Results are shown once at least %(n)s answers have been collected.") % {"n": MIN_ANSWERS})


def _feasible_values(hidden: list[tuple[int, int, int]], total: int, lo: int, hi: int) -> list[set[int]]:
    """For each hidden cell (value, lowest count, highest count): the counts it can take when the
    hidden cells hold ``total`` answers whose values sum to between ``lo`` and ``hi``. Bitsets of
    reachable sums per number of answers (Python integers), one cell left out at a time."""
    out = []
    for i, (value, _low, _high) in enumerate(hidden):
        others = [cell for j, cell in enumerate(hidden) if j != i]
        reach = {0: 1}  # answers used -> bitset of value sums
        for v, low, high in others:
            nxt: dict[int, int] = {}
            for used, sums in reach.items():
                for count in range(low, min(high, total - used) + 1):
                    nxt[used + count] = nxt.get(used + count, 0) | (sums << (v * count))
            reach = nxt
        low_i, high_i = hidden[i][1], hidden[i][2]
        values = set()
        for count in range(low_i, min(high_i, total) + 1):
            sums = reach.get(total - count, 0)
            a, b = lo - value * count, hi - value * count
            if b < 0 or not sums:
                continue
            a = max(a, 0)
            if (sums >> a) & ((1 << (b - a + 1)) - 1):
                values.add(count)
        out.append(values)
    return out


def mean_is_safe(counts: dict[str, int], shown: dict[str, int | None], n: int, mean: float) -> bool:
    """Whether showing ``mean`` (one decimal) with ``n`` and the shown cells leaves every hidden cell
    of a 1-5 scale at two or more possible counts. The solver knows as much as possible: which hidden
    cells are under 5 (0-4) and which were hidden as complements (5 or more)."""
    hidden_keys = [k for k, v in shown.items() if v is None]
    if not hidden_keys:
        return True
    total = sum(counts[k] for k in hidden_keys)
    if total > 400:
        return False  # not worth solving; stay on the safe side
    shown_sum = sum(int(k) * v for k, v in shown.items() if v is not None)
    lo = math.ceil(n * (round(mean, 1) - 0.05) - 1e-9) - shown_sum
    hi = math.floor(n * (round(mean, 1) + 0.05) + 1e-9) - shown_sum
    hidden = [(int(k), 0, MIN_CELL - 1) if counts[k] < MIN_CELL else (int(k), MIN_CELL, total) for k in hidden_keys]
    return all(len(values) >= 2 for values in _feasible_values(hidden, total, lo, hi))


def _question_result(question: Question, counts: Counter, n: int, mean) -> QuestionResult:
    result = QuestionResult(key=question.key, text=question.display_text, kind=question.kind, n=n)
    if question.kind in (QuestionKind.LIKERT,):
        values = [str(i) for i in range(1, 6)]
        labels = {v: v for v in values}
    elif question.kind == QuestionKind.NUMBER:
        values, labels = [], {}
    else:
        values = question.option_values()
        labels = {v: question.option_label(v) for v in values}
    if n < MIN_CELL:
        result.n, result.suppressed = None, True
        result.cells = [Cell(v, labels[v], None) for v in values]
        return result
    full = {v: counts.get(v, 0) for v in values}
    shown = suppress(full)
    result.suppressed = any(c is None for c in shown.values())
    for v in values:
        count = shown[v]
        result.cells.append(Cell(v, labels[v], count, round(100 * count / n, 1) if count is not None else None))
    if mean is not None:
        mean = float(mean)
        if question.kind == QuestionKind.NUMBER or mean_is_safe(full, shown, n, mean):
            result.mean = round(mean, 1)
    return result


def collection_results(collection) -> CollectionResults:
    """The suppressed results of one collection (read inside a context that sees it)."""
    total = collection.submissions.count()
    results = CollectionResults(collection.pk, collection.title, total, total >= MIN_ANSWERS)
    if not results.available:
        return results
    questions = list(
        Question.objects.filter(questionnaire_version_id=collection.questionnaire_version_id).order_by("position", "id")
    )
    answers = Answer.objects.for_municipality(collection.municipality_id).filter(collection_id=collection.pk)
    choice_counts: dict[int, Counter] = defaultdict(Counter)
    respondents: dict[int, int] = {}
    for row in answers.exclude(choice="").values("question_id", "choice").annotate(c=Count("id")):
        choice_counts[row["question_id"]][row["choice"]] = row["c"]
    for row in answers.values("question_id").annotate(s=Count("submission_id", distinct=True)):
        respondents[row["question_id"]] = row["s"]
    numbers = {
        row["question_id"]: row
        for row in answers.filter(number__isnull=False).values("question_id").annotate(mean=Avg("number"), c=Count("id"))
    }
    likert_counts: dict[int, Counter] = defaultdict(Counter)
    for row in answers.filter(number__isnull=False, question__kind=QuestionKind.LIKERT).values("question_id", "number").annotate(c=Count("id")):
        likert_counts[row["question_id"]][str(int(row["number"]))] = row["c"]
    for question in questions:
        if question.kind in TEXT_KINDS:
            continue
        n = respondents.get(question.pk, 0)
        counts = likert_counts[question.pk] if question.kind == QuestionKind.LIKERT else choice_counts[question.pk]
        mean = numbers.get(question.pk, {}).get("mean") if question.kind in (QuestionKind.LIKERT, QuestionKind.NUMBER) else None
        results.questions.append(_question_result(question, counts, n, mean))
    return results


def trend(collections) -> tuple[list, list]:
    """Trends across collections: each collection's own suppressed means, side by side (oldest first);
    never a sum over collections. Returns (collections' results, [(question text, [mean or None])])."""
    per = [collection_results(c) for c in sorted(collections, key=lambda c: (c.opens_on, c.pk))]
    texts: dict[str, str] = {}
    for results in per:
        for q in results.questions:
            if q.kind == QuestionKind.LIKERT:
                texts.setdefault(q.key, q.text)
    rows = []
    for key, text in texts.items():
        means = []
        for results in per:
            found = next((q for q in results.questions if q.key == key), None)
            means.append(found.mean if found else None)
        rows.append((text, means))
    return per, rows


def as_rows(results: CollectionResults) -> list[list]:
    """The same suppressed results as table rows (CSV, XLSX): question, option, count, share, n, mean."""
    rows = [[str(_("Question")), str(_("Answer")), str(_("Count")), str(_("Share %")), "n", str(_("Mean"))]]
    if not results.available:
        rows.append([results.reason, "", "", "", "", ""])
        return rows
    for q in results.questions:
        mean = "" if q.mean is None else q.mean
        if not q.cells:
            rows.append([q.text, "", "", "", q.n_shown, mean])
        for cell in q.cells:
            rows.append([q.text, cell.label, cell.shown, "" if cell.share is None else cell.share, q.n_shown, mean])
    return rows


def as_data(results: CollectionResults) -> dict:
    """The same suppressed results for the API."""
    return {
        "collection": results.collection_id,
        "title": results.title,
        "answers": results.answers,
        "available": results.available,
        "reason": results.reason,
        "questions": [
            {"key": q.key, "text": q.text, "kind": q.kind, "n": q.n_shown, "mean": q.mean, "suppressed": q.suppressed,
             "cells": [{"value": c.value, "label": c.label, "count": c.shown, "share": c.share} for c in q.cells]}
            for q in results.questions
        ],
    }
