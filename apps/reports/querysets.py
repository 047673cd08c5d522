"""Who sees which rows of the reports app (the rules are in rules.py)."""
from __future__ import annotations

from django.db import models

from apps.core.querysets import TenantQuerySet

from . import rules


class FigureQuerySet(TenantQuerySet):
    """Summary rows: the municipalities whose dashboard the user reads (what of it: rules.reach)."""

    def for_institution(self, institution_id: int) -> FigureQuerySet:
        """The rows of one institution (0: the whole municipality) of an already scoped queryset; the
        view has narrowed ``institution_id`` to the ones the reader's reach allows (rules.reach)."""
        return self.filter(institution_id=institution_id)

    def scope(self, access, action: str):
        if action != "view":
            return None
        ids = rules.dashboard_municipality_ids(access)
        return models.Q(municipality_id__in=ids) if ids else None


class ReportRunQuerySet(TenantQuerySet):
    """Report runs: the coordinators and officials of the municipality."""

    def scope(self, access, action: str):
        if action not in ("view", "change"):
            return None
        ids = rules.report_municipality_ids(access)
        return models.Q(municipality_id__in=ids) if ids else None


class SubscriptionQuerySet(TenantQuerySet):
    """A user's own subscriptions."""

    def scope(self, access, action: str):
        ids = rules.report_municipality_ids(access)
        return models.Q(municipality_id__in=ids, user_id=access.user.pk) if ids else None
