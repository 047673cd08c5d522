"""Action items decided at a meeting, tracked to completion."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import ActionStatus
from ..querysets import ActionItemManager
from .agenda import AgendaItem
from .common import INSTITUTION, User
from .meetings import Meeting


class ActionItem(TenantScopedModel):
    """A task decided at a meeting for one case: owner institution, responsible person, due date,
    tracked to completion. ``municipality`` is the case's."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="action_items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    description = models.TextField(_("action"))
    owner_institution = models.ForeignKey(
        INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner institution")
    )
    responsible = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("responsible person")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    completion_note = models.TextField(_("completion note"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = ActionItemManager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["municipality", "owner_institution", "status", "due_on"], name="action_owner_due"),
            models.Index(fields=["municipality", "case"], name="action_mun_case"),
            models.Index(fields=["municipality", "status", "due_on"], name="action_mun_status_due"),
            # The work queue's two branches (selectors.actions.open_actions_for), walked in due order and
            # stopped after a page. Not municipality-leading on purpose: the owner rule holds in every
            # municipality (an area meeting gives items of a member municipality's case to another's
            # institution), and a person may be named in several municipalities.
            models.Index(
                fields=["owner_institution", "due_on", "id"], condition=Q(status=ActionStatus.OPEN),
                name="action_open_owner_due",
            ),
            models.Index(
                fields=["responsible", "due_on", "id"], condition=Q(status=ActionStatus.OPEN),
                name="action_open_responsible_due",
            ),
        ]

    def __str__(self):
        return self.description[:60]
