"""Fixed statements: SQL whose text never changes from one request to the next (only its parameters
do), run as server-side prepared statements so PostgreSQL plans each of them once per connection
instead of on every request.

Django binds parameters on the client and never prepares, which is right for the ORM's varied
queries (and for skewed data, where a generic plan can be much worse than a custom one: see
docs/decisions.md). A handful of statements run on every page: the access context, the user and
second-factor device of the session, the per-table reads of the case page. Their plans are the same
whatever the parameters (look-ups by primary key or by (municipality, case)), and planning them cost
up to a millisecond each, more than running them.

The statements still go through Django's cursor wrapper, so they are counted by
``CaptureQueriesContext`` and ``connection.execute_wrapper`` like every other query. Parameters use
``%s`` and, for lists, ``= ANY(%s)`` with a Python list, so that the text stays fixed.

The connection runs prepared statements with their generic plan (``plan_cache_mode`` in
config/settings/base.py): PostgreSQL would otherwise re-plan a statement whose generic plan it
estimates costlier on every execution. So a statement belongs here only if its generic plan is good
for every municipality, large or small: check it with ``SET plan_cache_mode = force_generic_plan``,
``PREPARE`` and ``EXPLAIN ANALYZE EXECUTE`` on the national data set before adding it.
"""
from __future__ import annotations

import psycopg
from django.conf import settings
from django.db import connection as default_connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.expressions import Col

# psycopg prepares nothing while a connection's prepare_threshold is None, which is how Django opens
# it; a threshold no statement reaches lets the explicit ``prepare=True`` below work while nothing
# else is ever prepared (the ORM's client-side binding cursors cannot prepare anyway).
_NEVER_BY_COUNT = 1 << 30


class _PreparingCursor(psycopg.Cursor):
    """A server-side binding cursor that prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):  # noqa: D102
        return super().execute(query, params, prepare=True, binary=binary)


class _PlainCursor(psycopg.Cursor):
    """Server-side binding without preparing (FIXED_SQL_PREPARED off: behind a transaction pooler)."""


class _DebugWrapper(CursorDebugWrapper):
    """Logs the statement with its parameters inlined, as the ORM's queries are logged (psycopg keeps
    no text of a statement it ran by name)."""

    def execute(self, sql, params=None):  # noqa: D102
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


def cursor(connection=None):
    """A Django cursor (counted, wrapped, in the current transaction) whose statements are prepared."""
    connection = connection or default_connection
    connection.ensure_connection()
    raw_connection = connection.connection
    if not getattr(settings, "FIXED_SQL_PREPARED", True):
        raw = _PlainCursor(raw_connection)
    else:
        if raw_connection.prepare_threshold is None:
            raw_connection.prepare_threshold = _NEVER_BY_COUNT
        raw = _PreparingCursor(raw_connection)
    if connection.queries_logged:
        return _DebugWrapper(raw, connection)
    return connection.make_cursor(raw)


def fetchall(sql: str, params=()) -> list[tuple]:
    """Run a fixed statement and return its rows."""
    with cursor() as c:
        c.execute(sql, list(params))
        return c.fetchall()


def fetchone(sql: str, params=()):
    """Run a fixed statement and return its first row (or None)."""
    with cursor() as c:
        c.execute(sql, list(params))
        return c.fetchone()


def columns(model, alias: str) -> tuple[str, list, list]:
    """``alias."col", ...`` of every concrete field of ``model``, their attnames and the converters the
    ORM would apply to them (``from_db_value``), for ``instance``."""

    fields = list(model._meta.concrete_fields)
    converters = []
    for index, field in enumerate(fields):
        found = default_connection.ops.get_db_converters(Col(alias, field)) + field.get_db_converters(default_connection)
        if found:
            converters.append((index, field, found))
    return ", ".join(f'{alias}."{f.column}"' for f in fields), [f.attname for f in fields], converters


def instance(model, attnames, converters, values):
    """A ``model`` instance of one row read with ``columns``, converted like the ORM does."""
    if converters:
        values = list(values)
        for index, field, functions in converters:
            for function in functions:
                values[index] = function(values[index], field, default_connection)
    return model.from_db(default_connection.alias, attnames, values)


_SELECTS: dict = {}


def _select(model, where: str, order: str) -> tuple[str, list, list]:
    key = (model, where, order)
    if key not in _SELECTS:
        table = model._meta.db_table
        cols, attnames, converters = columns(model, f'"{table}"')
        sql = f'SELECT {cols} FROM "{table}" WHERE {where}' + (f" ORDER BY {order}" if order else "")
        _SELECTS[key] = (sql, attnames, converters)
    return _SELECTS[key]


def instances(model, where: str, params=(), *, order: str = "") -> list:
    """Model instances of the rows of ``model``'s table matching ``where`` (SQL over its own columns,
    fixed text, ``%s`` parameters), read by a prepared statement and converted like the ORM does
    (``from_db_value`` of every field), without deferred fields."""
    sql, attnames, converters = _select(model, where, order)
    return [instance(model, attnames, converters, row) for row in fetchall(sql, params)]


def model_builder(model, atts):
    """``fn(values)`` making a ``model`` instance of the given fields (the others deferred) from values
    in ``atts`` order, as the ORM's ``only()`` does (``from_db`` wants them in the model's field order).
    The values are taken as PostgreSQL returned them: fields that convert what they read
    (``from_db_value``, e.g. encrypted fields) are refused here; read those with ``instances``."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    converting = [a for a in atts if by_attname[a].get_db_converters(default_connection)]
    if converting:
        raise ValueError(f"{model._meta.label}: {', '.join(converting)} convert their values; use instances()")
    position = {f.attname: i for i, f in enumerate(model._meta.concrete_fields)}
    order = sorted(range(len(atts)), key=lambda i: position[atts[i]])
    names = tuple(atts[i] for i in order)

    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        def build(values):
            return model.from_db(default_connection.alias, names, [values[i] for i in order])

        return build

    # What from_db does for these fields, without walking every field of the model in __init__ (a few
    # hundred instances a page): the values by attname, the others deferred, loaded from the database.
    new = model.__new__

    def build_plain(values):
        obj = new(model)
        state = obj._state = ModelState()
        state.adding, state.db = False, default_connection.alias
        obj.__dict__.update(zip(atts, values, strict=True))
        return obj

    return build_plain
