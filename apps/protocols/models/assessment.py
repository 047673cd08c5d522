"""Self-assessment: checklist templates and items, rounds, institutions' answers, action points."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import Answer, ResponseStatus, RoundStatus, Theme
from ..querysets import (
    ChecklistManager,
    ProtocolRowManager,
    ResponseChildManager,
    ResponseManager,
    RoundManager,
)
from .common import INSTITUTION, NationalOrMunicipal, User, in_language


class Checklist(NationalOrMunicipal):
    """A checklist: the national model (no municipality) or a municipality's own wording of it."""

    name = models.CharField(_("name (Latin)"), max_length=200)
    name_cyrl = models.CharField(_("name (Cyrillic)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="adaptations")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ChecklistManager()

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["name", "id"]

    def __str__(self):
        return in_language(self, "name")


class ChecklistItem(NationalOrMunicipal):
    """One item of a checklist, grouped by theme."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    position = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("item (Latin)"))
    text_cyrl = models.TextField(_("item (Cyrillic)"), blank=True)
    text_en = models.TextField(_("item (English)"), blank=True)

    objects = ProtocolRowManager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist_id", "position", "id"]

    def __str__(self):
        return f"{self.position}. {self.display_text()[:60]}"

    def display_text(self) -> str:
        return in_language(self, "text")


class AssessmentRound(TenantScopedModel):
    """A self-assessment round opened by the coordinator: period, institutions, deadline."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+", verbose_name=_("checklist"))
    title = models.CharField(_("title"), max_length=200)
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = RoundManager()

    class Meta:
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        ordering = ["-period_to", "-id"]
        indexes = [models.Index(fields=["municipality", "-period_to"], name="round_mun_period")]

    def __str__(self):
        return self.title


class AssessmentResponse(TenantScopedModel):
    """One institution's answers to a round: draft, submitted, returned for completion."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"))
    status = models.CharField(_("status"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    return_note = models.TextField(_("what to complete"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ResponseManager()

    class Meta:
        verbose_name = _("self-assessment answers")
        verbose_name_plural = _("self-assessment answers")
        ordering = ["round_id", "institution_id"]
        constraints = [models.UniqueConstraint(fields=["round", "institution"], name="response_round_institution")]
        indexes = [models.Index(fields=["municipality", "institution"], name="response_mun_inst")]

    def __str__(self):
        return f"{self.round} · {self.institution}"


class AssessmentAnswer(TenantScopedModel):
    """The answer to one item: the scale, a note and an evidence link."""

    response = models.ForeignKey(AssessmentResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("answer"), max_length=8, choices=Answer.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)

    objects = ResponseChildManager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response_id", "item_id"]
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="answer_response_item")]
        indexes = [models.Index(fields=["municipality", "response"], name="answer_mun_response")]


class ActionPoint(TenantScopedModel):
    """Something to improve found in a round; ``action_plan_activity_id`` is the open link point for an
    action-plan activity made from it later (this app does not import the action-plans app)."""

    response = models.ForeignKey(AssessmentResponse, on_delete=models.CASCADE, related_name="action_points")
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    text = models.TextField(_("what to improve"))
    due = models.DateField(_("by"), null=True, blank=True)
    action_plan_activity_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ResponseChildManager()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["response_id", "id"]
        indexes = [models.Index(fields=["municipality", "response"], name="actionpoint_mun_response")]
