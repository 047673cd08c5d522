"""Referrals from one institution to another."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import ReferralStatus, ReferralUrgency
from ..querysets import ReferralManager
from .case import Case
from .common import INSTITUTION, User

# The conditions of the work queue's partial index on answered referrals.
ANSWERED_REFERRAL = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)


class Referral(TenantScopedModel):
    """A referral from one institution to another, possibly in another municipality."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="received_referrals", verbose_name=_("to"))
    to_municipality_id = models.BigIntegerField(db_index=True)
    reason = models.TextField(_("reason"))
    urgency = models.CharField(_("urgency"), max_length=12, choices=ReferralUrgency.choices, default=ReferralUrgency.REGULAR)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    consent_override_reason = models.CharField(_("reason for acting without consent"), max_length=500, blank=True)

    objects = ReferralManager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["municipality", "case"], name="referral_mun_case"),
            models.Index(fields=["to_municipality_id", "to_institution", "status"], name="referral_to_status"),
            # A sender's answered referrals, newest answer first (the work queue's last seven days).
            models.Index(
                fields=["municipality", "from_institution", "-answered_at"],
                condition=Q(status__in=ANSWERED_REFERRAL),
                name="referral_from_answered",
            ),
        ]

    @property
    def seconds_to_answer(self) -> int | None:
        """Time from sending to accepting or declining (protocol-compliance figure)."""
        if self.answered_at is None:
            return None
        return int((self.answered_at - self.sent_at).total_seconds())
