"""The minutes of a meeting and their amendments."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import MinutesStatus
from ..querysets import MeetingRecordManager
from .agenda import AgendaItem
from .common import User
from .meetings import Meeting


class Minutes(TenantScopedModel):
    """The minutes (zapisnik) of one meeting: attendance and general notes; per-case parts live on the
    agenda items. Approved minutes are locked; later changes are amendments."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    attendance_note = models.TextField(_("also present"), blank=True)
    general_notes = models.TextField(_("general notes"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingRecordManager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")


class MinutesAmendment(TenantScopedModel):
    """A correction to approved minutes, recorded as such (the approved text is never rewritten)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments", verbose_name=_("case")
    )
    text = models.TextField(_("amendment"))
    reason = models.CharField(_("reason"), max_length=255)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))

    objects = MeetingRecordManager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at", "id"]
