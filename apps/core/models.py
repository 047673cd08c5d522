"""Tenancy base model, per-object grants, the append-only audit log and the outbox."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, OutboxStatus
from .crypto import EncryptedTextField
from .querysets import AuditManager, TenantManager


class TwoScriptNameMixin:
    """A name kept in both scripts (``name`` Latin, ``name_cyrl`` Cyrillic), shown in the reader's script.

    ``display_name()`` without a language uses the active one, so templates write
    ``{{ obj.display_name }}`` and ``str(obj)`` follows the page's language too.
    """

    def display_name(self, language: str | None = None) -> str:
        """The name in the script of ``language`` (default: the active language)."""
        language = (language if language is not None else get_language()) or ""
        cyrillic = getattr(self, "name_cyrl", "")
        return cyrillic if language.lower().endswith("cyrl") and cyrillic else self.name

    def __str__(self):
        return self.display_name()


class TimeStampedModel(models.Model):
    """Created/updated timestamps."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TenantScopedModel(TimeStampedModel):
    """A row owned by one municipality; the municipality id leads every composite index."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
        db_index=True,
    )

    objects = TenantManager()

    class Meta:
        abstract = True


class GrantFields(models.Model):
    """Who granted an object permission, why, and until when (mixed into guardian's direct models)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_active(self, now=None) -> bool:
        """Not yet expired."""
        return self.expires_at is None or self.expires_at > (now or timezone.now())


class AuditEntry(models.Model):
    """One thing someone did; append-only (UPDATE and DELETE are refused by a database trigger)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        # (actor, at) below serves every look-up by actor; a second index would only slow the inserts.
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_label = models.CharField(_("user"), max_length=254, blank=True)
    institution_id = models.BigIntegerField(_("institution"), null=True, blank=True)
    municipality_id = models.BigIntegerField(_("municipality"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditManager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["municipality_id", "-at"], name="audit_mun_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            # Who read a case, newest first (the case page's readers panel) straight from the index.
            models.Index(fields=["object_type", "object_id", "-at", "-id"], name="audit_object_at"),
        ]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)


class AuditSeal(models.Model):
    """One link of the hash chain over the audit log (one chain per municipality, one for the entries
    of none). Written after the entry by the sealer (``kzn_audit_seal``), never by the request that
    wrote the entry, so an audited read costs nothing more; append-only like the log itself.
    ``manage.py verify_audit`` recomputes the chain and names the first broken link."""

    municipality_id = models.BigIntegerField(_("municipality"), null=True, blank=True)
    seq = models.BigIntegerField(_("position in the chain"))
    entry_id = models.BigIntegerField(_("audit entry"), unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        constraints = [
            # One position per chain; the index also finds the head of a chain (its highest seq).
            models.UniqueConstraint(
                models.functions.Coalesce("municipality_id", models.Value(0)), "seq", name="audit_seal_chain_seq",
            ),
        ]

    def __str__(self):
        return f"{self.municipality_id or 0}#{self.seq}: {self.entry_id}"


class OutboxMessage(models.Model):
    """One e-mail, notification or queued task, recorded in the transaction that caused it and
    delivered after the commit (apps/core/outbox.py). The content is encrypted and cleared once sent."""

    channel = models.CharField(_("channel"), max_length=20)
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    payload = EncryptedTextField(blank=True)
    recipient_hint = models.CharField(_("recipient"), max_length=120, blank=True)
    origin_municipality = models.BigIntegerField(_("municipality"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    history = models.JSONField(_("history"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep's look-up of what is due, and the admin page's list by status.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due"),
        ]

    def __str__(self):
        return f"{self.channel}:{self.kind} #{self.pk} ({self.status})"
