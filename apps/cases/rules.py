"""The case access rules, each stated once (DESIGN.md, "Tenancy and access").

Every reader composes these: the querysets (``Case.objects.visible_to/listed_for/shared_with``, the
rows of a case, notes), the list page's statement (selectors/list_sql.py), the case page's
(selectors/case_rows.py), the work queue's, the readers panel, exports, the API and the agenda.
Each function returns a fragment ``(sql, params)`` over a table alias (apps/core/rules.py), or None
when the user reaches no row by it.

- ``listed``: W | T | A. W: a municipality-wide role (``view_municipality_cases``), not restricted;
  T: one of the user's case-role municipalities, not restricted, and one of their institutions leads
  or takes part (I); A: one of those municipalities and assigned to the user.
- ``granted``: shared with the user, or with a role group of theirs, by an unexpired ``view_case``
  grant (a separate branch: the "shared with me" tab, detail look-ups).
- ``tab``: the list tabs. "all" = listed; "institution" = I & ((not restricted & (W's or the user's
  municipalities)) | A), since T lies inside I; "mine" = assigned & (the user's municipalities | W).
- ``list_filters`` and ``after``: the list's filters and its keyset cursor.
- ``rows_of_case``: a row of one (already checked) case: its (municipality, case).
- ``note_visible``: notes and documents "for my institution only" stay inside the author's institution.
- ``addressed_to``: referrals addressed to the user's institutions (the receiving side sees them
  before the case is shared with it).

Scalar subqueries, not EXISTS, inside ORs (``row_probe``): PostgreSQL turns an EXISTS inside an OR
into a hashed subplan that first reads every match; a scalar subquery is one index probe per row walked.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from apps.core import fixed_sql
from apps.core.choices import CASE_READING_ROLES, Role
from apps.core.rules import Fragment, all_of, any_of, in_, table

# The roles that read cases (one definition: apps/core/choices.py), in a fixed order for the SQL.
CASE_ROLES = tuple(r for r in Role if r in CASE_READING_ROLES)
WIDE_PERMISSION = "view_municipality_cases"


def _sets(access):
    """(wide municipalities, case-role municipalities, case-role institutions) of the user."""
    if not access.memberships:
        return frozenset(), frozenset(), frozenset()
    institutions = access.institution_ids(*CASE_ROLES)
    municipalities = access.municipality_ids(*CASE_ROLES) if institutions else frozenset()
    return access.municipalities_with(WIDE_PERMISSION), municipalities, institutions


def _takes_part(a: str, institutions, fixed: bool) -> Fragment:
    """One of ``institutions`` leads the case or is on its team (I)."""
    leads = in_(f"{a}.lead_institution_id", institutions, fixed=fixed)
    part = in_("r_p.institution_id", institutions, fixed=fixed)
    return (
        f"{leads[0]} OR (SELECT r_p.id FROM {table('cases.CaseParticipant')} r_p WHERE r_p.case_id = {a}.id"
        f" AND r_p.ended_at IS NULL AND {part[0]} LIMIT 1) IS NOT NULL",
        [*leads[1], *part[1]],
    )


def _assigned(a: str, user_id, probe: bool = True) -> Fragment:
    """The user is assigned to the case (an open assignment)."""
    assignment = table("cases.CaseAssignment")
    if probe:
        return (
            f"(SELECT r_a.id FROM {assignment} r_a WHERE r_a.case_id = {a}.id AND r_a.ended_at IS NULL"
            " AND r_a.user_id = %s LIMIT 1) IS NOT NULL",
            [user_id],
        )
    return (
        f"EXISTS (SELECT 1 FROM {assignment} r_a WHERE r_a.case_id = {a}.id AND r_a.user_id = %s"
        " AND r_a.ended_at IS NULL)",
        [user_id],
    )


def _open_in(a: str, municipalities, fixed: bool) -> Fragment | None:
    """Not restricted, in one of ``municipalities``."""
    if not municipalities and not fixed:
        return None
    column = in_(f"{a}.municipality_id", municipalities, fixed=fixed)
    return f"NOT {a}.is_restricted AND {column[0]}", column[1]


def listed(access, a: str = "c", *, fixed: bool = False) -> Fragment | None:
    """The cases the user reaches as a team member or a municipality-wide role (W | T | A)."""
    return tab(access, "all", a, fixed=fixed)


def tab(access, scope: str, a: str = "c", *, fixed: bool = False) -> Fragment | None:
    """A list tab ("mine", "institution" or "all") with ``listed`` together, stated once (see above)."""
    wide, municipalities, institutions = _sets(access)
    user_id = access.user.pk
    has_team = bool(institutions) or fixed
    in_own = in_(f"{a}.municipality_id", municipalities, fixed=fixed) if has_team else None
    if scope == "all":
        team = all_of(_open_in(a, municipalities, fixed), _takes_part(a, institutions, fixed)) if has_team else None
        assigned = all_of(in_own, _assigned(a, user_id)) if has_team else None
        return any_of(_open_in(a, wide, fixed), team, assigned)
    if scope == "mine":
        where = any_of(in_own, _open_in(a, wide, fixed))
        return None if where is None else all_of(_assigned(a, user_id, probe=False), where)
    if scope == "institution":
        if not has_team:
            return None
        return all_of(
            _takes_part(a, institutions, fixed),
            any_of(_open_in(a, set(municipalities) | set(wide), fixed), all_of(in_own, _assigned(a, user_id))),
        )
    raise ValueError(scope)


# --- grants ------------------------------------------------------------------------------------------


def grants(column: str, user_id, now) -> Fragment:
    """``column`` ("content_object_id": the cases; "municipality_id": their municipalities) of the
    unexpired ``view_case`` grants to the user's role groups or to the user. The rule itself is the SQL
    function ``kzn_case_grants`` (migration core 0007), which the user's reach and so row-level security
    read too; the planner inlines it (the same plan as the grant tables written out here)."""
    out = {"content_object_id": "case_id", "municipality_id": "municipality_id"}[column]
    return f"SELECT r_g.{out} FROM kzn_case_grants(%s, %s) AS r_g", [user_id, now]


def granted(access, a: str = "c", now: datetime | None = None, *, fixed: bool = False) -> Fragment:
    """Cases shared with the user by a grant. ``fixed``: led by a flag (whether the user holds any
    grant; none: the grant tables are not read), for a statement whose text never changes."""
    sql, params = grants("content_object_id", access.user.pk, now or timezone.now())
    condition = f"{a}.id IN ({sql})"
    if fixed:
        return f"%s AND {condition}", [bool(granted_municipality_ids(access)), *params]
    return condition, params


def granted_municipality_ids(access) -> frozenset[int]:
    """Municipalities of the cases shared with the user (read with the access context, once per
    request: ``kzn_user_reach``; by their own query for an access context that does not read it)."""
    cached = getattr(access, "_granted_municipalities", None)
    if cached is None:
        cached = access.preloaded("case_grant_municipalities") if hasattr(access, "preloaded") else None
        if cached is None:
            sql, params = grants("municipality_id", access.user.pk, timezone.now())
            cached = frozenset(row[0] for row in fixed_sql.fetchall(sql, params)) if access.user.pk else frozenset()
        access._granted_municipalities = cached
    return cached


def visible(access, a: str = "c", now: datetime | None = None) -> Fragment:
    """``Case.objects.visible_to``: listed or granted, as one fixed-text condition."""
    return any_of(listed(access, a, fixed=True), granted(access, a, now, fixed=True))


def case_municipality_ids(access) -> frozenset[int]:
    """Municipalities whose cases the user may see: where they work on cases or hold a
    municipality-wide grant, and those of cases shared with them (cached for the request)."""
    cached = getattr(access, "_case_municipalities", None)
    if cached is None:
        ids = set(access.municipality_ids(*CASE_ROLES)) | set(access.municipalities_with(WIDE_PERMISSION))
        cached = access._case_municipalities = frozenset(ids | granted_municipality_ids(access))
    return cached


def in_case_municipalities(access, a: str, *, fixed: bool = False) -> Fragment | None:
    """A case or a row of one in a municipality whose cases the user may see (the tenant predicate
    that leads every read of case rows, so the tenant-leading indexes are walked)."""
    ids = case_municipality_ids(access)
    if not ids and not fixed:
        return None
    return in_(f"{a}.municipality_id", ids, fixed=fixed)


def case_tenant_sql(a: str) -> str:
    """The text of ``in_case_municipalities(..., fixed=True)`` for statements written once at import;
    its one parameter: ``sorted(case_municipality_ids(access))``."""
    return f"{a}.municipality_id = ANY(%s::bigint[])"


# --- rows of a case ----------------------------------------------------------------------------------


def rows_of_case(a: str, case) -> Fragment:
    """The rows of one case (already checked for the user): its municipality and id."""
    return f"{a}.municipality_id = %s AND {a}.case_id = %s", [case.municipality_id, case.pk]


def note_visible(access, a: str) -> Fragment:
    """Notes and documents: shared with the team, or written for one of the user's institutions."""
    return f"{a}.visibility = 'team' OR {a}.institution_id = ANY(%s::bigint[])", [sorted(access.institution_ids())]


def addressed_to(access, a: str = "r", *, fixed: bool = False) -> Fragment | None:
    """Referrals addressed to an institution where the user holds a case role (in its municipality)."""
    _wide, municipalities, institutions = _sets(access)
    if not institutions and not fixed:
        return None
    return all_of(
        in_(f"{a}.to_municipality_id", municipalities, fixed=fixed), in_(f"{a}.to_institution_id", institutions, fixed=fixed)
    )


# --- list filters and cursor ------------------------------------------------------------------------


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def list_filters(a: str, *, statuses=(), levels=(), form=None, reported_from=None, reported_to=None,
                 institution_id=None) -> list[Fragment]:
    """The list's filters (already cleaned by lists.clean_filters), each a condition on the case."""
    where: list[Fragment] = []
    for column, values in ((f"{a}.status", statuses), (f"{a}.risk_level", levels)):
        if values:
            where.append(in_(column, values, cast="varchar"))
    if form:
        where.append((
            f"EXISTS (SELECT 1 FROM {table('cases.Incident')} r_n WHERE r_n.case_id = {a}.id"
            " AND r_n.forms @> %s::varchar[])",
            [[form]],
        ))
    if reported_from:
        where.append((f"{a}.reported_at >= %s", [start_of(reported_from)]))
    if reported_to:
        where.append((f"{a}.reported_at < %s", [start_of(reported_to + timedelta(days=1))]))
    if institution_id is not None:
        where.append((
            f"{a}.lead_institution_id = %s OR EXISTS (SELECT 1 FROM {table('cases.CaseParticipant')} r_p2"
            f" WHERE r_p2.case_id = {a}.id AND r_p2.institution_id = %s AND r_p2.ended_at IS NULL)",
            [institution_id, institution_id],
        ))
    return where


def after(a: str, at: datetime, pk: int) -> Fragment:
    """Cases after the keyset position (reported_at, id) in the list's order (newest first)."""
    return f"{a}.reported_at < %s OR ({a}.reported_at = %s AND {a}.id < %s)", [at, at, pk]
