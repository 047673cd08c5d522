"""Pre/post comparison of a professionals' wave: the mean per scale before and after the training,
and the mean change of those who gave the same personal code both times (paired) — with the same
small-number rule as every result (apps/surveys/results.py: nothing under ``MIN_ANSWERS``)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .choices import QuestionKind, WavePhase
from .models import Answer, Question, Submission
from .national import SCALE_LABELS
from .results import MIN_ANSWERS


@dataclass
class ScaleComparison:
    scale: str
    label: str
    pre_n: int
    post_n: int
    pre_mean: float | None
    post_mean: float | None
    change: float | None  # unpaired: post mean minus pre mean
    paired_n: int
    paired_change: float | None  # mean of each pair's change


def _score(question: Question, answer: Answer) -> float | None:
    if question.kind == QuestionKind.LIKERT and answer.number is not None:
        value = float(answer.number)
        return 6 - value if question.reverse_scored else value
    if question.kind == QuestionKind.SINGLE and question.correct_value:
        return 100.0 if answer.choice == question.correct_value else 0.0
    return None


def _scores(collection, questions: dict) -> tuple[dict, dict]:
    """{scale: {submission: mean score}} and {submission: pair key}."""
    per: dict = defaultdict(lambda: defaultdict(list))
    for answer in Answer.objects.for_municipality(collection.municipality_id).filter(
            collection_id=collection.pk, question_id__in=questions):
        question = questions[answer.question_id]
        score = _score(question, answer)
        if score is not None:
            per[question.scale][answer.submission_id].append(score)
    keys = dict(Submission.objects.for_municipality(collection.municipality_id).filter(collection_id=collection.pk)
                .exclude(pair_key="").values_list("id", "pair_key"))
    return {scale: {s: sum(v) / len(v) for s, v in subs.items()} for scale, subs in per.items()}, keys


def _mean(values) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 2) if len(values) >= MIN_ANSWERS else None


def compare(wave) -> list[ScaleComparison]:
    collections = {c.phase: c for c in wave.collections.all()}
    pre, post = collections.get(WavePhase.PRE), collections.get(WavePhase.POST)
    if pre is None or post is None:
        return []
    questions = {q.pk: q for q in Question.objects.filter(questionnaire_version_id=pre.questionnaire_version_id)
                 .exclude(scale="")}
    pre_scores, pre_keys = _scores(pre, questions)
    post_scores, post_keys = _scores(post, questions)
    out = []
    for scale in sorted({q.scale for q in questions.values()}):
        a, b = pre_scores.get(scale, {}), post_scores.get(scale, {})
        pre_mean, post_mean = _mean(a.values()), _mean(b.values())
        by_key_pre = {pre_keys[s]: v for s, v in a.items() if s in pre_keys}
        by_key_post = {post_keys[s]: v for s, v in b.items() if s in post_keys}
        changes = [by_key_post[k] - by_key_pre[k] for k in by_key_pre.keys() & by_key_post.keys()]
        paired = _mean(changes)
        out.append(ScaleComparison(
            scale=scale, label=str(SCALE_LABELS.get(scale, scale)),
            pre_n=len(a), post_n=len(b), pre_mean=pre_mean, post_mean=post_mean,
            change=round(post_mean - pre_mean, 2) if pre_mean is not None and post_mean is not None else None,
            paired_n=len(changes), paired_change=paired,
        ))
    return out
