"""Events access rules stated once (apps/core/rules.py): whom a coordinator may invite, which
institutions they may name, the rows an aggregate or a public page reads. The event rules
themselves are the conditions of apps/events/querysets.py.

- ``managed_municipality_ids``: where the user plans events (``manage_municipality_conferences``).
- ``staff_choices``: active staff of those municipalities (invitations, attendance from memberships).
- ``institution_choices``: institutions of those municipalities (distribution of materials).
- ``of_municipalities``: rows of the municipalities a rule gave (aggregates: conferences.rules).
- ``public_rows``: one municipality's rows for its public page (whose switch is checked by the caller).
"""
from __future__ import annotations

from apps.accounts.models import User
from apps.institutions.models import Institution

from .querysets import MANAGE


def managed_municipality_ids(user) -> frozenset[int]:
    return frozenset(user.access.municipalities_with(MANAGE)) if user.is_authenticated else frozenset()


def staff_choices(user):
    return User.objects.filter(
        memberships__municipality_id__in=managed_municipality_ids(user), memberships__is_active=True, is_active=True
    ).distinct().order_by("last_name", "first_name")


def institution_choices(user):
    return Institution.objects.filter(municipality_id__in=managed_municipality_ids(user)).order_by("name")


def of_municipalities(queryset, ids):
    """``queryset`` narrowed to the municipalities of ``ids`` (None: every one)."""
    return queryset if ids is None else queryset.filter(municipality_id__in=ids)


def taking_part(queryset, ids):
    """Participations (``EventMunicipality``) of the municipalities of ``ids`` (aggregates)."""
    return queryset.filter(member_id__in=ids)


def public_rows(queryset, municipality):
    return queryset.filter(municipality=municipality)
