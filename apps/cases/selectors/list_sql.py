"""The case list page's rows by one hand-written statement.

The list page is the most requested page. Through the ORM its one query cost about 2 ms of Python to
build (the scope's subqueries, the tab, the filters), about 1 ms to compile and 2 ms to turn 51 rows
into model instances with their lead institution, for well under a millisecond in PostgreSQL. Here
the same query is put together from fixed pieces of SQL (their text depends only on which tab,
which filters and which branches of the user's access are present) and its rows become instances
of the columns the page shows (``fixed_sql.model_builder``).

The conditions are the rules of apps/cases/rules.py (``tab``, ``list_filters``, ``after``), composed
here by name exactly as ``lists.case_queryset`` composes them for the ORM (the API, the exports, the
search's own queries and the "shared with me" tab): one statement of each rule, two readers.

The statement binds on the client (PostgreSQL plans it with the values, as the ORM's), because the
best plan depends on the institution and the municipality: it is not a prepared statement.
"""
from __future__ import annotations

from django.db import connection

from apps.core import fixed_sql
from apps.core.audit import audit_many
from apps.core.choices import AuditAction
from apps.institutions.models import Institution

from .. import rules
from ..models import Case
from .lists import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    CasePage,
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

_SELECT = (
    "SELECT " + ", ".join(f"c.{a}" for a in ROW_ATTS) + ", i.name, i.name_cyrl"
    f" FROM {Case._meta.db_table} c JOIN {Institution._meta.db_table} i ON i.id = c.lead_institution_id WHERE "
)


def _where(user, scope: str, filters: dict, cursor: str | None = None) -> tuple[list[str], list] | None:
    """The WHERE conditions and parameters of the tab with its filters (None: the tab lists nothing):
    ``rules.tab``, ``rules.list_filters`` and ``rules.after``, as ``case_queryset`` composes them."""
    statuses, levels, form, reported_from, reported_to, institution_id = clean_filters(**filters)
    condition = rules.tab(user.access, scope, "c")
    if condition is None:
        return None
    parts = [condition, *rules.list_filters(
        "c", statuses=statuses, levels=levels, form=form, reported_from=reported_from, reported_to=reported_to,
        institution_id=institution_id,
    )]
    if cursor:
        parts.append(rules.after("c", *decode_cursor(cursor)))
    return [f"({text})" for text, _ in parts], [p for _, params in parts for p in params]


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
    sql = f"SELECT c.id FROM {Case._meta.db_table} c WHERE c.id = ANY(%s::bigint[]) AND " + " AND ".join(where)
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
