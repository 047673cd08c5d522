"""The querysets of the surveys app: every list and object through ``visible_to(user, action)``
with the conditions of apps/surveys/rules.py.

Actions: "view" (the questionnaire, the collection and its suppressed results), "change" (build,
distribute), "text" (free-text answers: who manages), "raw" (raw answers: coordinators).
"""
from __future__ import annotations

from django.db.models import Q

from apps.core.querysets import TenantManager, TenantQuerySet

from . import rules


class QuestionnaireQuerySet(TenantQuerySet):
    def scope(self, access, action: str):
        if action == "view":
            return rules.questionnaire_view_condition(access)
        return rules.manage_condition(access)


class VersionPartQuerySet(TenantQuerySet):
    """Versions, sections and questions: those of the questionnaires the user reaches."""

    def scope(self, access, action: str):
        prefix = "questionnaire__" if self.model._meta.model_name == "questionnaireversion" else "questionnaire_version__questionnaire__"
        if action == "view":
            return rules.questionnaire_view_condition(access, prefix)
        return rules.manage_condition(access, prefix)


class CollectionQuerySet(TenantQuerySet):
    def scope(self, access, action: str):
        if action == "view":
            return rules.read_condition(access)
        if action == "raw":
            return rules.raw_condition(access)
        return rules.manage_condition(access)  # change, text


class WaveQuerySet(TenantQuerySet):
    def scope(self, access, action: str):
        if action == "view":
            return rules.wave_condition(access)
        return rules.raw_condition(access)  # waves are the coordinators' (a training of several services)


class AnswerQuerySet(TenantQuerySet):
    """Answers are read only as aggregates or raw exports, through their collection."""

    def scope(self, access, action: str):
        if action == "raw":
            return rules.raw_condition(access, "collection__")
        if action == "text":
            return rules.manage_condition(access, "collection__")
        return None


class NationalTemplateQuerySet(TenantQuerySet):
    """National templates: read by everyone signed in, kept by platform admins."""

    def scope(self, access, action: str):
        if action == "view":
            return Q()
        return Q() if rules.may_keep_templates(access) else None


QuestionnaireManager = TenantManager.from_queryset(QuestionnaireQuerySet)
VersionPartManager = TenantManager.from_queryset(VersionPartQuerySet)
CollectionManager = TenantManager.from_queryset(CollectionQuerySet)
WaveManager = TenantManager.from_queryset(WaveQuerySet)
AnswerManager = TenantManager.from_queryset(AnswerQuerySet)
NationalTemplateManager = TenantManager.from_queryset(NationalTemplateQuerySet)
