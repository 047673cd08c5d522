"""Who may see and change memberships and invitations."""
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db.models import Q

from apps.core.choices import Role
from apps.core.querysets import TenantManager, TenantQuerySet


class UserManager(DjangoUserManager):
    """E-mail is the login; the username is a short ASCII handle."""

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class MembershipQuerySet(TenantQuerySet):
    """Own memberships; an institution admin's staff; a coordinator's municipality (to invite people)."""

    def scope(self, access, action):
        if access.is_platform_admin:
            return Q()
        admin_of = access.institution_ids(Role.INSTITUTION_ADMIN)
        admin_municipalities = access.municipality_ids(Role.INSTITUTION_ADMIN)
        managed = Q(municipality_id__in=admin_municipalities, institution_id__in=admin_of) if admin_of else None
        if action != "view":
            return managed
        condition = Q(user_id=access.user.pk)
        if managed is not None:
            condition |= managed
        coordinated = access.municipality_ids(Role.COORDINATOR)
        if coordinated:
            condition |= Q(municipality_id__in=coordinated)
        return condition


class MembershipManager(TenantManager.from_queryset(MembershipQuerySet)):
    """Manager exposing visible_to()."""


class InvitationQuerySet(TenantQuerySet):
    """Invitations are seen and managed by platform admins and the inviting institution's admins."""

    def scope(self, access, action):
        if access.is_platform_admin:
            return Q()
        admin_of = access.institution_ids(Role.INSTITUTION_ADMIN)
        if not admin_of:
            return None
        return Q(municipality_id__in=access.municipality_ids(Role.INSTITUTION_ADMIN), institution_id__in=admin_of)


class InvitationManager(TenantManager.from_queryset(InvitationQuerySet)):
    """Manager exposing visible_to()."""


class AccessNoticeQuerySet(TenantQuerySet):
    """New access to cases is read by the municipality's coordinators and institution admins (and
    platform admins, who manage users); nobody changes it."""

    def scope(self, access, action):
        if action != "view":
            return None
        if access.is_platform_admin:
            return Q()
        municipalities = access.municipality_ids(Role.COORDINATOR, Role.INSTITUTION_ADMIN)
        return Q(municipality_id__in=municipalities) if municipalities else None

    def coordinated_by(self, user):
        """The notices of the municipalities ``user`` coordinates (their work queue's group)."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        municipalities = access.municipality_ids(Role.COORDINATOR) if access is not None else ()
        return self.filter(municipality_id__in=municipalities) if municipalities else self.none()


class AccessNoticeManager(TenantManager.from_queryset(AccessNoticeQuerySet)):
    """Manager exposing visible_to()."""
