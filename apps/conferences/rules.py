"""Conference access rules stated once (apps/core/rules.py): the open action items of a person and
the municipalities whose conference figures a user reads. The meeting rules are the conditions of
apps/conferences/querysets.py; an item's case follows apps/cases/rules.py.

- ``open_owned``: open items owned by an institution where the user holds a case role (their items of
  unrestricted cases are visible by ``querysets.owned_condition``; a restricted case's are checked
  against the case rule by the reader).
- ``open_named``: open items naming the user as responsible that those institutions do not own.
- ``aggregate_municipality_ids``: aggregates come with the municipality-wide grant of the role group
  (coordinators and officials) and only while the user still holds a membership there; platform
  admins (without memberships) read every municipality's.
"""
from __future__ import annotations

from apps.core.rules import Fragment, in_

from .choices import ActionStatus

AGGREGATES = "view_municipality_aggregates"


def open_owned(a: str, institutions: str | list) -> Fragment:
    """Open items owned by ``institutions`` (a list, or the SQL of one institution id, e.g. a lateral
    join's column, so a statement walks the (owner, due) index one institution at a time)."""
    if isinstance(institutions, str):
        owner = (f"{a}.owner_institution_id = {institutions}", [])
    else:
        owner = in_(f"{a}.owner_institution_id", institutions, fixed=True)
    return f"{owner[0]} AND {a}.status = '{ActionStatus.OPEN}'", owner[1]


def open_named(a: str, user_id, institutions: list) -> Fragment:
    """Open items naming the user as responsible, not owned by ``institutions``."""
    return (
        f"{a}.responsible_id = %s AND {a}.status = '{ActionStatus.OPEN}'"
        f" AND NOT ({a}.owner_institution_id = ANY(%s::bigint[]))",
        [user_id, sorted(institutions)],
    )


def aggregate_municipality_ids(access) -> set[int] | None:
    """Municipalities whose aggregates the user sees (None: every one)."""
    if access.is_platform_admin and not access.memberships:
        return None
    return set(access.municipalities_with(AGGREGATES)) & set(access.municipality_ids())


def in_aggregates(ids: set[int] | None, a: str, column: str = "municipality_id") -> Fragment | None:
    """Rows of the municipalities ``aggregate_municipality_ids`` gave (None: no row; every row for None)."""
    if ids is None:
        return "TRUE", []
    if not ids:
        return None
    return in_(f"{a}.{column}", ids)
