"""What one user may reach: memberships and municipality-wide grants, loaded once per request."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from apps.core import fixed_sql
from apps.core.choices import CASE_READING_ROLES
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality, MunicipalityGroupGrant

# The municipality-wide permission that reads every case (apps/municipalities/roles.py).
MUNICIPALITY_CASES_PERMISSION = "view_municipality_cases"


@dataclass(frozen=True)
class MembershipRef:
    """A light copy of an active membership."""

    id: int
    institution_id: int
    municipality_id: int
    role: str


# Further per-user values other apps load in the same statement as the memberships, so that the whole
# access context of a request is one round trip: name -> function(user, now) returning (SQL, params)
# for a query of one bigint column. apps/cases registers the municipalities of the cases shared
# with the user (apps/cases/querysets.py); the value is read back with ``Access.preloaded(name)``.
PRELOADS: dict = {}


def _statement(user, now) -> tuple[str, list]:
    # cycle: accounts.models -> accounts.access -> accounts.models
    from .models import Membership, User

    membership = Membership._meta.db_table
    institution = Institution._meta.db_table
    municipality = Municipality._meta.db_table
    grant = MunicipalityGroupGrant._meta.db_table
    user_groups = User.groups.through._meta.db_table
    permission = MunicipalityGroupGrant._meta.get_field("permission").related_model._meta.db_table
    parts = [
        # The active memberships (Membership rows in active institutions of active municipalities).
        f"""SELECT 'm' AS kind, ms.id AS a, ms.institution_id AS b, ms.municipality_id AS c, ms.role AS d
            FROM {membership} ms
            JOIN {institution} inst ON inst.id = ms.institution_id
            JOIN {municipality} mun ON mun.id = ms.municipality_id
            WHERE ms.user_id = %s AND ms.is_active AND inst.is_active AND mun.is_active""",
        # Municipality-wide grants to the user's role groups that have not expired, on active municipalities.
        f"""SELECT 'p', g.content_object_id, NULL, NULL, perm.codename
            FROM {grant} g
            JOIN {user_groups} ug ON ug.group_id = g.group_id
            JOIN {municipality} mun ON mun.id = g.content_object_id
            JOIN {permission} perm ON perm.id = g.permission_id
            WHERE ug.user_id = %s AND mun.is_active AND (g.expires_at IS NULL OR g.expires_at > %s)""",
    ]
    params: list = [user.pk, user.pk, now]
    for name, build in PRELOADS.items():
        sql, extra = build(user, now)
        parts.append(f"SELECT %s::text, v, NULL, NULL, NULL FROM ({sql}) AS preload(v)")
        params.extend([f"x:{name}", *extra])
    return "\nUNION ALL\n".join(parts), params


class Access:
    """The access context of one user: one statement (memberships, municipality-wide grants and what
    other apps preload), then answered from memory for the rest of the request."""

    def __init__(self, user):
        self.user = user
        self.is_platform_admin = bool(user.is_platform_admin)

    @cached_property
    def _rows(self) -> dict:
        memberships, permissions, extra = [], {}, {name: set() for name in PRELOADS}
        if self.user.pk is not None:
            sql, params = _statement(self.user, timezone.now())
            # The same text on every request: prepared, planned once per connection (apps/core/fixed_sql.py).
            for kind, a, b, c, d in fixed_sql.fetchall(sql, params):
                if self.is_platform_admin and (
                    (kind == "m" and d in CASE_READING_ROLES) or (kind == "p" and d == MUNICIPALITY_CASES_PERMISSION)
                ):
                    # The second wall: a platform admin never reads cases, even if such a role slipped in.
                    continue
                if kind == "m":
                    memberships.append(MembershipRef(a, b, c, d))
                elif kind == "p":
                    permissions.setdefault(a, set()).add(d)
                else:
                    extra[kind[2:]].add(a)
        return {
            "memberships": tuple(sorted(memberships, key=lambda m: m.id)),
            "permissions": {k: frozenset(v) for k, v in permissions.items()},
            "extra": {k: frozenset(v) for k, v in extra.items()},
        }

    @property
    def memberships(self) -> tuple[MembershipRef, ...]:
        return self._rows["memberships"]

    @property
    def municipality_permissions(self) -> dict[int, frozenset[str]]:
        """Municipality-wide grants through the user's role groups: {municipality_id: {codename}}."""
        return self._rows["permissions"]

    def preloaded(self, name: str) -> frozenset[int] | None:
        """A value another app registered in PRELOADS (None when not registered)."""
        return self._rows["extra"].get(name)

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
