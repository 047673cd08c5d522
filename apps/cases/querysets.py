"""Who may see cases and everything recorded on them.

Lists are built from the scoped predicate alone (municipality first, then the user's institutions'
participation or a municipality-wide grant) so they walk tenant-leading indexes. Cases shared by
an explicit grant (an accepted referral) are a separate branch: ``shared_with(user)``; detail
look-ups use ``visible_to`` which adds that branch only for users who hold grants.
"""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from apps.core.choices import Role
from apps.core.querysets import TenantManager, TenantQuerySet

CASE_ROLES = (Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR)


def granted_case_ids(access):
    """Ids of cases shared with the user's institutions or with the user by an unexpired grant."""
    from django.utils import timezone

    from .models import CaseGroupGrant, CaseUserGrant

    now = timezone.now()
    active = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    by_group = CaseGroupGrant.objects.filter(active, group__user=access.user, permission__codename="view_case")
    by_user = CaseUserGrant.objects.filter(active, user=access.user, permission__codename="view_case")
    return by_group.values("content_object_id").union(by_user.values("content_object_id"))


def has_case_grants(access) -> bool:
    """Whether the user holds any case grant (cached on the access context for the request)."""
    cached = getattr(access, "_has_case_grants", None)
    if cached is None:
        cached = granted_case_ids(access).exists() if access.memberships or access.user.pk else False
        access._has_case_grants = cached
    return cached


class CaseQuerySet(TenantQuerySet):
    """Caseworkers: cases their institution takes part in; coordinators: the municipality's cases;
    restricted cases: assigned staff only; platform admins and officials: never a case."""

    def scoped(self, access, action="view"):
        """The tenant-scoped branch (no grants)."""
        if not access.memberships:
            return None
        conditions = None
        wide = access.municipalities_with("view_municipality_cases")
        if wide:
            conditions = Q(municipality_id__in=wide, is_restricted=False)
        institutions = access.institution_ids(*CASE_ROLES)
        municipalities = access.municipality_ids(*CASE_ROLES)
        if institutions:
            from .models import CaseParticipant

            participates = Exists(
                CaseParticipant.objects.filter(
                    case_id=OuterRef("pk"), institution_id__in=institutions, ended_at__isnull=True
                )
            )
            team = Q(municipality_id__in=municipalities, is_restricted=False) & (
                Q(lead_institution_id__in=institutions) | Q(participates)
            )
            conditions = team if conditions is None else conditions | team
            from .models import CaseAssignment

            assigned = Q(
                Exists(CaseAssignment.objects.filter(case_id=OuterRef("pk"), user_id=access.user.pk, ended_at__isnull=True))
            )
            conditions = conditions | (Q(municipality_id__in=municipalities) & assigned)
        return conditions

    def scope(self, access, action):
        condition = self.scoped(access, action)
        if has_case_grants(access):
            branch = Q(pk__in=granted_case_ids(access))
            condition = branch if condition is None else condition | branch
        return condition

    def listed_for(self, user):
        """The main case list: the scoped branch only (grants are the 'shared with me' tab)."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None:
            return self.none()
        condition = self.scoped(access)
        return self.none() if condition is None else self.filter(condition)

    def shared_with(self, user):
        """Cases shared with the user by an explicit grant (a separate list branch)."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None:
            return self.none()
        return self.filter(pk__in=granted_case_ids(access))


class CaseManager(TenantManager.from_queryset(CaseQuerySet)):
    """Manager exposing visible_to(), listed_for() and shared_with()."""


class CaseChildQuerySet(TenantQuerySet):
    """Rows hanging off a case: visible when the case is visible."""

    case_field = "case"

    def scope(self, access, action):
        from .models import Case

        visible = Case.objects.all().scope(access, "view")
        if visible is None:
            return None
        return Q(**{f"{self.case_field}__in": Case.objects.filter(visible).values("pk")})


class CaseChildManager(TenantManager.from_queryset(CaseChildQuerySet)):
    """Manager for rows of a case."""


class RestrictedChildQuerySet(CaseChildQuerySet):
    """Notes and attachments: 'own institution only' entries stay inside the author's institution."""

    def scope(self, access, action):
        base = super().scope(access, action)
        if base is None:
            return None
        own = access.institution_ids()
        return base & (Q(visibility="team") | Q(institution_id__in=own))


class RestrictedChildManager(TenantManager.from_queryset(RestrictedChildQuerySet)):
    """Manager for notes and attachments."""
