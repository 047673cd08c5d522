"""The victim's consent to share the case with named institutions."""
from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import ConsentMethod
from ..querysets import CaseChildManager
from .case import Case
from .common import INSTITUTION, User
from .persons import CasePerson


class Consent(TenantScopedModel):
    """The victim's informed, time-limited consent to share with named institutions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="consents", verbose_name=_("given by"))
    given_at = models.DateField(_("given"))
    expires_at = models.DateField(_("expires"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=500)
    method = models.CharField(_("how it was given"), max_length=12, choices=ConsentMethod.choices)
    institutions = models.ManyToManyField(INSTITUTION, related_name="+", verbose_name=_("institutions"))
    withdrawn_at = models.DateField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["municipality", "case"], name="consent_mun_case")]

    def is_valid_on(self, day: date) -> bool:
        """Given, not withdrawn and not expired on that day."""
        if self.given_at > day or (self.withdrawn_at and self.withdrawn_at <= day):
            return False
        return self.expires_at is None or self.expires_at >= day
