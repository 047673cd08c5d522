"""The incidents of violence recorded on a case."""
from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import PlaceType, ReportChannel, ViolenceForm
from ..querysets import CaseChildManager
from .case import Case
from .common import INSTITUTION, User


class Incident(TenantScopedModel):
    """One event of violence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(_("occurred"))
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    place_type = models.CharField(_("place"), max_length=24, choices=PlaceType.choices)
    forms = ArrayField(models.CharField(max_length=24, choices=ViolenceForm.choices), verbose_name=_("forms of violence"))
    reporting_institution = models.ForeignKey(
        INSTITUTION, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reported by")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=ReportChannel.choices)
    police_event_number = models.CharField(_("police event number"), max_length=40, blank=True)
    injuries = models.BooleanField(_("injuries"), default=False)
    injuries_note = models.CharField(_("injuries (description)"), max_length=500, blank=True)
    weapon_involved = models.BooleanField(_("weapon used or threatened"), default=False)
    weapon_owned = models.BooleanField(_("perpetrator owns a weapon"), default=False)
    children_present = models.BooleanField(_("children present"), default=False)
    children_witnessed = models.BooleanField(_("children witnessed"), default=False)
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["municipality", "case"], name="incident_mun_case"),
            models.Index(fields=["municipality", "-occurred_at"], name="incident_mun_occurred"),
            GinIndex(fields=["forms"], name="incident_forms"),
        ]
