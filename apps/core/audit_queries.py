"""Reading the audit log: who may see which entries.

Platform admins see every entry; institution admins see the entries of the municipalities on
which they hold the municipality-wide grant ``view_municipality_audit``; nobody else sees any.
The rule itself is ``AuditEntry.objects.visible_to`` (apps/core/querysets.py).
"""
from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEntry
from .querysets import AUDIT_PERMISSION
from .tenant_models import municipality_model


def audit_municipality_ids(user) -> frozenset[int] | None:
    """Municipalities whose entries the user may read; None means every entry (platform admins)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_platform_admin:
        return None
    return user.access.municipalities_with(AUDIT_PERMISSION)


def can_view_audit(user) -> bool:
    """Whether the user may open the audit log at all."""
    ids = audit_municipality_ids(user)
    return ids is None or bool(ids)


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """The audit entries the user may read, newest first."""
    return AuditEntry.objects.visible_to(user)


def audit_municipalities_for(user):
    """The municipalities the user may filter the audit log by."""
    ids = audit_municipality_ids(user)
    queryset = municipality_model().objects.visible_to(user)
    if ids is None:
        return queryset
    return queryset.filter(pk__in=ids)
