"""Cooperation agreements: parties, signatories and signatures, validity, the signed scan, annexes."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import AgreementStatus
from ..querysets import AgreementChildManager, AgreementManager
from .common import INSTITUTION, User


def scan_path(instance, filename):
    # The name is ours (never the uploader's): the scan is found through the agreement only.
    return f"agreements/{instance.municipality_id}/{instance.pk or 'new'}-{instance.scan_sha256[:16]}.pdf"


class Agreement(TenantScopedModel):
    """A cooperation agreement between the institutions of a municipality (and outside parties)."""

    title = models.CharField(_("title"), max_length=250)
    subject = models.TextField(_("subject"))
    protocol = models.ForeignKey(
        "protocols.Protocol", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("protocol it implements"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: indefinite."))
    status = models.CharField(_("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.NEGOTIATING)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    scan = models.FileField(_("signed scan (PDF)"), upload_to=scan_path, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True)
    reminded_60 = models.DateField(null=True, blank=True)
    reminded_30 = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = AgreementManager()

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-valid_from", "title", "id"]
        indexes = [
            models.Index(fields=["municipality", "status"], name="agreement_mun_status"),
            models.Index(fields=["municipality", "valid_until"], name="agreement_mun_until"),
        ]

    def __str__(self):
        return self.title

    def signature_tally(self) -> tuple[int, int]:
        """(parties signed, parties) from the prefetched parties."""
        parties = list(self.parties.all())
        return sum(1 for p in parties if p.signed_on), len(parties)


class AgreementParty(TenantScopedModel):
    """A party: an institution of the municipality or an outside party (named), its signatory and signature."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("institution"))
    outside_name = models.CharField(_("outside party"), max_length=250, blank=True,
                                    help_text=_("E.g. the bar association or the national employment service."))
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_function = models.CharField(_("function"), max_length=150, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    objects = AgreementChildManager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement_id", "id"]
        indexes = [models.Index(fields=["municipality", "agreement"], name="agreementparty_mun_agr")]

    def __str__(self):
        return self.institution.display_name() if self.institution_id else self.outside_name


class AgreementAnnex(TenantScopedModel):
    """An annex to an agreement (numbered, with its signing date)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="annexes")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("what it changes"), blank=True)
    signed_on = models.DateField(_("signed on"))
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = AgreementChildManager()

    class Meta:
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        ordering = ["agreement_id", "number"]
        indexes = [models.Index(fields=["municipality", "agreement"], name="agreementannex_mun_agr")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class AgreementReminder(TenantScopedModel):
    """An in-app renewal reminder to a coordinator (also e-mailed): 60 or 30 days before expiry."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementChildManager()

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user", "days_before"], name="agreement_reminder_once"),
        ]
        indexes = [models.Index(fields=["municipality", "user", "read_at"], name="agreementrem_mun_user")]
