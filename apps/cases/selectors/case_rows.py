"""Rows of one case read once per request and shared by the case page's sections, its side panel
and its timeline (all of them show the team, the staff, the persons, incidents, risk assessments,
measures, plans, consents, referrals, notes and documents): one query per table per page."""
from __future__ import annotations

from django.db import connection
from django.db.models import prefetch_related_objects
from django.utils import timezone

from apps.accounts.models import User
from apps.core import fixed_sql
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .. import rules
from ..models import (
    Attachment,
    Case,
    CaseAssignment,
    CaseNote,
    CaseParticipant,
    CasePerson,
    CaseStatusChange,
    Consent,
    EmergencyMeasure,
    Incident,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
    RiskAssessment,
)
from ..querysets import CaseChildQuerySet, RestrictedChildQuerySet, mark_visible, marked_for

# What every reader of these rows needs loaded with them, and their order on the page.
LOADS = {
    Incident: {"select": ("recorded_by", "reporting_institution")},
    RiskAssessment: {"select": ("assessor", "institution")},
    CaseNote: {"select": ("author", "institution")},
    Attachment: {"select": ("uploaded_by", "institution")},
    Consent: {"select": ("recorded_by", "person"), "prefetch": ("institutions",), "order": ("-given_at", "-id")},
    Referral: {
        "select": ("from_institution", "to_institution", "to_institution__municipality", "sent_by", "answered_by"),
        "order": ("-sent_at", "-id"),
    },
    EmergencyMeasure: {"select": ("recorded_by", "ordered_by"), "order": ("-delivered_at", "-id")},
    CaseParticipant: {"select": ("institution", "added_by"), "order": ("joined_at", "id")},
    CaseAssignment: {"select": ("user", "institution", "assigned_by"), "order": ("assigned_at", "id")},
    CasePerson: {"select": (), "order": ("id",)},
    MeasureBreach: {"select": ("recorded_by",), "order": ("-occurred_at", "-id")},
    ProtectiveMeasure: {"select": ("recorded_by",), "order": ("-valid_until", "-id")},
    ProtectionPlan: {"select": ("created_by",), "order": ("-is_active", "-adopted_at", "-id")},
    PlanMeasure: {"select": ("for_person", "owner_institution"), "order": ("deadline", "id")},
    CaseStatusChange: {"select": ("changed_by",), "order": ("changed_at", "id")},
}


def _queryset(user, case, model, select):
    load = LOADS[model]
    queryset = model.objects.of_case(user, case)
    if select:
        queryset = queryset.select_related(*select)
    if load.get("prefetch"):
        queryset = queryset.prefetch_related(*load["prefetch"])
    if load.get("order"):
        queryset = queryset.order_by(*load["order"])
    return queryset


def case_rows(user, case, model) -> list:
    """The rows of ``model`` on ``case`` that ``user`` may see (``of_case``), loaded on first use in
    this request and then shared; callers must not change the list."""
    if not marked_for(case, user):  # not the case object of this request: nothing to share
        return list(_queryset(user, case, model, LOADS[model]["select"]))
    memo = case.__dict__.setdefault("_case_rows", {})
    if model not in memo:
        memo[model] = list(_queryset(user, case, model, LOADS[model]["select"]))
    return memo[model]


# --- the whole record at once (the case page) -----------------------------------------------------

def _probe(case) -> tuple[str, list]:
    """One statement asking every table of LOADS whether it holds a row of the case (``rules.rows_of_case``)."""
    parts = [rules.rows_of_case("t", case) for _model in LOADS]
    probes = ", ".join(f"EXISTS (SELECT 1 FROM {m._meta.db_table} t WHERE {text})" for m, (text, _) in zip(LOADS, parts, strict=True))
    return f"SELECT {probes}", [p for _, params in parts for p in params]


def _split_select(model, select) -> tuple[list, list, list, list]:
    """select_related paths as (kept joins, user fields, institution fields, person fields)."""
    kept, users, institutions, persons = [], [], [], []
    for path in select:
        if "__" in path:  # a join through a resolved institution (its municipality): resolved with it
            if path.split("__", 1)[0] in {f.name for f in model._meta.fields if f.related_model is Institution}:
                continue
            kept.append(path)
            continue
        related = model._meta.get_field(path).related_model
        if related is User:
            users.append(path)
        elif related is Institution:
            institutions.append(path)
        elif related is CasePerson:
            persons.append(path)
        else:
            kept.append(path)
    return kept, users, institutions, persons


def load_case_record(user, case) -> None:
    """Read everything the case page shows of ``case`` in as few, and as cheap, queries as possible,
    into the request's shared rows (``case_rows`` then answers from memory).

    At national scale a query's cost on this page is building its SQL, not running it: about 1 ms
    per table, 0.1 ms of it in PostgreSQL, and most of the rest spent on the columns of the staff
    and institutions joined to every row. So: one statement first asks which of the fourteen tables
    hold any row of the case (a typical case has no documents, consents, breaches...), only those are
    read, without joins to staff, institutions and persons, and the staff and institutions they name
    are read once each, for all tables together. Only for a case checked for this user in this
    request (``mark_visible``); otherwise nothing happens and each reader queries as usual."""
    if not marked_for(case, user):
        return
    memo = case.__dict__.setdefault("_case_rows", {})
    wanted = [m for m in LOADS if m not in memo]
    if not wanted:
        return
    present = dict(zip(LOADS, fixed_sql.fetchone(*_probe(case)), strict=True))
    plans = {}
    for model in wanted:
        if not present[model]:
            memo[model] = []
            continue
        plans[model] = _split_select(model, LOADS[model]["select"])
    # The tables' statements are sent together and answered in one round trip (a pipeline); the
    # staff and institutions they name then in a second one.
    statements = {model: _table_statement(user, case, model) for model in plans}
    fixed = [model for model, statement in statements.items() if statement is not None]
    for model, rows in zip(fixed, fetch_together([statements[m][:2] for m in fixed]), strict=True):
        memo[model] = statements[model][2](rows)
    for model in plans:
        if model not in memo:
            memo[model] = list(_queryset(user, case, model, plans[model][0]))
    prefetch = [model for model in plans if LOADS[model].get("prefetch") and memo[model]]
    for model in prefetch:
        prefetch_related_objects(memo[model], *LOADS[model]["prefetch"])
    user_ids, institution_ids = set(), set()
    for model, (_kept, users, institutions, _persons) in plans.items():
        for row in memo[model]:
            user_ids.update(getattr(row, f"{f}_id") for f in users)
            institution_ids.update(getattr(row, f"{f}_id") for f in institutions)
    user_ids.discard(None)
    institution_ids.discard(None)
    lookups = []
    if user_ids:
        lookups.append(_staff_statement(user_ids))
    if institution_ids:
        lookups.append(_institutions_statement(institution_ids))
    answers = iter(fetch_together([statement[:2] for statement in lookups]))
    staff = lookups[0][2](next(answers)) if user_ids else {}
    places = lookups[-1][2](next(answers)) if institution_ids else {}
    persons = {p.pk: p for p in memo.get(CasePerson, ())}
    for model, (_kept, users, institutions, person_fields) in plans.items():
        for row in memo[model]:
            for f in users:
                target = staff.get(getattr(row, f"{f}_id"))
                if target is not None:
                    setattr(row, f, target)
            for f in institutions:
                target = places.get(getattr(row, f"{f}_id"))
                if target is not None:
                    setattr(row, f, target)
            for f in person_fields:
                target = persons.get(getattr(row, f"{f}_id"))
                if target is not None:
                    setattr(row, f, target)


# --- fixed statements of the case page ------------------------------------------------------------
# The case of the URL with the rows it is shown with, and each table's rows of one case, are read by
# statements whose text never changes (apps/core/fixed_sql.py): PostgreSQL plans them once per
# connection. Every one is a look-up by primary key or by (municipality, case), whose generic plan is
# the custom plan (checked with EXPLAIN on the national data set).


_columns = fixed_sql.columns
_instance = fixed_sql.instance


# The case page shows these with the case (CaseMixin's select_related).
_CASE_JOINS = (
    ("lead_institution", "li"),
    ("opened_by", "ob"),
    ("municipality", "mu"),
    ("proposed_for_conference_by", "pb"),
)
_CASE_PARTS: list = []


def _case_parts():
    """The case's columns and those of the rows shown with it, and the joins that read them."""
    if not _CASE_PARTS:
        parts = [(Case, None, "c", *_columns(Case, "c"))]
        joins = []
        for name, alias in _CASE_JOINS:
            field = Case._meta.get_field(name)
            related = field.related_model
            parts.append((related, name, alias, *_columns(related, alias)))
            joins.append(f' LEFT JOIN "{related._meta.db_table}" {alias} ON {alias}.id = c."{field.column}"')
        columns = ", ".join(p[3] for p in parts)
        _CASE_PARTS.extend([columns, "".join(joins), [(m, name, names, conv) for m, name, _a, _c, names, conv in parts]])
    return _CASE_PARTS


def load_visible_case(user, pk):
    """``Case.objects.visible_to(user).select_related(...).get(pk=pk)`` and whether the user is on the
    case team (``on_team``: ``rules.listed``, not only ``rules.granted``) in one fixed statement; the
    case is marked (``mark_visible``).

    Returns ``(True, case or None)``; ``(False, None)`` for an inactive or anonymous user, who sees
    no case (the caller then goes through ``visible_to`` as usual)."""
    access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
    if access is None or not getattr(user, "is_active", False):
        return False, None
    columns, joins, parts = _case_parts()
    listed = rules.listed(access, "c", fixed=True)
    granted = rules.granted(access, "c", timezone.now(), fixed=True)
    sql = f'SELECT {columns}, {listed[0]}, {granted[0]} FROM "{Case._meta.db_table}" c{joins} WHERE c.id = %s'
    row = fixed_sql.fetchone(sql, [*listed[1], *granted[1], int(pk)])
    if row is None or not (row[-2] or row[-1]):
        return True, None
    position, case = 0, None
    for model, name, attnames, converters in parts:
        values = row[position:position + len(attnames)]
        position += len(attnames)
        if name is None:
            case = _instance(model, attnames, converters, values)
        elif values[0] is not None:
            setattr(case, name, _instance(model, attnames, converters, values))
        else:
            setattr(case, name, None)
    mark_visible(case, user)
    case.__dict__["_on_team"] = bool(row[-2])
    return True, case


def _order_sql(model) -> str:
    """The page's order of ``model``'s rows (LOADS, else the model's ordering) as SQL."""
    parts = []
    for name in LOADS[model].get("order") or model._meta.ordering:
        descending = name.startswith("-")
        name = name.lstrip("-")
        try:
            column = model._meta.get_field(name).column
        except Exception:  # noqa: BLE001 - an attname (case_id)
            column = model._meta.get_field(name.removesuffix("_id")).column
        parts.append(f'"{column}" DESC' if descending else f'"{column}" ASC')
    return ", ".join(parts)


def fetch_together(statements) -> list[list]:
    """The rows of each fixed statement ``(sql, params)``, prepared like ``fixed_sql.fetchall``, all
    sent in one pipeline: one round trip to PostgreSQL instead of one per statement. Each statement
    is still run (and counted) through Django's cursor wrapper."""
    if len(statements) <= 1:
        return [fixed_sql.fetchall(sql, params) for sql, params in statements]
    connection.ensure_connection()
    cursors = []
    try:
        with connection.connection.pipeline():
            for sql, params in statements:
                cursor = fixed_sql.cursor()
                cursors.append(cursor)
                cursor.execute(sql, list(params))
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def _builder(model, attnames, converters):
    def build(rows):
        return [_instance(model, attnames, converters, row) for row in rows]

    return build


_TABLE_SQL: dict = {}


def _table_statement(user, case, model):
    """``(sql, params, build)`` of ``of_case`` for a checked case as a fixed statement: the
    (municipality, case) match, and for notes and documents their own rule
    (``RestrictedChildQuerySet.row_scope``: shared with the team, or written by one of the user's
    institutions); in the page's order. None for a table with another row rule."""
    row_scope = type(model.objects.all()).row_scope
    where = [rules.rows_of_case("t", case)]
    if row_scope is RestrictedChildQuerySet.row_scope:
        where.append(rules.note_visible(user.access, "t"))
    elif row_scope is not CaseChildQuerySet.row_scope:
        return None
    if model not in _TABLE_SQL:
        columns, attnames, converters = _columns(model, "t")
        _TABLE_SQL[model] = (f'SELECT {columns} FROM "{model._meta.db_table}" t', _builder(model, attnames, converters))
    select, build = _TABLE_SQL[model]
    condition = " AND ".join(f"({text})" for text, _ in where)
    sql = f"{select} WHERE {condition} ORDER BY {_order_sql(model)}"
    return sql, [p for _, params in where for p in params], build


_LOOKUPS: dict = {}


def _staff_statement(ids):
    """Staff by id (``(sql, params, build)``, build giving ``{id: user}``)."""
    if "staff" not in _LOOKUPS:
        columns, attnames, converters = _columns(User, "u")
        sql = f'SELECT {columns} FROM "{User._meta.db_table}" u WHERE u.id = ANY(%s)'
        _LOOKUPS["staff"] = (sql, _builder(User, attnames, converters))
    sql, build = _LOOKUPS["staff"]
    return sql, [sorted(ids)], lambda rows: {u.pk: u for u in build(rows)}


def _institutions_statement(ids):
    """Institutions by id with their municipality (``(sql, params, build)``, build giving
    ``{id: institution}``)."""
    if "institutions" not in _LOOKUPS:
        i_cols, i_names, i_conv = _columns(Institution, "i")
        m_cols, m_names, m_conv = _columns(Municipality, "m")
        sql = (
            f'SELECT {i_cols}, {m_cols} FROM "{Institution._meta.db_table}" i'
            f' JOIN "{Municipality._meta.db_table}" m ON m.id = i.municipality_id WHERE i.id = ANY(%s)'
        )
        _LOOKUPS["institutions"] = (sql, i_names, i_conv, m_names, m_conv)
    sql, i_names, i_conv, m_names, m_conv = _LOOKUPS["institutions"]

    def build(rows):
        result = {}
        for row in rows:
            institution = _instance(Institution, i_names, i_conv, row[: len(i_names)])
            institution.municipality = _instance(Municipality, m_names, m_conv, row[len(i_names):])
            result[institution.pk] = institution
        return result

    return sql, [sorted(ids)], build
