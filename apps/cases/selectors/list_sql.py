"""The case list page's rows by one hand-written statement.

The list page is the most requested page. Through the ORM its one query cost about 2 ms of Python to
build (the scope's subqueries, the tab, the filters), about 1 ms to compile and 2 ms to turn 51 rows
into model instances with their lead institution, for well under a millisecond in PostgreSQL. Here
the same query is put together from fixed pieces of SQL (their text depends only on which tab,
which filters and which branches of the user's access are present) and its rows become instances
of the columns the page shows (``fixed_sql.model_builder``).

The rule is ``lists.case_queryset``'s, which stays the reference: the API, the exports, the search's
own queries and the "shared with me" tab use it, and tests compare the two for every role, tab,
filter and page (and ``in_tab``, which narrows search results to the tab, with it too).
Writing the tab's condition together with ``Case.objects.listed_for`` lets the statement say it once:

- listed_for = W | T | A, with W: a municipality-wide role (``view_municipality_cases``) and not
  restricted; T: one of the user's municipalities, not restricted, and the user's institution leads
  or takes part (I); A: one of the user's municipalities and assigned to the user;
- "all" = W | T | A; "institution" = I & ((not restricted & (W's or the user's municipalities)) | A),
  since T lies inside I; "mine" = assigned & (the user's municipalities | W).

The statement binds on the client (PostgreSQL plans it with the values, as the ORM's), because the
best plan depends on the institution and the municipality: it is not a prepared statement.
"""
from __future__ import annotations

from datetime import timedelta

from django.db import connection

from apps.core import fixed_sql
from apps.core.audit import audit_many
from apps.core.choices import AuditAction
from apps.institutions.models import Institution

from ..models import Case, CaseAssignment, CaseParticipant, Incident
from ..querysets import CASE_ROLES
from .lists import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    WIDE_PERMISSION,
    CasePage,
    _start_of,
    case_list,
    clean_filters,
    decode_cursor,
    effective_scope,
    encode_cursor,
)

# The columns a list row shows (views.case.list_rows) and its audit needs; then the lead institution's name.
ROW_ATTS = (
    "id", "municipality_id", "number", "lead_institution_id", "status", "risk_level", "priority", "is_restricted",
    "is_repeat", "known_elsewhere", "reported_at", "last_activity_at",
)
# The same columns for the ORM's only() (the list page's search results, the shared tab).
LIST_ONLY = tuple("lead_institution" if a == "lead_institution_id" else a for a in ROW_ATTS)
_new_case = fixed_sql.model_builder(Case, ROW_ATTS)
_new_institution = fixed_sql.model_builder(Institution, ("id", "name", "name_cyrl"))

_T = {
    "case": Case._meta.db_table,
    "institution": Institution._meta.db_table,
    "participant": CaseParticipant._meta.db_table,
    "assignment": CaseAssignment._meta.db_table,
    "incident": Incident._meta.db_table,
}
_SELECT = (
    "SELECT " + ", ".join(f"c.{a}" for a in ROW_ATTS) + ", i.name, i.name_cyrl"
    f" FROM {_T['case']} c JOIN {_T['institution']} i ON i.id = c.lead_institution_id WHERE "
)
# Scalar subqueries, not EXISTS, inside ORs (querysets.row_probe): one index probe per row walked.
_ASSIGNED_PROBE = (
    f"(SELECT a.id FROM {_T['assignment']} a WHERE a.case_id = c.id AND a.ended_at IS NULL"
    " AND a.user_id = %s LIMIT 1) IS NOT NULL"
)
_ASSIGNED = f"EXISTS (SELECT 1 FROM {_T['assignment']} a WHERE a.case_id = c.id AND a.user_id = %s AND a.ended_at IS NULL)"


def _in(column: str, values, cast: str = "bigint") -> tuple[str, list]:
    """``column IN values`` as the ORM writes it: one value is an equality, which lets PostgreSQL walk a
    (column, reported_at) index in order; several are ``= ANY`` of a typed array."""
    values = list(values)
    if len(values) == 1:
        return f"{column} = %s", values
    return f"{column} = ANY(%s::{cast}[])", [values]


def _any_of(parts: list[tuple[str, list]]) -> tuple[str, list]:
    sql = " OR ".join(f"({text})" for text, _params in parts)
    return f"({sql})", [p for _text, params in parts for p in params]


def _scope(user, scope: str) -> tuple[str, list] | None:
    """The condition of the tab (listed_for and the tab together), or None when it lists nothing."""
    access = user.access
    if not access.memberships:
        return None
    institutions = sorted(access.institution_ids(*CASE_ROLES))
    municipalities = sorted(access.municipality_ids(*CASE_ROLES))
    wide = sorted(access.municipalities_with(WIDE_PERMISSION))
    if institutions:
        leads, leads_params = _in("c.lead_institution_id", institutions)
        part, part_params = _in("p.institution_id", institutions)
        takes_part = (
            f"(SELECT p.id FROM {_T['participant']} p WHERE p.case_id = c.id AND p.ended_at IS NULL AND {part}"
            " LIMIT 1) IS NOT NULL"
        )
        team = (f"{leads} OR {takes_part}", [*leads_params, *part_params])
        in_own = _in("c.municipality_id", municipalities)
    if scope == "mine":
        where = [in_own] if institutions else []
        if wide:
            wide_in = _in("c.municipality_id", wide)
            where.append((f"NOT c.is_restricted AND {wide_in[0]}", wide_in[1]))
        if not where:
            return None
        text, params = _any_of(where)
        return f"{_ASSIGNED} AND {text}", [user.pk, *params]
    if scope == "institution":
        if not institutions:
            return None
        open_in = _in("c.municipality_id", sorted(set(municipalities) | set(wide)))
        text, params = _any_of([
            (f"NOT c.is_restricted AND {open_in[0]}", open_in[1]),
            (f"{in_own[0]} AND {_ASSIGNED_PROBE}", [*in_own[1], user.pk]),
        ])
        return f"({team[0]}) AND {text}", [*team[1], *params]
    if scope == "all":
        where = []
        if wide:
            wide_in = _in("c.municipality_id", wide)
            where.append((f"NOT c.is_restricted AND {wide_in[0]}", wide_in[1]))
        if institutions:
            where.append((f"{in_own[0]} AND NOT c.is_restricted AND ({team[0]})", [*in_own[1], *team[1]]))
            where.append((f"{in_own[0]} AND {_ASSIGNED_PROBE}", [*in_own[1], user.pk]))
        return _any_of(where) if where else None
    raise ValueError(scope)


def _where(user, scope: str, filters: dict, cursor: str | None = None) -> tuple[list[str], list] | None:
    """The WHERE conditions and parameters of the tab with its filters (None: the tab lists nothing)."""
    statuses, levels, form, reported_from, reported_to, institution_id = clean_filters(**filters)
    condition = _scope(user, scope)
    if condition is None:
        return None
    where, params = [condition[0]], list(condition[1])
    for column, values in (("c.status", statuses), ("c.risk_level", levels)):
        if values:
            text, extra = _in(column, values, cast="varchar")
            where.append(text)
            params.extend(extra)
    if form:
        where.append(f"EXISTS (SELECT 1 FROM {_T['incident']} n WHERE n.case_id = c.id AND n.forms @> %s::varchar[])")
        params.append([form])
    if reported_from:
        where.append("c.reported_at >= %s")
        params.append(_start_of(reported_from))
    if reported_to:
        where.append("c.reported_at < %s")
        params.append(_start_of(reported_to + timedelta(days=1)))
    if institution_id is not None:
        where.append(
            f"(c.lead_institution_id = %s OR EXISTS (SELECT 1 FROM {_T['participant']} p2 WHERE p2.case_id = c.id"
            " AND p2.institution_id = %s AND p2.ended_at IS NULL))"
        )
        params.extend([institution_id, institution_id])
    if cursor:
        at, pk = decode_cursor(cursor)
        where.append("(c.reported_at < %s OR (c.reported_at = %s AND c.id < %s))")
        params.extend([at, at, pk])
    return where, params


def page_rows(user, *, scope: str, cursor: str | None, size: int, **filters) -> list[Case] | None:
    """Up to ``size + 1`` cases of the tab ``scope`` ("mine", "institution" or "all", as
    effective_scope gave it), newest reported first, after ``cursor``: instances of ROW_ATTS with
    their lead institution (id and name). None for a tab this statement does not cover ("shared")."""
    if scope not in ("mine", "institution", "all"):
        return None
    found = _where(user, scope, filters, cursor)
    if found is None:
        clean_filters(**filters)
        return []
    where, params = found
    sql = _SELECT + " AND ".join(where) + " ORDER BY c.reported_at DESC, c.id DESC LIMIT %s"
    params.append(size + 1)
    with connection.cursor() as db:
        db.execute(sql, params)
        rows = db.fetchall()
    cases = []
    for row in rows:
        case = _new_case(row[:-2])
        case._state.fields_cache["lead_institution"] = _new_institution((row[3], row[-2], row[-1]))
        cases.append(case)
    return cases


def in_tab(user, *, scope: str, ids, **filters) -> set[int] | None:
    """Which of ``ids`` the tab ``scope`` with its filters lists (search results narrowed by the tab):
    one statement; None for a tab this statement does not cover ("shared")."""
    if scope not in ("mine", "institution", "all"):
        return None
    ids = sorted({int(i) for i in ids})
    found = _where(user, scope, filters)
    if found is None or not ids:
        clean_filters(**filters)
        return set()
    where, params = found
    sql = f"SELECT c.id FROM {_T['case']} c WHERE c.id = ANY(%s::bigint[]) AND " + " AND ".join(where)
    with connection.cursor() as db:
        db.execute(sql, [ids, *params])
        return {row[0] for row in db.fetchall()}


def case_page(user, *, scope: str = "mine", cursor: str | None = None, page_size: int = DEFAULT_PAGE_SIZE,
              **filters) -> CasePage:
    """The list page's page of cases: ``lists.case_list``'s result (rows audited as read, the next
    cursor), its rows by ``page_rows`` where that covers the tab, loading only the row's columns."""
    used_scope = effective_scope(user, scope)
    try:
        size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    except (TypeError, ValueError):
        size = DEFAULT_PAGE_SIZE
    rows = page_rows(user, scope=used_scope, cursor=cursor, size=size, **filters)
    if rows is None:
        return case_list(user, scope=used_scope, cursor=cursor, page_size=size, fields=LIST_ONLY, forms=False,
                         **filters)
    has_more = len(rows) > size
    rows = rows[:size]
    if rows:
        audit_many(action=AuditAction.VIEW, objects=rows, actor=user, details={"view": "list", "scope": used_scope})
    return CasePage(cases=rows, next_cursor=encode_cursor(rows[-1]) if has_more else None, scope=used_scope)
