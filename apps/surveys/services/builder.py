"""The builder: questionnaires, versions, sections and questions. A published version is frozen."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import QuestionKind, VersionStatus
from ..models import Question, Questionnaire, QuestionnaireVersion, Section
from ..national import TEMPLATES


def ensure_editable(version: QuestionnaireVersion) -> None:
    """A published version never changes: its answers must keep meaning what was asked."""
    stored = QuestionnaireVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
    if stored == VersionStatus.PUBLISHED:
        raise ValidationError(_("This version is published and can no longer be changed; make a new version and edit that."))


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
    template = TEMPLATES[key]
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


def validate_question(question: Question) -> None:
    errors = {}
    if not (question.text or {}).get("sr-latn"):
        errors["text_sr_latn"] = _("Write the question in Serbian (Latin script).")
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(question.options or []) < 2:
        errors["options"] = _("A choice question needs at least two options.")
    if question.show_if_id and question.show_if.questionnaire_version_id != question.questionnaire_version_id:
        errors["show_if"] = _("The condition must be a question of the same version.")
    if question.min_value is not None and question.max_value is not None and question.min_value > question.max_value:
        errors["max_value"] = _("The largest value is smaller than the smallest.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_section(*, actor, version: QuestionnaireVersion, title: dict) -> Section:
    ensure_editable(version)
    position = (version.sections.aggregate(m=Max("position"))["m"] or 0) + 1
    section = Section.objects.create(municipality_id=version.municipality_id, questionnaire_version=version,
                                     position=position, title=title)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"section_added": section.pk})
    return section


@transaction.atomic
def add_question(*, actor, version: QuestionnaireVersion, section: Section, **fields) -> Question:
    ensure_editable(version)
    position = (version.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(municipality_id=version.municipality_id, questionnaire_version=version, section=section,
                        position=position, **fields)
    if not question.key:
        question.key = f"q{position}"
    validate_question(question)
    if version.questions.filter(key=question.key).exists():
        raise ValidationError({"key": _("Another question of this version has this key.")})
    question.save()
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=version.questionnaire, details={"question_added": question.key})
    return question


@transaction.atomic
def delete_question(*, actor, question: Question) -> None:
    ensure_editable(question.questionnaire_version)
    Question.objects.filter(show_if=question).update(show_if=None, show_if_value="")
    key = question.key
    question.delete()
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=question.questionnaire_version.questionnaire,
              details={"question_deleted": key})


@transaction.atomic
def publish(*, actor, version: QuestionnaireVersion) -> QuestionnaireVersion:
    ensure_editable(version)
    if not version.questions.exists():
        raise ValidationError(_("A version without questions cannot be published."))
    version.status = VersionStatus.PUBLISHED
    version.published_on = timezone.localdate()
    version.save(update_fields=["status", "published_on"])
    QuestionnaireVersion.objects.filter(pk=version.pk).update(version=version.version + 1)
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
