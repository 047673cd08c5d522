"""Private calendar feeds of a user's meetings."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .common import User


class CalendarFeed(models.Model):
    """A private calendar feed of one user's meetings; the token is shown once and stored hashed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    name = models.CharField(_("name"), max_length=80, blank=True, help_text=_("E.g. the device or calendar it is used in."))
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
