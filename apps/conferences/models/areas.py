"""Coordination areas (a basic prosecutor's office area) with their municipalities and member institutions."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..querysets import AreaManager
from .common import INSTITUTION


class CoordinationArea(TenantScopedModel):
    """The area of one basic public prosecutor's office; its coordination group may cover several
    municipalities. ``municipality`` is the seat (where the prosecutor's office is)."""

    name = models.CharField(_("name (Latin)"), max_length=160)
    name_cyrl = models.CharField(_("name (Cyrillic)"), max_length=160, blank=True)
    prosecutor_office = models.ForeignKey(
        INSTITUTION,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("basic public prosecutor's office"),
    )
    meeting_interval_days = models.PositiveSmallIntegerField(_("meets at least every (days)"), default=15)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AreaManager()

    class Meta:
        verbose_name = _("coordination area")
        verbose_name_plural = _("coordination areas")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="area_unique_name")]

    def __str__(self):
        return self.name

    def display_name(self, language: str | None = None) -> str:
        """The name in the script of the given language."""
        return self.name_cyrl if (language or "").lower().endswith("cyrl") and self.name_cyrl else self.name


class AreaMunicipality(TenantScopedModel):
    """A municipality covered by a coordination area (``municipality`` is the member)."""

    area = models.ForeignKey(CoordinationArea, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("municipality of the area")
        verbose_name_plural = _("municipalities of the area")
        constraints = [models.UniqueConstraint(fields=["area", "municipality"], name="area_municipality_once")]
        indexes = [models.Index(fields=["municipality", "area"], name="areamun_mun_area")]


class AreaMember(TenantScopedModel):
    """A permanent member institution of an area's coordination group (``municipality`` is the
    institution's)."""

    area = models.ForeignKey(CoordinationArea, on_delete=models.CASCADE, related_name="member_institutions")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("member institution of the area")
        verbose_name_plural = _("member institutions of the area")
        constraints = [models.UniqueConstraint(fields=["area", "institution"], name="area_member_once")]
