"""Who may see which rows of the interlinking app (each rule stated once, here).

A machine account reads and writes through its own user (a member of its institution), so the same
rules serve people and machines: the institution's admins manage its accounts and see what came in;
its caseworkers and coordinators see and decide the matching queue; an account sees its own rows.
"""
from __future__ import annotations

from django.db.models import Q

from apps.core.choices import Role
from apps.core.querysets import TenantManager, TenantQuerySet

ADMIN = (Role.INSTITUTION_ADMIN,)
DECIDERS = (Role.CASEWORKER, Role.COORDINATOR)


def _institutions(access, roles) -> Q | None:
    """Rows of the institutions where the user holds one of ``roles`` (the municipality leads)."""
    institutions = access.institution_ids(*roles)
    if not institutions:
        return None
    return Q(municipality_id__in=access.municipality_ids(*roles), institution_id__in=institutions)


def _either(*parts: Q | None) -> Q | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out |= part
    return out


def _own_account(access, field: str) -> Q | None:
    """The rows of the machine account whose user this is."""
    user_id = getattr(access.user, "pk", None)
    if user_id is None or not access.municipality_ids():
        return None
    return Q(municipality_id__in=access.municipality_ids(), **{field: user_id})


class MachineAccountQuerySet(TenantQuerySet):
    """Accounts: the institution's admins manage them; an account reads itself."""

    def scope(self, access, action):
        if action == "view":
            return _either(_institutions(access, ADMIN), _own_account(access, "user_id"))
        return _institutions(access, ADMIN)


class InboundRecordQuerySet(TenantQuerySet):
    """Records and imports: the institution's admins and case staff read them; case staff decide the
    queue; the sending account reads its own."""

    def scope(self, access, action):
        if action == "view":
            return _either(_institutions(access, ADMIN + DECIDERS), _own_account(access, "account__user_id"))
        if action == "send":
            return _own_account(access, "account__user_id")
        return _institutions(access, DECIDERS)


class WebhookSubscriptionQuerySet(TenantQuerySet):
    """Webhooks: the institution's admins (through the account's institution) and the account itself."""

    def scope(self, access, action):
        admin = access.institution_ids(*ADMIN)
        by_admin = Q(municipality_id__in=access.municipality_ids(*ADMIN), account__institution_id__in=admin) if admin else None
        return _either(by_admin, _own_account(access, "account__user_id"))


class FeedEventQuerySet(WebhookSubscriptionQuerySet):
    """Events of an account: read by the account and its institution's admins; written by the collector."""

    def scope(self, access, action):
        if action != "view":
            return None
        return super().scope(access, action)


MachineAccountManager = TenantManager.from_queryset(MachineAccountQuerySet)
InboundRecordManager = TenantManager.from_queryset(InboundRecordQuerySet)
ImportRunManager = TenantManager.from_queryset(InboundRecordQuerySet)
WebhookSubscriptionManager = TenantManager.from_queryset(WebhookSubscriptionQuerySet)
FeedEventManager = TenantManager.from_queryset(FeedEventQuerySet)
