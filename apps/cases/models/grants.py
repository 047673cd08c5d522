"""Per-case grants (django-guardian direct foreign-key permissions with granter, reason and expiry)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.core.models import GrantFields

from .case import Case


class CaseGroupGrant(GroupObjectPermissionBase, GrantFields):
    """A case shared with an institution's staff group (e.g. an accepted referral)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case group grant")
        verbose_name_plural = _("case group grants")
        indexes = [models.Index(fields=["group", "content_object"], name="casegroupgrant_group_case")]


class CaseUserGrant(UserObjectPermissionBase, GrantFields):
    """A case shared with one person."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case user grant")
        verbose_name_plural = _("case user grants")
        indexes = [models.Index(fields=["user", "content_object"], name="caseusergrant_user_case")]
