"""Unsaved case-form input kept encrypted for its author."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import TenantScopedModel

from ..querysets import FormDraftManager
from .case import Case
from .common import User


class FormDraft(TenantScopedModel):
    """What a user typed into a case form and has not saved yet: stored encrypted, only for that user,
    deleted when the form is saved or the draft discarded, and ignored (then removed) after it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(max_length=40)  # e.g. "note_add", "person_edit-12"
    data = EncryptedTextField()  # JSON: {field name: [values]}
    expires_at = models.DateTimeField()

    objects = FormDraftManager()

    class Meta:
        verbose_name = _("form draft")
        verbose_name_plural = _("form drafts")
        constraints = [models.UniqueConstraint(fields=["user", "case", "form_key"], name="form_draft_once")]
        indexes = [models.Index(fields=["municipality", "user", "expires_at"], name="form_draft_mun_user")]
