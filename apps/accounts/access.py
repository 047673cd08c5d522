"""What one user may reach: memberships and municipality-wide grants, loaded once per request."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.utils import timezone


@dataclass(frozen=True)
class MembershipRef:
    """A light copy of an active membership."""

    id: int
    institution_id: int
    municipality_id: int
    role: str


class Access:
    """The access context of one user: two queries, then answered from memory."""

    def __init__(self, user):
        self.user = user
        self.is_platform_admin = bool(user.is_platform_admin)

    @cached_property
    def memberships(self) -> tuple[MembershipRef, ...]:
        from .models import Membership

        rows = (
            Membership.objects.filter(user_id=self.user.pk, is_active=True, institution__is_active=True)
            .filter(municipality__is_active=True)
            .values_list("id", "institution_id", "municipality_id", "role")
            .order_by("id")
        )
        return tuple(MembershipRef(*row) for row in rows)

    @cached_property
    def municipality_permissions(self) -> dict[int, frozenset[str]]:
        """Municipality-wide grants through the user's role groups: {municipality_id: {codename}}."""
        from apps.municipalities.models import MunicipalityGroupGrant

        now = timezone.now()
        rows = MunicipalityGroupGrant.objects.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            group__user=self.user,
            content_object__is_active=True,
        ).values_list("content_object_id", "permission__codename")
        result: dict[int, set[str]] = {}
        for municipality_id, codename in rows:
            result.setdefault(municipality_id, set()).add(codename)
        return {k: frozenset(v) for k, v in result.items()}

    def municipality_ids(self, *roles: str) -> frozenset[int]:
        """Municipalities where the user holds any (or one of the given) roles."""
        return frozenset(m.municipality_id for m in self.memberships if not roles or m.role in roles)

    def institution_ids(self, *roles: str) -> frozenset[int]:
        """Institutions where the user holds any (or one of the given) roles."""
        return frozenset(m.institution_id for m in self.memberships if not roles or m.role in roles)

    def roles(self, municipality_id: int | None = None) -> frozenset[str]:
        """The user's roles, in one municipality or anywhere."""
        return frozenset(
            m.role for m in self.memberships if municipality_id is None or m.municipality_id == municipality_id
        )

    def municipalities_with(self, codename: str) -> frozenset[int]:
        """Municipalities on which the user holds a municipality-wide permission."""
        return frozenset(m for m, perms in self.municipality_permissions.items() if codename in perms)

    def has_municipality_perm(self, municipality_id: int, codename: str) -> bool:
        """Whether a municipality-wide permission is held on that municipality."""
        return codename in self.municipality_permissions.get(municipality_id, frozenset())
