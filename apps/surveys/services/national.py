"""The national templates (platform admins): the first versions come from apps/surveys/national.py; a new
version is a draft copy of the newest, edited (questions, options, sections, their order) and published.
A published version never changes. Every change checks and moves the row's lock (optimistic locking) and
writes an audit entry. Municipalities adopt the newest published version of a template."""
from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import save_with_version

from ..choices import QuestionKind, VersionStatus
from ..models import NationalTemplate, Question
from ..models.common import tr
from ..national import TEMPLATES
from .checks import validate_question

QUESTION_KEYS = ("kind", "required", "text", "low_label", "high_label", "min_value", "max_value", "show_if",
                 "show_if_value", "options")


def seed() -> None:
    """Version 1 of each template of the code, published, where the table has none yet (idempotent)."""
    if NationalTemplate.objects.filter(key__in=TEMPLATES.keys()).values("key").distinct().count() == len(TEMPLATES):
        return
    for key, template in TEMPLATES.items():
        content = {name: copy.deepcopy(template[name]) for name in ("title", "intro", "sections")}
        try:
            with transaction.atomic():
                NationalTemplate.objects.get_or_create(key=key, number=1, defaults={
                    "kind": template["kind"], "content": content, "status": VersionStatus.PUBLISHED,
                    "published_on": timezone.localdate()})
        except IntegrityError:  # made meanwhile by another request
            pass


def latest_published() -> list[NationalTemplate]:
    """The newest published version of every template (what municipalities adopt)."""
    seed()
    rows = NationalTemplate.objects.filter(status=VersionStatus.PUBLISHED).order_by("key", "-number").distinct("key")
    return list(rows)


def template_choices() -> list[tuple[str, str]]:
    return [(row.key, _("%(title)s (national template, version %(number)s)") % {"title": row.display_title,
                                                                               "number": row.number})
            for row in latest_published()]


def published_content(key: str) -> dict:
    """The newest published version of template ``key`` as {"kind", "title", "intro", "sections"}."""
    row = next((r for r in latest_published() if r.key == key), None)
    if row is None:
        raise ValidationError({"template": _("There is no such national template.")})
    return {"kind": row.kind, "number": row.number, **copy.deepcopy(row.content)}


def _lock(row: NationalTemplate, expected_version) -> None:
    stored = NationalTemplate.objects.filter(pk=row.pk).values_list("status", flat=True).first()
    if stored != VersionStatus.DRAFT:
        raise ValidationError(_("This version is published and can no longer be changed; make a new version and edit that."))
    save_with_version(row, expected_version, [], validate=False)


def _save(row: NationalTemplate, actor, details: dict) -> NationalTemplate:
    NationalTemplate.objects.filter(pk=row.pk).update(content=row.content)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=row, details=details)
    return row


@transaction.atomic
def new_version(*, actor, template: NationalTemplate) -> NationalTemplate:
    """The next version of a template, a draft copy of its newest (one draft at a time)."""
    rows = NationalTemplate.objects.select_for_update().filter(key=template.key)
    if rows.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(_("This template already has a draft version."))
    newest = rows.order_by("-number").first()
    number = (rows.aggregate(n=Max("number"))["n"] or 0) + 1
    row = NationalTemplate.objects.create(key=newest.key, number=number, kind=newest.kind,
                                          content=copy.deepcopy(newest.content), created_by=actor)
    audit_log(action=AuditAction.CREATE, actor=actor, obj=row, details={"copied_from": newest.number})
    return row


@transaction.atomic
def save_texts(*, actor, template: NationalTemplate, expected_version, title: dict, intro: dict) -> NationalTemplate:
    _lock(template, expected_version)
    template.content["title"], template.content["intro"] = title, intro
    return _save(template, actor, {"texts": True})


@transaction.atomic
def publish(*, actor, template: NationalTemplate, expected_version) -> NationalTemplate:
    _lock(template, expected_version)
    if not template.questions():
        raise ValidationError(_("A version without questions cannot be published."))
    NationalTemplate.objects.filter(pk=template.pk).update(status=VersionStatus.PUBLISHED,
                                                            published_on=timezone.localdate(), version=F("version") + 1)
    audit_log(action=AuditAction.UPDATE, actor=actor, obj=template, details={"published": template.number})
    template.refresh_from_db()
    return template


# --- questions and sections of a draft (the document) ----------------------------------------------

def _where(content: dict, key: str) -> tuple[int, int]:
    for s_index, section in enumerate(content.get("sections", [])):
        for q_index, question in enumerate(section.get("questions", [])):
            if question.get("key") == key:
                return s_index, q_index
    raise ValidationError(_("There is no such question."))


def _check_document(content: dict) -> None:
    """The same rules as a municipality's draft: a condition names an earlier yes/no or single-choice
    question and one of its answers; the right answer of a knowledge item is one of its options."""
    seen: dict[str, dict] = {}
    for section in content.get("sections", []):
        for question in section.get("questions", []):
            condition = question.get("show_if")
            if condition:
                earlier = seen.get(condition)
                if earlier is None:
                    raise ValidationError(_("“%(question)s” is shown after an answer to another question, so it must "
                                            "come after that question.") % {"question": tr(question.get("text"))[:60]})
                values = _values(earlier)
                if earlier.get("kind") not in (QuestionKind.YES_NO, QuestionKind.SINGLE) or question.get("show_if_value") not in values:
                    raise ValidationError({"options": _(
                        "“%(question)s” is shown only after a given answer to this question: keep that answer or change "
                        "that condition first.") % {"question": tr(question.get("text"))[:60]}})
            if question.get("correct_value") and question["correct_value"] not in _values(question):
                raise ValidationError({"options": _("The option scored as the right answer cannot be removed.")})
            seen[question["key"]] = question


def _values(question: dict) -> list[str]:
    if question.get("kind") == QuestionKind.YES_NO:
        return ["yes", "no"]
    return [str(o.get("value")) for o in question.get("options") or []]


def _validate(question: dict) -> None:
    fields = {k: question.get(k) for k in ("kind", "text", "options", "min_value", "max_value")}
    validate_question(Question(**fields))
    if question.get("show_if") == question.get("key"):
        raise ValidationError({"show_if": _("A question cannot depend on its own answer.")})


@transaction.atomic
def question_save(*, actor, template: NationalTemplate, expected_version, key: str | None, section: int,
                  new_section: dict | None = None, **fields) -> dict:
    """Add (``key`` None) or change a question; ``section`` is the section's index (0 based), or a new
    section is added at the end with the title ``new_section``."""
    _lock(template, expected_version)
    content = template.content
    sections = content.setdefault("sections", [])
    if new_section:
        sections.append({"title": new_section, "questions": []})
        section = len(sections) - 1
    if not 0 <= section < len(sections):
        raise ValidationError({"section": _("There is no such section.")})
    if key is None:
        taken = {q["key"] for q in template.questions()}
        n = len(taken) + 1
        while f"q{n}" in taken:
            n += 1
        question = {"key": f"q{n}"}
        sections[section]["questions"].append(question)
    else:
        s_index, q_index = _where(content, key)
        question = sections[s_index]["questions"][q_index]
        if s_index != section:
            sections[s_index]["questions"].pop(q_index)
            sections[section]["questions"].append(question)
    question.update({k: fields[k] for k in QUESTION_KEYS if k in fields})
    for empty in ("min_value", "max_value", "show_if"):
        if question.get(empty) in (None, ""):
            question.pop(empty, None)
    if not question.get("show_if"):
        question.pop("show_if_value", None)
    _validate(question)
    _check_document(content)
    _save(template, actor, {"question_saved": question["key"]})
    return question


@transaction.atomic
def question_delete(*, actor, template: NationalTemplate, expected_version, key: str) -> None:
    _lock(template, expected_version)
    s_index, q_index = _where(template.content, key)
    template.content["sections"][s_index]["questions"].pop(q_index)
    for question in template.questions():
        if question.get("show_if") == key:
            question.pop("show_if", None)
            question.pop("show_if_value", None)
    _save(template, actor, {"question_deleted": key})


@transaction.atomic
def question_move(*, actor, template: NationalTemplate, expected_version, key: str, direction: str) -> None:
    """One place up or down; past the start or end of its section into the neighbouring section."""
    _lock(template, expected_version)
    sections = template.content["sections"]
    s_index, q_index = _where(template.content, key)
    rows = sections[s_index]["questions"]
    step = -1 if direction == "up" else 1
    if 0 <= q_index + step < len(rows):
        rows[q_index], rows[q_index + step] = rows[q_index + step], rows[q_index]
    elif 0 <= s_index + step < len(sections):
        moving = rows.pop(q_index)
        neighbour = sections[s_index + step]["questions"]
        neighbour.insert(len(neighbour) if step < 0 else 0, moving)
    else:
        return
    _check_document(template.content)
    _save(template, actor, {"question_moved": key, "direction": direction})


@transaction.atomic
def section_save(*, actor, template: NationalTemplate, expected_version, index: int, title: dict) -> None:
    _lock(template, expected_version)
    sections = template.content.get("sections", [])
    if not 0 <= index < len(sections):
        raise ValidationError(_("There is no such section."))
    sections[index]["title"] = title
    _save(template, actor, {"section_changed": index + 1})


@transaction.atomic
def section_move(*, actor, template: NationalTemplate, expected_version, index: int, direction: str) -> None:
    _lock(template, expected_version)
    sections = template.content.get("sections", [])
    target = index + (-1 if direction == "up" else 1)
    if not (0 <= index < len(sections) and 0 <= target < len(sections)):
        return
    sections[index], sections[target] = sections[target], sections[index]
    _check_document(template.content)
    _save(template, actor, {"section_moved": index + 1, "direction": direction})
