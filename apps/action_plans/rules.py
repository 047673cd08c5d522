"""Who reads and changes action plans, stated once (the querysets of querysets.py call these).

- **read**: every member of the plan's municipality (officials, institution staff, coordinators:
  plans are not case data); any signed-in user reads the plans a municipality has *published*
  (``is_published``, off by default). Platform admins read published plans only (and those of the
  municipalities where they hold a membership).
- **change** (the plan, its structure, indicators, budget lines): the coordinators of the plan's
  municipality.
- **report** (progress reports, executions, indicator values, an activity's status): the
  coordinators, and the staff of the activity's owner institution (institution admins and responsible
  staff report what their institution does).
- **codes**: the national code lists are kept by platform admins; everyone signed in reads them.

Row-level security: the tenant policy admits the user's municipalities; the published plans of other
municipalities are admitted by a second, read-only policy (``kzn_published``, migration 0002), so
the database itself never shows an unpublished plan of another municipality.
"""
from __future__ import annotations

from django.db.models import Q

from apps.core.choices import Role

REPORT = "report"


def reader_municipality_ids(access) -> frozenset[int]:
    """Municipalities whose plans the user reads whole, published or not: any active membership."""
    return access.municipality_ids()


def manager_municipality_ids(access) -> frozenset[int]:
    """Municipalities whose plans the user drafts and changes: the coordinators'."""
    return access.municipality_ids(Role.COORDINATOR)


def plan_rows(access, action: str, plan_prefix: str) -> Q | None:
    """Rows of plans (``plan_prefix`` reaches the plan's columns: "" on the plan, "plan__" on a row of it)
    that the user may ``action`` ("view" or "change")."""
    if action == "view":
        condition = Q(**{f"{plan_prefix}is_published": True})
        mine = reader_municipality_ids(access)
        if mine:
            condition = Q(municipality_id__in=sorted(mine)) | condition
        return condition
    managed = manager_municipality_ids(access)
    if not managed:
        return None
    return Q(municipality_id__in=sorted(managed))


def reported_rows(access, activity_prefix: str) -> Q | None:
    """Rows of activities (``activity_prefix`` reaches the activity) on which the user reports progress
    and spending: coordinators of the municipality and the owner institution's staff."""
    managed = manager_municipality_ids(access)
    institutions = access.institution_ids()
    condition = None
    if managed:
        condition = Q(municipality_id__in=sorted(managed))
    if institutions:
        owned = Q(**{f"{activity_prefix}owner_institution_id__in": sorted(institutions)})
        condition = owned if condition is None else condition | owned
    return condition


def may_keep_codes(access) -> bool:
    """The national code lists are kept by platform admins."""
    return bool(access.is_platform_admin)
