"""The cases on a meeting's agenda (and, once discussed, their part of the minutes)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import AgendaOrigin, AgendaReason, AgendaSection
from ..querysets import AgendaItemManager
from .common import INSTITUTION, User
from .meetings import Meeting

# Joins the reason codes the agenda builder stores in ``AgendaItem.reason``.
AGENDA_REASON_SEPARATOR = ";"


class AgendaItem(TenantScopedModel):
    """A case on a meeting's agenda and, once discussed, its part of the minutes.
    ``municipality`` is the case's, not the meeting's."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    section = models.CharField(_("agenda table"), max_length=12, choices=AgendaSection.choices, default=AgendaSection.OTHER)
    origin = models.CharField(max_length=12, choices=AgendaOrigin.choices, default=AgendaOrigin.MANUAL)
    position = models.PositiveIntegerField(_("order"), default=0)
    planned_minutes = models.PositiveSmallIntegerField(_("minutes planned"), default=15)
    reason = models.CharField(_("why on the agenda"), max_length=255, blank=True)
    presenter = models.ForeignKey(
        INSTITUTION, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("presented by")
    )
    discussed = models.BooleanField(_("discussed"), default=False)
    discussion = models.TextField(_("discussion summary"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    risk_level = models.CharField(_("risk level after the discussion"), max_length=12, blank=True)
    risk_reason = models.TextField(_("why the risk level was raised"), blank=True)
    risk_assessment = models.ForeignKey(
        "cases.RiskAssessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = AgendaItemManager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]
        indexes = [
            models.Index(fields=["municipality", "case"], name="agenda_mun_case"),
            models.Index(fields=["meeting", "position"], name="agenda_meeting_position"),
        ]

    @property
    def reason_display(self) -> str:
        """Why the case is on the agenda, in the reader's language: the builder stores reason codes,
        a person types free text."""
        if self.origin == AgendaOrigin.AUTOMATIC:
            codes = self.reason.split(AGENDA_REASON_SEPARATOR)
            if codes and all(code in AgendaReason.values for code in codes):
                return "; ".join(str(AgendaReason(code).label) for code in codes)
        return self.reason
