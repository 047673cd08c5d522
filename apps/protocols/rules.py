"""Who reads which compliance figures (apps/core/rules.py building blocks), stated once.

- ``compliance_reach``: per municipality, how a user reads its compliance figures: ``"cases"`` (the
  coordinators, who may open the cases: every institution, no suppression, a drill-down to the cases
  they may open), ``"aggregates"`` (officials: every institution, small numbers suppressed) or the set
  of own institutions (institution admins: their own service only, suppressed); None: nothing.
- ``compliance_rows``: the events of some institutions (a filter fragment over the events function).
"""
from __future__ import annotations

from apps.core.choices import Role
from apps.core.rules import Fragment, in_

CASES_PERMISSION = "view_municipality_cases"
AGGREGATES = "view_municipality_aggregates"


def compliance_reach(access, municipality_id: int):
    """``"cases"``, ``"aggregates"``, a frozenset of own institution ids, or None."""
    if municipality_id not in access.municipality_ids():
        return None
    if Role.COORDINATOR in access.roles(municipality_id) and access.has_municipality_perm(
            municipality_id, CASES_PERMISSION):
        return "cases"
    if access.has_municipality_perm(municipality_id, AGGREGATES):
        return "aggregates"
    own = frozenset(
        m.institution_id for m in access.memberships
        if m.municipality_id == municipality_id and m.role == Role.INSTITUTION_ADMIN
    )
    return own or None


def compliance_rows(a: str, institutions) -> Fragment:
    """Events answerable by ``institutions``."""
    return in_(f"{a}.institution_id", institutions)
