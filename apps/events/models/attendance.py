"""Participants of events (invited and attending), certificates and certificate runs."""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import TenantScopedModel

from ..choices import Language, RunStatus
from ..querysets import EventChildManager
from .events import Event

User = settings.AUTH_USER_MODEL
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """A certificate verification code: 12 characters without look-alikes, grouped by four."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class Participant(TenantScopedModel):
    """Someone invited to or attending an event: a platform user (from their membership), or an
    outside participant stored minimally (name, institution, function). ``municipality`` is the
    event's."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("person"))
    name = models.CharField(_("name"), max_length=160, blank=True)
    institution_name = models.CharField(_("institution"), max_length=200, blank=True)
    function = models.CharField(_("function"), max_length=120, blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)  # an outside participant's, only to send the invitation
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.SR_LATN)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    hours = models.DecimalField(_("hours attended"), max_digits=5, decimal_places=1, null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    objects = EventChildManager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event_id", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="participant_has_someone"),
            models.UniqueConstraint(fields=["event", "user"], condition=Q(user__isnull=False),
                                    name="participant_user_once"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="participant_hours_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "event"], name="participant_mun_event"),
                   models.Index(fields=["user", "event"], name="participant_user_event")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.name


    @property
    def institution_label(self) -> str:
        return self.institution_name

    @cached_property
    def certificate(self):
        """The participant's valid certificate, or None (revoked ones do not count); reads the
        ``certificates`` prefetch when there is one."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        rows = cache["certificates"] if "certificates" in cache else self.certificates.all()
        return next((c for c in rows if c.revoked_at is None), None)


class Certificate(TenantScopedModel):
    """A certificate of attendance; ``code`` is what the public verification page checks."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="certificates")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=20, unique=True, default=new_code, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("revoked by"))
    pdf = models.FileField(upload_to="events/certificates/%Y/", blank=True)

    objects = EventChildManager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["event_id", "id"]
        indexes = [models.Index(fields=["municipality", "event"], name="certificate_mun_event")]
        # One valid certificate per participant; a revoked one stays (its code answers "revoked") and a
        # new one, with a new code, may be issued.
        constraints = [models.UniqueConstraint(fields=["participant"], condition=Q(revoked_at__isnull=True),
                                               name="certificate_valid_once")]

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificateRun(TenantScopedModel):
    """One run of issuing certificates for an event (a Celery task): its visible progress."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="certificate_runs")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)
    participant_ids = models.JSONField(default=list, blank=True)  # empty: everyone who attended

    objects = EventChildManager()

    class Meta:
        verbose_name = _("certificate run")
        verbose_name_plural = _("certificate runs")
        ordering = ["-id"]
        indexes = [models.Index(fields=["municipality", "event"], name="certrun_mun_event")]

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
