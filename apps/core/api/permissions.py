"""API permissions beyond authentication: who may create at all (scoping still decides what)."""
from rest_framework import permissions

from ..choices import Role


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_platform_admin)


class CreateOnlyByPlatformAdmin(permissions.BasePermission):
    """Creating is for platform admins; other actions are decided by the scoped queryset."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) == "create":
            return is_platform_admin(request.user)
        return True


class CreateByAdmins(permissions.BasePermission):
    """Creating is for platform admins and institution admins (the scoped fields narrow what to)."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) != "create":
            return True
        user = request.user
        if is_platform_admin(user):
            return True
        return bool(user.is_authenticated and user.access.institution_ids(Role.INSTITUTION_ADMIN))
