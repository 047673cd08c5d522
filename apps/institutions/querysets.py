"""Who may see and change institutions."""
from django.db.models import Q

from apps.core.choices import Role
from apps.core.querysets import TenantManager, TenantQuerySet
from apps.core.rules import rule

from .choices import OPEN_DIRECTORY_TYPES
from .rules import readable


class InstitutionQuerySet(TenantQuerySet):
    """Members see their municipalities' institutions; institution admins change their own."""

    def scope(self, access, action):
        if action == "view":
            return rule(lambda a: readable(access, a))
        if access.is_platform_admin:
            return Q()
        own = access.institution_ids(Role.INSTITUTION_ADMIN)
        if not own:
            return None
        return Q(municipality_id__in=access.municipality_ids(Role.INSTITUTION_ADMIN), pk__in=own)

    def active(self):
        """Institutions currently taking part."""
        return self.filter(is_active=True)

    def directory_for(self, user):
        """Institutions a user may name in a referral or a consent: those of the user's
        municipalities, plus the services open to every municipality (safe houses)."""

        own = self.visible_to(user, "view")
        elsewhere = self.filter(type__in=OPEN_DIRECTORY_TYPES, municipality__is_active=True)
        return (own | elsewhere).filter(is_active=True)


class InstitutionManager(TenantManager.from_queryset(InstitutionQuerySet)):
    """Manager exposing visible_to()."""
