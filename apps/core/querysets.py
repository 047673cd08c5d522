"""Tenant-scoped querysets: every list a user sees is built by visible_to(user, action)."""
from __future__ import annotations

from django.db import models


class TenantQuerySet(models.QuerySet):
    """A queryset that knows how to scope itself to what a user may see or change.

    Subclasses implement ``scope(access, action)`` returning a Q object (or None for nothing);
    the municipality predicate always leads so that the tenant-leading indexes are used.
    """

    def visible_to(self, user, action: str = "view") -> TenantQuerySet:
        """Rows of this queryset that ``user`` may ``action`` ("view", "change", "delete")."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None or not getattr(user, "is_active", False):
            return self.none()
        condition = self.scope(access, action)
        if condition is None:
            return self.none()
        return self.filter(condition)

    def scope(self, access, action: str):
        """Default tenant rule: members see their municipalities' rows; platform admins see all."""
        if access.is_platform_admin:
            return models.Q()
        municipalities = access.municipality_ids()
        if not municipalities:
            return None
        if action == "view":
            return models.Q(municipality_id__in=municipalities)
        return None

    def for_municipality(self, municipality_id: int) -> TenantQuerySet:
        """Narrow an already scoped queryset to one municipality (filters, never security)."""
        return self.filter(municipality_id=municipality_id)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Manager exposing visible_to()."""


AUDIT_PERMISSION = "view_municipality_audit"


class AuditQuerySet(TenantQuerySet):
    """Audit entries: platform admins read all; institution admins the municipalities on which they
    hold ``view_municipality_audit``; nobody else any. Never changed (the table is append-only)."""

    def scope(self, access, action: str):
        if action != "view":
            return None
        if access.is_platform_admin:
            return models.Q()
        municipalities = access.municipalities_with(AUDIT_PERMISSION)
        return models.Q(municipality_id__in=municipalities) if municipalities else None


class AuditManager(models.Manager.from_queryset(AuditQuerySet)):
    """Manager exposing visible_to() for the audit log."""
