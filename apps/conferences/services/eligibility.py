"""Who and what a meeting may name: the municipalities and areas a user schedules for, and the
institutions and staff that may be invited to a meeting of a municipality or an area."""
from __future__ import annotations

from django.db.models import Q

from apps.accounts.models import Membership, User
from apps.core.choices import Role
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from ..models import AreaMember, AreaMunicipality, CoordinationArea
from ..querysets import MANAGE

STAFF_ROLES = (Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR)


def schedulable_municipalities(user):
    """Municipalities whose case conferences the user may schedule."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(pk__in=user.access.municipalities_with(MANAGE), is_active=True).order_by("name")


def schedulable_areas(user):
    """Coordination areas covering a municipality whose conferences the user runs."""
    if not user.is_authenticated:
        return CoordinationArea.objects.none()
    managed = user.access.municipalities_with(MANAGE)
    return CoordinationArea.objects.filter(
        is_active=True, pk__in=AreaMunicipality.objects.filter(municipality_id__in=managed).values("area_id")
    ).order_by("name")


def can_schedule(user) -> bool:
    """Whether the user may schedule any meeting at all."""
    return bool(user.is_authenticated and user.access.municipalities_with(MANAGE))


def host_municipality_ids(*, municipality_id: int | None, area: CoordinationArea | None) -> list[int]:
    """The municipalities a meeting serves: its own, or every municipality of its area."""
    if area is not None:
        return list(AreaMunicipality.objects.filter(area=area).values_list("municipality_id", flat=True))
    return [municipality_id] if municipality_id else []


def eligible_institutions(*, municipality_id: int | None, area: CoordinationArea | None):
    """Institutions that may be invited: those of the served municipalities and the area's members."""
    condition = Q(municipality_id__in=host_municipality_ids(municipality_id=municipality_id, area=area))
    if area is not None:
        condition |= Q(pk__in=AreaMember.objects.filter(area=area).values("institution_id"))
    return Institution.objects.filter(condition, is_active=True)


def eligible_staff(*, municipality_id: int | None, area: CoordinationArea | None, roles=STAFF_ROLES):
    """Active staff of the eligible institutions (chair, invited people, supervisor)."""
    institutions = eligible_institutions(municipality_id=municipality_id, area=area)
    memberships = Membership.objects.filter(is_active=True, institution__in=institutions, role__in=roles)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def staff_choices_for(user):
    """Everyone the user could name as chair or invitee in any meeting they schedule (the service
    then checks the particular meeting)."""
    municipality_ids = set(user.access.municipalities_with(MANAGE))
    municipality_ids |= set(
        AreaMunicipality.objects.filter(area__in=schedulable_areas(user)).values_list("municipality_id", flat=True)
    )
    institutions = Institution.objects.filter(
        Q(municipality_id__in=municipality_ids)
        | Q(pk__in=AreaMember.objects.filter(area__in=schedulable_areas(user)).values("institution_id")),
        is_active=True,
    )
    memberships = Membership.objects.filter(is_active=True, institution__in=institutions, role__in=STAFF_ROLES)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("last_name", "first_name")


def institution_choices_for(user):
    """Every institution the user could invite to a meeting they schedule."""
    municipality_ids = set(user.access.municipalities_with(MANAGE))
    areas = schedulable_areas(user)
    municipality_ids |= set(AreaMunicipality.objects.filter(area__in=areas).values_list("municipality_id", flat=True))
    return Institution.objects.filter(
        Q(municipality_id__in=municipality_ids) | Q(pk__in=AreaMember.objects.filter(area__in=areas).values("institution_id")),
        is_active=True,
    ).order_by("name")
