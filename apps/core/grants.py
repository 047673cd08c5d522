"""Per-object grants on top of django-guardian's direct foreign-key permission models.

Each concrete grant model subclasses guardian's ``UserObjectPermissionBase`` or
``GroupObjectPermissionBase`` together with ``GrantFields`` (municipality, granter, reason,
expiry). Lists never ask guardian; they ask ``granted_object_ids`` and join the result as a
separate branch. Expired grants are removed by the periodic ``core.expire_grants`` task so that
guardian's own checks (ObjectPermissionChecker) agree with the expiry.
"""
from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .audit import audit_log
from .choices import AuditAction
from .models import GrantFields


def grant_models() -> list[type[models.Model]]:
    """Every concrete grant model in the project."""
    return [
        m
        for m in apps.get_models()
        if issubclass(m, GrantFields) and issubclass(m, UserObjectPermissionBase | GroupObjectPermissionBase)
    ]


def _permission(model: type[models.Model], codename: str) -> Permission:
    app_label = model._meta.app_label
    if "." in codename:
        app_label, codename = codename.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def grant_object_permission(
    *,
    grant_model: type[models.Model],
    obj: models.Model,
    codename: str,
    granted_by,
    reason: str,
    user=None,
    group=None,
    expires_at: datetime | None = None,
):
    """Give one user or group one permission on one object, with who, why and until when."""
    if (user is None) == (group is None):
        raise ValueError("Grant to exactly one of user or group.")
    if user is not None and granted_by is not None and user.pk == granted_by.pk:
        # Nobody grants themselves access (the same rule as for roles, apps/accounts/services.py).
        raise ValidationError({"user": _("Nobody can grant access to themselves. Ask another person.")}, code="self_grant")
    target = {"user": user} if user is not None else {"group": group}
    permission = _permission(type(obj), codename)
    municipality_id = getattr(obj, "municipality_id", None) or obj.pk
    grant, created = grant_model.objects.update_or_create(
        permission=permission,
        content_object=obj,
        **target,
        defaults={
            "municipality_id": municipality_id,
            "granted_by": granted_by,
            "reason": reason[:255],
            "expires_at": expires_at,
            "granted_at": timezone.now(),
        },
    )
    audit_log(
        action=AuditAction.PERMISSION_GRANTED,
        actor=granted_by,
        obj=obj,
        municipality_id=municipality_id,
        details={
            "permission": codename,
            "to": f"user:{user.pk}" if user is not None else f"group:{group.pk}",
            "expires": expires_at.isoformat() if expires_at else None,
        },
    )
    return grant


@transaction.atomic
def revoke_object_permission(
    *, grant_model: type[models.Model], obj: models.Model, codename: str, revoked_by, user=None, group=None
) -> int:
    """Take a permission on an object back from a user or group."""
    target = {"user": user} if user is not None else {"group": group}
    permission = _permission(type(obj), codename)
    deleted, _ = grant_model.objects.filter(permission=permission, content_object=obj, **target).delete()
    if deleted:
        audit_log(
            action=AuditAction.PERMISSION_REVOKED,
            actor=revoked_by,
            obj=obj,
            details={
                "permission": codename,
                "from": f"user:{user.pk}" if user is not None else f"group:{group.pk}",
            },
        )
    return deleted


def granted_object_ids(*, grant_model: type[models.Model], user, codename: str, now=None) -> models.QuerySet:
    """Ids of objects on which ``user`` holds an unexpired grant (directly or through a group).

    Returned as a subquery-able values queryset so callers join it as its own branch.
    """
    now = now or timezone.now()
    active = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    if issubclass(grant_model, UserObjectPermissionBase):
        who = Q(user=user)
    else:
        who = Q(group__user=user)
    return (
        grant_model.objects.filter(who, active, permission__codename=codename.split(".")[-1])
        .values_list("content_object_id", flat=True)
        .distinct()
    )


def expire_grants(now=None) -> int:
    """Delete grants whose expiry has passed; each removal is audited."""
    now = now or timezone.now()
    removed = 0
    for model in grant_models():
        for grant in model.objects.filter(expires_at__lte=now).select_related("permission"):
            audit_log(
                action=AuditAction.PERMISSION_REVOKED,
                obj=grant.content_object,
                details={"permission": grant.permission.codename, "expired": True},
            )
            grant.delete()
            removed += 1
    return removed
