"""The supervisor's feedback on a meeting."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import Rating
from ..querysets import MeetingRecordManager
from .common import User
from .meetings import Meeting


class SupervisionFeedback(TenantScopedModel):
    """The supervisor's structured feedback on a meeting, plus notes (one per supervisor)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("supervisor"))
    preparation = models.PositiveSmallIntegerField(_("preparation and agenda"), choices=Rating.choices)
    risk_focus = models.PositiveSmallIntegerField(_("focus on risk and safety"), choices=Rating.choices)
    participation = models.PositiveSmallIntegerField(_("participation of the services"), choices=Rating.choices)
    victim_voice = models.PositiveSmallIntegerField(_("the victim's view heard"), choices=Rating.choices)
    decisions = models.PositiveSmallIntegerField(_("clear decisions and owners"), choices=Rating.choices)
    strengths = models.TextField(_("what went well"), blank=True)
    improvements = models.TextField(_("what to improve"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = MeetingRecordManager()

    class Meta:
        verbose_name = _("supervision feedback")
        verbose_name_plural = _("supervision feedback")
        constraints = [models.UniqueConstraint(fields=["meeting", "supervisor"], name="feedback_once")]
