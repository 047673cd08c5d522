"""Documents attached to a case, stored under MEDIA_ROOT with opaque names."""
from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import Visibility
from ..querysets import RestrictedChildManager
from .case import Case
from .common import INSTITUTION, User


def attachment_path(instance, filename):
    """Files live under MEDIA_ROOT (never the static root) with an opaque name."""
    return f"cases/{instance.municipality_id}/{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(TenantScopedModel):
    """A document on a case, served only through a permission-checked view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    visibility = models.CharField(_("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.TEAM)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedChildManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "case"], name="attachment_mun_case")]
