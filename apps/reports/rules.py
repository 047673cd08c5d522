"""Who reads which figures (stated once; the querysets and views use these).

- A municipality's figures are read as the compliance figures are (apps/protocols/rules.py,
  ``compliance_reach``): coordinators who may open the cases read them whole and unsuppressed, with a
  drill-down to the cases they may open; officials read the whole municipality suppressed; institution
  admins their own institutions, suppressed. Nobody else.
- A municipality's report runs (whole-municipality figures, suppressed): its coordinators and officials.
- National figures: national readers (``User.is_national_reader``), never a case.
"""
from __future__ import annotations

from apps.protocols.rules import compliance_reach

CASES = "cases"
AGGREGATES = "aggregates"


def reach(access, municipality_id: int):
    """``"cases"``, ``"aggregates"``, a frozenset of own institution ids, or None."""
    return compliance_reach(access, municipality_id)


def report_municipality_ids(access) -> frozenset[int]:
    """The municipalities whose whole-municipality reports the user reads."""
    return frozenset(m for m in access.municipality_ids() if reach(access, m) in (CASES, AGGREGATES))


def dashboard_municipality_ids(access) -> frozenset[int]:
    """The municipalities whose dashboard (whole or own institutions) the user reads."""
    return frozenset(m for m in access.municipality_ids() if reach(access, m))


def is_national_reader(user) -> bool:
    """A reader of the national aggregates (the ministry, the programme team)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_national_reader", False)
                and user.is_active)
