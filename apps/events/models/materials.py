"""The materials catalogue, stock and distribution, programme targets and the public page switch."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import EventKind, MaterialKind
from ..querysets import MunicipalityRowManager


class Material(TenantScopedModel):
    """A brochure, leaflet or poster of the programme as a municipality keeps it."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=MaterialKind.choices, default=MaterialKind.LEAFLET)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="events/materials/%Y/", blank=True)
    material_version = models.CharField(_("edition"), max_length=40, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MunicipalityRowManager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["municipality", "title"], name="material_mun_title")]

    def __str__(self):
        return self.title


class MaterialStock(TenantScopedModel):
    """Copies of a material received by a municipality (one stock movement per delivery). The stock
    left is every delivery's copies less every distribution's."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="deliveries")
    copies = models.PositiveIntegerField(_("copies"))
    received_on = models.DateField(_("received"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("recorded by"))

    objects = MunicipalityRowManager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(copies__gt=0), name="stock_copies_positive")]
        indexes = [models.Index(fields=["municipality", "material"], name="stock_mun_material")]


class Distribution(TenantScopedModel):
    """Copies handed out: to an institution or at an info desk, on a day."""

    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="distributions")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("institution"))
    info_desk = models.CharField(_("info desk"), max_length=200, blank=True)
    copies = models.PositiveIntegerField(_("copies"))
    distributed_on = models.DateField(_("distributed"))
    event = models.ForeignKey("events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = MunicipalityRowManager()

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-distributed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(copies__gt=0), name="distribution_copies_positive"),
            models.CheckConstraint(condition=Q(institution__isnull=False) | ~Q(info_desk=""),
                                   name="distribution_has_place"),
        ]
        indexes = [models.Index(fields=["municipality", "material"], name="distribution_mun_material")]


class ProgrammeTarget(TenantScopedModel):
    """A municipality's target for one kind of event over a programme period (overrides the default of
    the settings; no row: the default). Kept by the municipality's coordinators."""

    period = models.CharField(_("programme period"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    target = models.PositiveIntegerField(_("target"))
    version = models.PositiveIntegerField(default=1)

    objects = MunicipalityRowManager()

    class Meta:
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [models.UniqueConstraint(fields=["municipality", "period", "kind"], name="target_once")]


class PublicPageSetting(TenantScopedModel):
    """Whether the municipality's public page of round tables and materials is on (off by default)."""

    enabled = models.BooleanField(_("public page on"), default=False)

    objects = MunicipalityRowManager()

    class Meta:
        verbose_name = _("public page setting")
        verbose_name_plural = _("public page settings")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="public_page_once")]
