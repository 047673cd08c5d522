"""Who sees and who runs which programme event, attendance row and material.

- An event is seen by the members of its host municipality and, for an inter-municipal meeting, of
  the municipalities of its coordination area (as coordination-group meetings are), and by the
  staff invited to it personally.
- An event is run (planned, changed, attendance recorded, certificates issued) by the coordinators
  (``manage_municipality_conferences``) of the host or of a municipality of its area, and by the
  user who planned it.
- Attendance rows and certificates (personal data) are read by those who run the event, and each
  person reads their own row and certificate.
- Materials, deliveries, distributions, targets and the public-page switch: members of the
  municipality read them, its coordinators change them.
"""
from __future__ import annotations

from django.db.models import Q

from apps.core.querysets import TenantManager, TenantQuerySet

MANAGE = "manage_municipality_conferences"


def _areas_of(municipality_ids):
    from apps.conferences.models import AreaMunicipality  # cycle: models -> querysets

    return AreaMunicipality.objects.filter(municipality_id__in=municipality_ids).values("area_id")


def run_condition(access, prefix: str = "") -> Q | None:
    """Events the user runs; ``prefix`` addresses the event from a related row (e.g. "event__")."""
    if access.is_platform_admin and not access.memberships:
        return None
    condition = Q(**{f"{prefix}created_by_id": access.user.pk})
    managed = access.municipalities_with(MANAGE)
    if managed:
        condition |= Q(**{f"{prefix}municipality_id__in": managed}) | Q(**{f"{prefix}area_id__in": _areas_of(managed)})
    return condition


def view_condition(access) -> Q | None:
    """Events the user sees: of their municipalities or areas, run by them, or invited to."""
    if access.is_platform_admin and not access.memberships:
        return None
    from .models import Participant  # cycle: models -> querysets

    municipalities = access.municipality_ids()
    condition = run_condition(access) | Q(pk__in=Participant.objects.filter(user_id=access.user.pk).values("event_id"))
    if municipalities:
        condition |= Q(municipality_id__in=municipalities) | Q(area_id__in=_areas_of(municipalities))
    return condition


class EventQuerySet(TenantQuerySet):
    """Events seen (view) or run (change) by the user."""

    def scope(self, access, action):
        if action == "view":
            return view_condition(access)
        return run_condition(access, "")


class EventManager(TenantManager.from_queryset(EventQuerySet)):
    """Manager exposing visible_to()."""


class EventChildQuerySet(TenantQuerySet):
    """Rows of an event: participants, certificates, runs, coverage and participating municipalities.
    Read and changed by who runs the event; a person reads their own participant row and certificate."""

    def scope(self, access, action):
        condition = run_condition(access, "event__")
        if condition is None:
            return None
        if action == "view":
            own = self.model._meta.model_name in ("participant", "certificate")
            if own:
                field = "user_id" if self.model._meta.model_name == "participant" else "participant__user_id"
                condition |= Q(**{field: access.user.pk})
            elif self.model._meta.model_name in ("mediacoverage", "eventmunicipality"):
                return Q(event__in=events_viewable_by(access))
        return condition


def events_viewable_by(access):  # noqa: N802 - reads as "the events viewable by"
    from .models import Event  # cycle: models -> querysets

    return Event.objects.filter(view_condition(access)).values("pk")


class EventChildManager(TenantManager.from_queryset(EventChildQuerySet)):
    """Manager exposing visible_to()."""


class MunicipalityRowQuerySet(TenantQuerySet):
    """Materials and the like: members read, coordinators change."""

    def scope(self, access, action):
        if access.is_platform_admin and not access.memberships:
            return None
        if action == "view":
            municipalities = access.municipality_ids()
            return Q(municipality_id__in=municipalities) if municipalities else None
        managed = access.municipalities_with(MANAGE)
        return Q(municipality_id__in=managed) if managed else None


class MunicipalityRowManager(TenantManager.from_queryset(MunicipalityRowQuerySet)):
    """Manager exposing visible_to()."""
