"""The builder: questionnaires, versions, sections and questions. A published version is frozen.

A draft is edited through its version row: every change checks and bumps ``QuestionnaireVersion.version``
(optimistic locking, apps/core/locking.py), so two people editing the same draft are told, not
overwritten; every change writes an audit entry on the questionnaire."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version

from ..choices import QuestionKind, VersionStatus
from ..models import Question, Questionnaire, QuestionnaireVersion, Section
from .checks import validate_question
from .national import published_content


def ensure_editable(version: QuestionnaireVersion) -> None:
    """A published version never changes: its answers must keep meaning what was asked."""
    stored = QuestionnaireVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if stored == VersionStatus.PUBLISHED:
        raise ValidationError(_("This version is published and can no longer be changed; make a new version and edit that."))


def lock(version: QuestionnaireVersion, expected_version=None) -> None:
    """The version's lock guards the whole draft: a change made from a stale page is refused (nothing
    saved); every change moves the lock on. Without ``expected_version`` (a button that carries none) the
    lock only moves on."""
    ensure_editable(version)
    if expected_version is None:
        QuestionnaireVersion.objects.filter(pk=version.pk).update(version=F("version") + 1)
        version.version += 1
    else:
        save_with_version(version, expected_version, [], validate=False)


@transaction.atomic
def create_questionnaire(*, actor, municipality, institution=None, kind, title: dict, intro: dict | None = None):
    questionnaire = Questionnaire.objects.create(
        municipality=municipality, institution=institution, kind=kind, title=title, created_by=actor,
    )
    QuestionnaireVersion.objects.create(municipality=municipality, questionnaire=questionnaire, intro=intro or {})
    audit_log(action=AuditAction.CREATE, actor=actor, obj=questionnaire)
    return questionnaire


@transaction.atomic
def adopt_template(*, actor, municipality, institution=None, key: str):
    """A municipality's own copy of a national template (version 1, a draft to adjust and publish)."""
    template = published_content(key)
    questionnaire = Questionnaire.objects.create(
        municipality=municipality, institution=institution, kind=template["kind"], title=template["title"],
        template_key=key, created_by=actor,
    )
    version = QuestionnaireVersion.objects.create(
        municipality=municipality, questionnaire=questionnaire, intro=template.get("intro", {}),
    )
    by_key = {}
    position = 0
    for s_pos, section_data in enumerate(template["sections"], start=1):
        section = Section.objects.create(municipality=municipality, questionnaire_version=version, position=s_pos,
                                         title=section_data["title"])
        for data in section_data["questions"]:
            position += 1
            data = dict(data)
            show_if = data.pop("show_if", None)
            question = Question.objects.create(
                municipality=municipality, questionnaire_version=version, section=section, position=position,
                show_if=by_key.get(show_if), **data,
            )
            by_key[question.key] = question
    audit_log(action=AuditAction.CREATE, actor=actor, obj=questionnaire, details={"template": key})
    return questionnaire


@transaction.atomic
def add_section(*, actor, version: QuestionnaireVersion, title: dict, expected_version=None) -> Section:
    lock(version, expected_version)
    position = (version.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(municipality_id=version.municipality_id, questionnaire_version=version,
                                     position=position, title=title)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"section_added": section.pk})
    return section


@transaction.atomic
def add_question(*, actor, version: QuestionnaireVersion, section: Section, expected_version=None, **fields) -> Question:
    lock(version, expected_version)
    position = (version.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(municipality_id=version.municipality_id, questionnaire_version=version, section=section,
                        position=position, **fields)
    if not question.key:
        question.key = f"q{position}"
    validate_question(question)
    if version.questions.filter(key=question.key).exists():
        raise ValidationError({"key": _("Another question of this version has this key.")})
    question.save()
    _renumber(version, *_reading_order(version))
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"question_added": question.key})
    return question


@transaction.atomic
def delete_question(*, actor, question: Question, expected_version=None) -> None:
    lock(question.questionnaire_version, expected_version)
    Question.objects.filter(show_if=question).update(show_if=None, show_if_value="")
    key = question.key
    question.delete()
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=question.questionnaire_version.questionnaire,
              details={"question_deleted": key})


@transaction.atomic
def publish(*, actor, version: QuestionnaireVersion, expected_version=None) -> QuestionnaireVersion:
    if expected_version is not None:
        lock(version, expected_version)
    ensure_editable(version)
    if not version.questions.exists():
        raise ValidationError(_("A version without questions cannot be published."))
    version.status = VersionStatus.PUBLISHED
    version.published_on = timezone.localdate()
    version.save(update_fields=["status", "published_on"])
    QuestionnaireVersion.objects.filter(pk=version.pk).update(version=F("version") + 1)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"published": version.number})
    return version


@transaction.atomic
def new_version(*, actor, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A draft copy of ``version`` (the next number) to edit instead of a published version."""
    questionnaire = version.questionnaire
    number = (questionnaire.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    copy = QuestionnaireVersion.objects.create(
        municipality_id=version.municipality_id, questionnaire=questionnaire, number=number, intro=version.intro,
        copied_from=version,
    )
    sections = {}
    for section in version.sections.all():
        sections[section.pk] = Section.objects.create(municipality_id=section.municipality_id, questionnaire_version=copy,
                                                      position=section.position, title=section.title)
    questions = {}
    for question in version.questions.order_by("position", "id"):
        old_pk, old_show_if = question.pk, question.show_if_id
        question.pk = None
        question.questionnaire_version = copy
        question.section = sections[question.section_id]
        question.show_if = questions.get(old_show_if)
        question.save()
        questions[old_pk] = question
    audit_log(action=AuditAction.CREATE, actor=actor, obj=questionnaire, details={"new_version": number})
    return copy


# --- editing a draft: questions, options, sections, their order -----------------------------------

QUESTION_FIELDS = ("kind", "required", "text", "low_label", "high_label", "min_value", "max_value", "show_if",
                   "show_if_value", "options")


def _reading_order(version: QuestionnaireVersion) -> tuple[list, dict]:
    """The sections in order and, per section, its questions in order."""
    sections = list(version.sections.order_by("position", "id"))
    by_section = {s.pk: [] for s in sections}
    for question in version.questions.order_by("position", "id"):
        by_section.setdefault(question.section_id, []).append(question)
    return sections, by_section


def _renumber(version, sections: list, by_section: dict) -> None:
    """Number sections and questions in reading order (results and exports follow ``position``), and refuse
    an order where a question comes before the question its display depends on."""
    ordered = []
    for s_pos, section in enumerate(sections, start=1):
        section.position = s_pos
        for question in by_section.get(section.pk, []):
            question.section_id = section.pk
            ordered.append(question)
    index = {q.pk: i for i, q in enumerate(ordered)}
    for i, question in enumerate(ordered, start=1):
        question.position = i
        if question.show_if_id and index.get(question.show_if_id, -1) >= index[question.pk]:
            condition = next(q for q in ordered if q.pk == question.show_if_id)
            raise ValidationError(_("“%(question)s” is shown after an answer to “%(condition)s”, so it must come "
                                    "after that question.") % {"question": question.display_text[:60],
                                                               "condition": condition.display_text[:60]})
    Section.objects.bulk_update(sections, ["position"])
    Question.objects.bulk_update(ordered, ["position", "section"])


@transaction.atomic
def update_question(*, actor, question: Question, expected_version, section: Section, **fields) -> Question:
    """Change a question of a draft (texts, kind, options, condition, section)."""
    version = question.questionnaire_version
    lock(version, expected_version)
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    moved = question.section_id != section.pk
    question.section = section
    validate_question(question)
    errors = {}
    values = set(question.option_values())
    for dependent in Question.objects.filter(show_if=question):
        if question.kind not in (QuestionKind.YES_NO, QuestionKind.SINGLE) or dependent.show_if_value not in values:
            errors["options"] = _("“%(question)s” is shown only after a given answer to this question: keep that "
                                  "answer or change that condition first.") % {"question": dependent.display_text[:60]}
    if question.correct_value and question.correct_value not in values:
        errors["options"] = _("The option scored as the right answer cannot be removed.")
    if errors:
        raise ValidationError(errors)
    if moved:
        question.position = 10 ** 6  # last of its new section, numbered below
    question.save()
    if moved:
        _renumber(version, *_reading_order(version))
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"question_changed": question.key})
    return question


@transaction.atomic
def move_question(*, actor, question: Question, direction: str, expected_version) -> None:
    """One place up or down; past the start or end of its section it moves into the neighbouring section."""
    version = question.questionnaire_version
    lock(version, expected_version)
    sections, by_section = _reading_order(version)
    s_index = next(i for i, s in enumerate(sections) if s.pk == question.section_id)
    rows = by_section[question.section_id]
    q_index = next(i for i, q in enumerate(rows) if q.pk == question.pk)
    step = -1 if direction == "up" else 1
    target = q_index + step
    if 0 <= target < len(rows):
        rows[q_index], rows[target] = rows[target], rows[q_index]
    elif 0 <= s_index + step < len(sections):
        moving = rows.pop(q_index)
        neighbour = by_section[sections[s_index + step].pk]
        if step < 0:
            neighbour.append(moving)
        else:
            neighbour.insert(0, moving)
    else:
        return
    _renumber(version, sections, by_section)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire,
              details={"question_moved": question.key, "direction": direction})


@transaction.atomic
def update_section(*, actor, section: Section, expected_version, title: dict) -> Section:
    """Rename a section of a draft."""
    version = section.questionnaire_version
    lock(version, expected_version)
    section.title = title
    section.save(update_fields=["title"])
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"section_changed": section.pk})
    return section


@transaction.atomic
def move_section(*, actor, section: Section, direction: str, expected_version) -> None:
    """A section (with its questions) one place up or down."""
    version = section.questionnaire_version
    lock(version, expected_version)
    sections, by_section = _reading_order(version)
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    target = index + (-1 if direction == "up" else 1)
    if not 0 <= target < len(sections):
        return
    sections[index], sections[target] = sections[target], sections[index]
    _renumber(version, sections, by_section)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire,
              details={"section_moved": section.pk, "direction": direction})


@transaction.atomic
def delete_section(*, actor, section: Section, expected_version) -> None:
    """Remove an empty section of a draft."""
    version = section.questionnaire_version
    lock(version, expected_version)
    if section.questions.exists():
        raise ValidationError(_("Only an empty section can be removed; move or remove its questions first."))
    section.delete()
    _renumber(version, *_reading_order(version))
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"section_deleted": True})
