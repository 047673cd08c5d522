"""Notes and contacts recorded on a case."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import TenantScopedModel

from ..choices import ContactKind, Visibility
from ..querysets import RestrictedChildManager
from .case import Case
from .common import INSTITUTION, User


class CaseNote(TenantScopedModel):
    """A note or a contact (home visit, interview, call...), for the team or the own institution only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices, default=ContactKind.NOTE)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    text = EncryptedTextField(_("text"))
    visibility = models.CharField(_("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.TEAM)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedChildManager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["municipality", "case", "-occurred_at"], name="note_mun_case_at")]
