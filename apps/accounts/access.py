"""What one user may reach: memberships and municipality-wide grants, loaded once per request."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from apps.core import fixed_sql, tenancy
from apps.core.choices import CASE_READING_ROLES

# The municipality-wide permission that reads every case (apps/municipalities/roles.py).
MUNICIPALITY_CASES_PERMISSION = "view_municipality_cases"


@dataclass(frozen=True)
class MembershipRef:
    """A light copy of an active membership."""

    id: int
    institution_id: int
    municipality_id: int
    role: str


# The user's reach is stated once, in SQL: ``kzn_user_reach(uid, at)`` (migration core 0007) gives their
# memberships (kind ``m``: municipality, institution, membership id, role), the municipality-wide
# permissions of their role groups (``p``: municipality, codename) and the municipalities of the cases
# shared with them (``g``), each with whether the platform acts through it (``active``: an active
# institution of an active municipality). Row-level security admits the municipalities of the same
# rows (apps/core/tenancy.py), so the wall and the application read one definition. The statement
# that opens a request's transaction returns these rows (``tenancy.take_reach``); an access context
# built elsewhere (another user, a task, after a membership change) reads them with this statement.
_STATEMENT = (
    "SELECT r.kind, r.municipality_id, r.institution_id, r.ref_id, r.name, r.active"
    " FROM kzn_user_reach(%s, %s) AS r WHERE r.kind IN ('m', 'p', 'g')"
)
# What other apps read of the reach by name (``Access.preloaded``): the kind of row that answers it.
PRELOADED = {"case_grant_municipalities": "g"}


class Access:
    """The access context of one user: their reach (memberships, municipality-wide grants, the
    municipalities of cases shared with them), read with the request's tenant context or by one
    statement, then answered from memory for the rest of the request."""

    def __init__(self, user):
        self.user = user
        self.is_platform_admin = bool(user.is_platform_admin)

    @cached_property
    def _rows(self) -> dict:
        memberships, permissions, shared = [], {}, set()
        if self.user.pk is not None:
            rows = tenancy.take_reach(self.user.pk)
            if rows is None:
                # The same text on every request: prepared, planned once per connection (apps/core/fixed_sql.py).
                rows = fixed_sql.fetchall(_STATEMENT, [self.user.pk, timezone.now()])
            for kind, municipality_id, institution_id, ref_id, name, active in rows:
                if not active:
                    continue
                if self.is_platform_admin and (
                    (kind == "m" and name in CASE_READING_ROLES) or (kind == "p" and name == MUNICIPALITY_CASES_PERMISSION)
                ):
                    # The second wall: a platform admin never reads cases, even if such a role slipped in.
                    continue
                if kind == "m":
                    memberships.append(MembershipRef(ref_id, institution_id, municipality_id, name))
                elif kind == "p":
                    permissions.setdefault(municipality_id, set()).add(name)
                elif kind == "g":
                    shared.add(municipality_id)
        return {
            "memberships": tuple(sorted(memberships, key=lambda m: m.id)),
            "permissions": {k: frozenset(v) for k, v in permissions.items()},
            "extra": {"g": frozenset(shared)},
        }

    @property
    def memberships(self) -> tuple[MembershipRef, ...]:
        return self._rows["memberships"]

    @property
    def municipality_permissions(self) -> dict[int, frozenset[str]]:
        """Municipality-wide grants through the user's role groups: {municipality_id: {codename}}."""
        return self._rows["permissions"]

    def preloaded(self, name: str) -> frozenset[int] | None:
        """A value of the reach read by name (``PRELOADED``; None for a name it does not answer)."""
        kind = PRELOADED.get(name)
        return None if kind is None else self._rows["extra"][kind]

    def municipality_ids(self, *roles: str) -> frozenset[int]:
        """Municipalities where the user holds any (or one of the given) roles."""
        return frozenset(m.municipality_id for m in self.memberships if not roles or m.role in roles)

    def institution_ids(self, *roles: str) -> frozenset[int]:
        """Institutions where the user holds any (or one of the given) roles."""
        return frozenset(m.institution_id for m in self.memberships if not roles or m.role in roles)

    def roles(self, municipality_id: int | None = None) -> frozenset[str]:
        """The user's roles, in one municipality or anywhere."""
        return frozenset(
            m.role for m in self.memberships if municipality_id is None or m.municipality_id == municipality_id
        )

    def municipalities_with(self, codename: str) -> frozenset[int]:
        """Municipalities on which the user holds a municipality-wide permission."""
        return frozenset(m for m, perms in self.municipality_permissions.items() if codename in perms)

    def has_municipality_perm(self, municipality_id: int, codename: str) -> bool:
        """Whether a municipality-wide permission is held on that municipality."""
        return codename in self.municipality_permissions.get(municipality_id, frozenset())
