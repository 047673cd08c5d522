"""Rows of one case read once per request and shared by the case page's sections, its side panel
and its timeline (all of them show the team, the staff, the persons, incidents, risk assessments,
measures, plans, consents, referrals, notes and documents): one query per table per page."""
from __future__ import annotations

from ..models import (
    Attachment,
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
from ..querysets import marked_for

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

_PROBE_SQL = None


def _probe_sql() -> str:
    """One statement asking every table of LOADS whether it holds a row of the case."""
    global _PROBE_SQL
    if _PROBE_SQL is None:
        probes = ", ".join(
            f"EXISTS (SELECT 1 FROM {m._meta.db_table} WHERE municipality_id = %(m)s AND case_id = %(c)s)"
            for m in LOADS
        )
        _PROBE_SQL = f"SELECT {probes}"
    return _PROBE_SQL


# Statements whose text is the same for every case, built by Django once per process: the rows of
# one table for one (municipality, case), in the page's order. Django takes about 0.5 ms to build
# such a statement (PostgreSQL runs it in 0.05 ms); the model instances come from the same
# from_db path with the same field converters (RawQuerySet), and the prefetches run as usual.
_SENTINEL_MUNICIPALITY, _SENTINEL_CASE = -7_000_001, -7_000_002
_STATEMENTS: dict = {}


def _statement(model) -> tuple[str, list]:
    if model not in _STATEMENTS:
        queryset = model.objects.filter(municipality_id=_SENTINEL_MUNICIPALITY, case_id=_SENTINEL_CASE)
        if LOADS[model].get("order"):
            queryset = queryset.order_by(*LOADS[model]["order"])
        sql, params = queryset.query.sql_with_params()
        if sorted(params) != sorted([_SENTINEL_MUNICIPALITY, _SENTINEL_CASE]):
            raise RuntimeError(f"unexpected parameters in the statement for {model.__name__}")
        _STATEMENTS[model] = (sql, list(params))
    return _STATEMENTS[model]


def _rows_by_case(model, case) -> list:
    """``of_case`` for a checked case and a table without a row rule (the (municipality, case)
    match is the whole rule), from the statement built once."""
    from django.db.models import prefetch_related_objects

    sql, template = _statement(model)
    values = {_SENTINEL_MUNICIPALITY: case.municipality_id, _SENTINEL_CASE: case.pk}
    rows = list(model.objects.raw(sql, [values[p] for p in template]))
    if LOADS[model].get("prefetch"):
        prefetch_related_objects(rows, *LOADS[model]["prefetch"])
    return rows


def _split_select(model, select) -> tuple[list, list, list, list]:
    """select_related paths as (kept joins, user fields, institution fields, person fields)."""
    from apps.accounts.models import User
    from apps.institutions.models import Institution

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
    from django.db import connection

    from apps.accounts.models import User
    from apps.institutions.models import Institution

    if not marked_for(case, user):
        return
    memo = case.__dict__.setdefault("_case_rows", {})
    wanted = [m for m in LOADS if m not in memo]
    if not wanted:
        return
    with connection.cursor() as cursor:
        cursor.execute(_probe_sql(), {"m": case.municipality_id, "c": case.pk})
        present = dict(zip(LOADS, cursor.fetchone(), strict=True))
    plans = {}
    for model in wanted:
        if not present[model]:
            memo[model] = []
            continue
        plans[model] = _split_select(model, LOADS[model]["select"])
    # Persons first: consents and plan measures point to them.
    order = sorted(plans, key=lambda m: m is not CasePerson)
    for model in order:
        kept = plans[model][0]
        if not kept and model.objects.all().row_scope(user.access) is None:
            # No join and no rule of the row's own: the statement is the same for every case.
            memo[model] = _rows_by_case(model, case)
        else:
            memo[model] = list(_queryset(user, case, model, kept))
    user_ids, institution_ids = set(), set()
    for model, (_kept, users, institutions, _persons) in plans.items():
        for row in memo[model]:
            user_ids.update(getattr(row, f"{f}_id") for f in users)
            institution_ids.update(getattr(row, f"{f}_id") for f in institutions)
    user_ids.discard(None)
    institution_ids.discard(None)
    staff = User.objects.in_bulk(user_ids) if user_ids else {}
    places = Institution.objects.select_related("municipality").in_bulk(institution_ids) if institution_ids else {}
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
