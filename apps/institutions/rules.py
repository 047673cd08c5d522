"""Which institutions a user may read (names, directory): stated once (apps/core/rules.py).

``readable``: platform admins read every institution; members those of their municipalities. Used by
``Institution.objects.visible_to`` and by statements that show an institution's name only to whoever
may read it (the readers of a case).
"""
from __future__ import annotations

from apps.core.rules import Fragment, in_


def readable(access, a: str = "i", *, fixed: bool = False) -> Fragment | None:
    """Institutions of the user's municipalities (all of them for a platform admin)."""
    municipalities = access.municipality_ids()
    if fixed:
        column = in_(f"{a}.municipality_id", municipalities, fixed=True)
        return f"%s OR {column[0]}", [bool(access.is_platform_admin), *column[1]]
    if access.is_platform_admin:
        return "TRUE", []
    return in_(f"{a}.municipality_id", municipalities) if municipalities else None
