"""Machine accounts of institutions, the records their systems send, file imports and events out."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import TenantScopedModel

from .choices import Decision, EventType, ImportStatus, RecordKind, RecordStatus, Scope
from .querysets import (
    FeedEventManager,
    ImportRunManager,
    InboundRecordManager,
    MachineAccountManager,
    WebhookSubscriptionManager,
)

USER = settings.AUTH_USER_MODEL


class MachineAccount(TenantScopedModel):
    """Another system of one institution: acts as its own user (a member of that institution), within
    the declared scopes; never platform-wide."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    # The account's own identity: a user with one membership in the institution, so that every rule,
    # row-level security and the audit log treat it like a person of that institution.
    user = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="machine_account")
    name = models.CharField(_("name"), max_length=120)
    scopes = ArrayField(models.CharField(max_length=32, choices=Scope.choices), verbose_name=_("scopes"), default=list)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = MachineAccountManager()

    class Meta:
        verbose_name = _("machine account")
        verbose_name_plural = _("machine accounts")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["municipality", "institution"], name="machine_mun_inst")]

    def __str__(self):
        return self.name

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes


class MachineToken(models.Model):
    """A secret of a machine account, stored hashed; found by its prefix before any tenant is known
    (like the personal API tokens), so the table carries no municipality."""

    account = models.ForeignKey(MachineAccount, on_delete=models.CASCADE, related_name="tokens")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("machine token")
        verbose_name_plural = _("machine tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return self.prefix

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ImportRun(TenantScopedModel):
    """One uploaded file: checked whole first, then imported row by row in a task (progress visible)."""

    account = models.ForeignKey(MachineAccount, on_delete=models.PROTECT, related_name="imports")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=RecordKind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    counts = models.JSONField(default=dict, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    rows = EncryptedTextField(blank=True)  # the checked rows, emptied when the import ends
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunManager()

    class Meta:
        verbose_name = _("file import")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "institution", "created_at"], name="import_mun_inst")]

    def __str__(self):
        return self.file_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class InboundRecord(TenantScopedModel):
    """A record another system sent, keyed by its institution, kind and the sender's own id; a newer
    version updates it, the same one changes nothing, an older one is refused."""

    account = models.ForeignKey(MachineAccount, on_delete=models.PROTECT, related_name="records")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=RecordKind.choices)
    external_id = models.CharField(_("sender's id"), max_length=80)
    version = models.PositiveIntegerField(_("version"))
    digest = models.CharField(max_length=64)  # of the payload, to tell a true repeat from a changed one
    payload = EncryptedTextField()  # the record as sent (persons' data), encrypted like the case's
    status = models.CharField(_("status"), max_length=12, choices=RecordStatus.choices)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    score = models.DecimalField(_("match score"), max_digits=4, decimal_places=3, null=True, blank=True)
    # Why: scores per part and the candidate cases (ids and scores, never names), and the history.
    explanation = models.JSONField(default=dict, blank=True)
    # What landing created on the case (model label -> ids), so that it can be undone.
    created_rows = models.JSONField(default=dict, blank=True)
    import_run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = InboundRecordManager()

    class Meta:
        verbose_name = _("inbound record")
        verbose_name_plural = _("inbound records")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "institution", "kind", "external_id"], name="inbound_once_per_sender_id"
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "institution", "status", "received_at"], name="inbound_mun_inst_status"),
            models.Index(fields=["municipality", "case"], name="inbound_mun_case"),
        ]

    def __str__(self):
        return f"{self.kind} {self.external_id}"


class WebhookSubscription(TenantScopedModel):
    """Where a machine account's system wants the events pushed, signed with its secret."""

    account = models.ForeignKey(MachineAccount, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("address"), max_length=500)
    secret = EncryptedTextField()
    event_types = ArrayField(models.CharField(max_length=32, choices=EventType.choices), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = WebhookSubscriptionManager()

    class Meta:
        verbose_name = _("webhook subscription")
        ordering = ["id"]
        indexes = [models.Index(fields=["municipality", "account"], name="webhook_mun_account")]

    def __str__(self):
        return self.url


class FeedEvent(TenantScopedModel):
    """One event for one machine account: the pull feed reads these by cursor; webhooks send them."""

    account = models.ForeignKey(MachineAccount, on_delete=models.CASCADE, related_name="events")
    key = models.CharField(max_length=160)  # what happened, once: a repeat of the key is not a new event
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    payload = models.JSONField(default=dict)  # case numbers, dates, statuses; never persons' data
    occurred_at = models.DateTimeField(default=timezone.now)

    objects = FeedEventManager()

    class Meta:
        verbose_name = _("feed event")
        verbose_name_plural = _("feed events")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "account", "key"], name="feed_event_once")]
        indexes = [models.Index(fields=["municipality", "account", "id"], name="feed_mun_account_id")]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"
