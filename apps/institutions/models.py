"""Institutions (services) of a municipality."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel, TwoScriptNameMixin
from apps.core.text import to_cyrillic

from .choices import InstitutionType
from .querysets import InstitutionManager


class Institution(TwoScriptNameMixin, TenantScopedModel):
    """A service taking part in the municipality's coordinated response."""

    type = models.CharField(_("type"), max_length=32, choices=InstitutionType.choices)
    name = models.CharField(_("name (Latin)"), max_length=200)
    name_cyrl = models.CharField(
        _("name (Cyrillic)"), max_length=200, blank=True,
        help_text=_("Shown to readers who use Cyrillic; left empty, it is transliterated from the Latin name."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = InstitutionManager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["municipality_id", "type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="institution_unique_name"),
        ]
        indexes = [models.Index(fields=["municipality", "type"], name="institution_mun_type")]

    def clean(self):
        super().clean()
        if self.name and not (self.name_cyrl or "").strip():
            self.name_cyrl = to_cyrillic(self.name.strip())
