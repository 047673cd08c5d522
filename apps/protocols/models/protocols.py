"""Protocols, their versions and numbered procedure steps."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ProtocolKind, ProvingEvent, Sector, TimeUnit, VersionStatus
from ..querysets import ProtocolManager, ProtocolRowManager
from .common import NationalOrMunicipal, User, in_language


class Protocol(NationalOrMunicipal):
    """A protocol: a national template (no municipality) or a municipality's adaptation of one."""

    kind = models.CharField(_("kind"), max_length=20, choices=ProtocolKind.choices, default=ProtocolKind.GENERAL)
    title = models.CharField(_("title (Latin)"), max_length=250)
    title_cyrl = models.CharField(_("title (Cyrillic)"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="adaptations",
        verbose_name=_("adapted from"),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = ProtocolManager()

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["municipality", "kind"], name="protocol_mun_kind")]

    def __str__(self):
        return self.display_title()

    def display_title(self) -> str:
        return in_language(self, "title")


class ProtocolVersion(NationalOrMunicipal):
    """One version of a protocol: a draft is edited; adopted (date, decision number) it never changes;
    adopting the next one supersedes it."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    preamble = models.TextField(_("preamble (Latin)"), blank=True)
    preamble_cyrl = models.TextField(_("preamble (Cyrillic)"), blank=True)
    preamble_en = models.TextField(_("preamble (English)"), blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    adopted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = ProtocolRowManager()

    class Meta:
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        ordering = ["protocol_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["protocol", "number"], name="protocol_version_number")]
        indexes = [models.Index(fields=["municipality", "status"], name="protocolversion_mun_status")]

    def __str__(self):
        return f"{self.protocol} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def display_preamble(self) -> str:
        return in_language(self, "preamble")


class ProtocolStep(NationalOrMunicipal):
    """A numbered procedure step of a version: who acts, what, within what time, on what legal basis,
    and which case event proves it."""

    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="steps")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    position = models.PositiveIntegerField(_("number"))
    actor = models.CharField(_("who acts (Latin)"), max_length=200)
    actor_cyrl = models.CharField(_("who acts (Cyrillic)"), max_length=200, blank=True)
    actor_en = models.CharField(_("who acts (English)"), max_length=200, blank=True)
    action = models.TextField(_("what (Latin)"))
    action_cyrl = models.TextField(_("what (Cyrillic)"), blank=True)
    action_en = models.TextField(_("what (English)"), blank=True)
    time_amount = models.PositiveIntegerField(_("within"), null=True, blank=True)
    time_unit = models.CharField(_("unit"), max_length=8, choices=TimeUnit.choices, default=TimeUnit.HOURS)
    legal_basis = models.CharField(_("legal basis"), max_length=250, blank=True)
    proving_event = models.CharField(
        _("proving case event"), max_length=24, choices=ProvingEvent.choices, default=ProvingEvent.NONE, blank=True,
    )

    objects = ProtocolRowManager()

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["protocol_version_id", "sector", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["protocol_version", "sector", "position"], name="protocol_step_number"),
        ]
        indexes = [models.Index(fields=["municipality", "proving_event"], name="protocolstep_mun_event")]

    def __str__(self):
        return f"{self.get_sector_display()} {self.position}"

    def display_actor(self) -> str:
        return in_language(self, "actor")

    def display_action(self) -> str:
        return in_language(self, "action")

    def comparable(self) -> tuple:
        """What a version comparison looks at."""
        return (self.actor, self.actor_cyrl, self.action, self.action_cyrl, self.action_en, self.time_amount,
                self.time_unit, self.legal_basis, self.proving_event)
