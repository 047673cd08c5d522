"""The tenant: a municipality or city (jedinica lokalne samouprave)."""
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from apps.core.models import GrantFields, TwoScriptNameMixin

from .choices import MunicipalityKind, SizeClass
from .querysets import MunicipalityManager


class Municipality(TwoScriptNameMixin, models.Model):
    """A local self-government unit using the platform; every tenant row points to one."""

    name = models.CharField(_("name (Latin)"), max_length=120)
    name_cyrl = models.CharField(_("name (Cyrillic)"), max_length=120)
    name_locative = models.CharField(
        _("name in the locative (Latin)"), max_length=120, blank=True,
        help_text=_("As in “Osnovni sud u Nišu”: Nišu."),
    )
    name_locative_cyrl = models.CharField(_("name in the locative (Cyrillic)"), max_length=120, blank=True)
    name_genitive = models.CharField(
        _("name in the genitive (Latin)"), max_length=120, blank=True,
        help_text=_("As in “Gradska uprava grada Niša”: Niša."),
    )
    name_genitive_cyrl = models.CharField(_("name in the genitive (Cyrillic)"), max_length=120, blank=True)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Use 2 to 8 capital Latin letters, e.g. LAZ."))],
        help_text=_("Short code used in case numbers, e.g. LAZ."),
    )
    slug = models.SlugField(_("short name (ASCII)"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=MunicipalityKind.choices, default=MunicipalityKind.MUNICIPALITY)
    district = models.CharField(_("district"), max_length=120, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    size_class = models.CharField(_("size"), max_length=8, choices=SizeClass.choices, default=SizeClass.SMALL)
    conference_cadence_months = models.PositiveSmallIntegerField(
        _("case conference every (months)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    retention_years = models.PositiveSmallIntegerField(
        _("keep closed cases for (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("After this many years from closure a case is anonymised (empty: the platform's default)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    onboarded_at = models.DateTimeField(_("onboarded"), default=timezone.now)

    objects = MunicipalityManager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        permissions = [
            ("view_municipality_cases", _("See every case of the municipality")),
            ("view_municipality_aggregates", _("See the municipality's aggregate figures")),
            ("view_municipality_audit", _("See the municipality's audit log")),
            ("manage_municipality_conferences", _("Run the municipality's case conferences")),
        ]

    @property
    def municipality_id(self):
        """The tenant of a municipality is itself (lets shared code treat it as tenant-owned)."""
        return self.pk


class MunicipalityGroupGrant(GroupObjectPermissionBase, GrantFields):
    """A municipality-wide grant to a role group (e.g. coordinators see every case)."""

    content_object = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("municipality-wide grant")
        verbose_name_plural = _("municipality-wide grants")
        indexes = [models.Index(fields=["municipality", "group"], name="mungrant_mun_group")]
