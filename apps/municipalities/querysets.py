"""Who may see and change municipalities."""
from django.db.models import Q

from apps.core.querysets import TenantManager, TenantQuerySet


class MunicipalityQuerySet(TenantQuerySet):
    """A municipality is visible to its members and to platform admins; only the latter change it."""

    def scope(self, access, action):
        if access.is_platform_admin:
            return Q()
        if action != "view":
            return None
        ids = access.municipality_ids()
        return Q(pk__in=ids) if ids else None

    def active(self):
        """Municipalities currently working on the platform."""
        return self.filter(is_active=True)


class MunicipalityManager(TenantManager.from_queryset(MunicipalityQuerySet)):
    """Manager exposing visible_to()."""
