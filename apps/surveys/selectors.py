"""Reads beyond the suppressed aggregates: free text (who manages the collection) and raw answers
(coordinators). Free text is never put next to the other answers of the same submission: it is stored
without a link to it and listed per question, shuffled."""
from __future__ import annotations

from .choices import TEXT_KINDS, QuestionKind
from .models import Answer, Collection, Question, TextAnswer
from .results import MIN_ANSWERS


def free_texts(user, collection) -> list[tuple[str, list[str]]] | None:
    """[(question, [texts])] for who manages the collection; None otherwise or under the threshold."""
    if not Collection.objects.visible_to(user, "text").filter(pk=collection.pk).exists():
        return None
    if collection.submissions.count() < MIN_ANSWERS:
        return []
    questions = Question.objects.filter(questionnaire_version_id=collection.questionnaire_version_id, kind__in=TEXT_KINDS)
    texts = TextAnswer.objects.visible_to(user, "text").filter(collection_id=collection.pk)
    out = []
    for question in questions.order_by("position"):
        rows = list(texts.filter(question=question).order_by("?").values_list("text", flat=True))
        if rows:
            out.append((question.display_text, rows))
    return out


def raw_rows(user, collection) -> list[list] | None:
    """The raw answers without free text (one row per submission, no date, no id): coordinators only."""
    if not Collection.objects.visible_to(user, "raw").filter(pk=collection.pk).exists():
        return None
    questions = [q for q in Question.objects.filter(questionnaire_version_id=collection.questionnaire_version_id)
                 .order_by("position", "id") if q.kind not in TEXT_KINDS]
    by_submission: dict = {}
    for row in Answer.objects.visible_to(user, "raw").filter(collection_id=collection.pk).values(
            "submission_id", "question_id", "number", "choice"):
        cell = by_submission.setdefault(row["submission_id"], {}).setdefault(row["question_id"], [])
        cell.append(str(row["number"]) if row["number"] is not None else row["choice"])
    rows = [[q.key for q in questions]]
    for answers in sorted(by_submission.values(), key=lambda a: sorted(map(str, a.items()))):
        rows.append([" ".join(answers.get(q.pk, [])) for q in questions])
    return rows


def builder_choices(version, *, exclude_question=None) -> dict:
    """What the question forms offer for a version: its sections [(id, title)] and the questions a
    display can depend on [(id, text, [(value, label)])] (yes/no and single choice)."""
    sections = [(s.pk, str(s)) for s in version.sections.order_by("position", "id")]
    questions = version.questions.filter(kind__in=[QuestionKind.YES_NO, QuestionKind.SINGLE]).order_by("position", "id")
    if exclude_question is not None:
        questions = questions.exclude(pk=exclude_question.pk)
    conditions = [(q.pk, q.display_text, [(v, q.option_label(v)) for v in q.option_values()]) for q in questions]
    return {"sections": sections, "conditions": conditions}
