"""The querysets of the action plans: every list comes from ``visible_to(user, action)``, whose
conditions are the rules of rules.py."""
from __future__ import annotations

from django.db.models import Q

from apps.core.querysets import TenantManager, TenantQuerySet

from . import rules


class PlanQuerySet(TenantQuerySet):
    """Plans: read by the municipality's members and, when published, by everyone signed in."""

    plan_prefix = ""

    def scope(self, access, action):
        return rules.plan_rows(access, "view" if action == "view" else "change", self.plan_prefix)

    def published(self):
        """Only published plans (the other municipalities' list)."""
        return self.filter(**{f"{self.plan_prefix}is_published": True})


class PlanManager(TenantManager.from_queryset(PlanQuerySet)):
    """Manager exposing visible_to()."""


class PlanChildQuerySet(PlanQuerySet):
    """Rows of a plan (goals, measures, indicators, versions...): read and changed with their plan."""

    plan_prefix = "plan__"


class PlanChildManager(TenantManager.from_queryset(PlanChildQuerySet)):
    """Manager exposing visible_to()."""


class ActivityRowQuerySet(PlanChildQuerySet):
    """Activities and their rows (budget lines, executions, progress reports, partners): read and
    changed with the plan; ``report`` also by the owner institution's staff. The model names the path
    to its activity in ``ACTIVITY_PATH``."""

    def scope(self, access, action):
        if action == rules.REPORT:
            return rules.reported_rows(access, getattr(self.model, "ACTIVITY_PATH", "activity__"))
        return super().scope(access, action)


class ActivityRowManager(TenantManager.from_queryset(ActivityRowQuerySet)):
    """Manager exposing visible_to()."""


class ActivityManager(ActivityRowManager):
    """Manager exposing visible_to() for activities."""


class CodeQuerySet(TenantQuerySet):
    """National code lists: read by everyone signed in, kept by platform admins."""

    def scope(self, access, action):
        if action == "view":
            return Q()
        return Q() if rules.may_keep_codes(access) else None


class CodeManager(TenantManager.from_queryset(CodeQuerySet)):
    """Manager exposing visible_to()."""
