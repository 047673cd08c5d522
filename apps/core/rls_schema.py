"""The database side of row-level security: the app role, the context functions and the policy of
every tenant table, applied idempotently after every ``migrate`` (a new tenant table cannot be
forgotten: it gets the policy the first time its migration runs). apps/core/tenancy.py sets the
context per transaction."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.db import connections

from .tenancy import AUDIT_SEAL_TABLE, AUDIT_TABLE, DIRECTORY_TABLES, POLICY, REFERENCE_TABLES, app_role


@dataclass(frozen=True)
class TenantTable:
    """A table whose rows belong to one municipality (``column``: where its id is)."""

    name: str
    column: str
    user_column: str | None

    @property
    def directory(self) -> bool:
        return self.name in DIRECTORY_TABLES


def tenant_tables() -> list[TenantTable]:
    """Every table with a ``municipality_id`` column, and the municipality table itself (the model
    the ``municipality`` foreign keys point at), from Django's models."""
    found: dict[str, TenantTable] = {}
    tenant_models = set()
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        columns = {field.column: field for field in meta.concrete_fields}
        field = columns.get("municipality_id")
        if field is None:
            continue
        if field.is_relation and field.related_model is not None:
            tenant_models.add(field.related_model)
        user = columns.get("user_id")
        user_column = "user_id" if user is not None and user.is_relation else None
        found[meta.db_table] = TenantTable(meta.db_table, "municipality_id", user_column)
    for model in tenant_models:
        found[model._meta.db_table] = TenantTable(model._meta.db_table, model._meta.pk.column, None)
    return sorted(found.values(), key=lambda t: t.name)


def _qn(name: str) -> str:
    return connections["default"].ops.quote_name(name)


def policy_statements(table: TenantTable) -> list[str]:
    """The policies of one table (dropped and created again when their definition changes)."""
    name = _qn(table.name)
    rule = f"kzn_in_tenant({_qn(table.column)})"  # not inlined (migration 0005 says why)
    if table.name == AUDIT_TABLE:
        # Append-only (a trigger refuses UPDATE and DELETE): any acting role may add an entry. Read:
        # in scope, one's own, and the entries of no municipality (logins, failed logins, second
        # factor), which INSERT ... RETURNING must read back in the anonymous request that wrote them.
        read = f"{rule} OR municipality_id IS NULL OR actor_id = kzn_user_id() OR kzn_directory()"
        return [
            f"CREATE POLICY {POLICY} ON {name} FOR SELECT USING ({read})",
            f"CREATE POLICY {POLICY}_append ON {name} FOR INSERT WITH CHECK (true)",
        ]
    if table.name == AUDIT_SEAL_TABLE:
        # A platform-wide job (the directory switch without a user) seals and verifies every chain.
        job = "kzn_platform_job()"  # migration core/0006
        return [f"CREATE POLICY {POLICY} ON {name} USING ({job}) WITH CHECK ({job})"]
    if table.directory:
        rule = f"kzn_admits({_qn(table.column)})"  # every row for platform admins (migration 0005)
    if table.user_column:
        rule += f" OR {_qn(table.user_column)} = kzn_user_id()"
    read = f"{rule} OR kzn_user_id() IS NOT NULL" if table.name in REFERENCE_TABLES else rule
    return [f"CREATE POLICY {POLICY} ON {name} USING ({read}) WITH CHECK ({rule})"]


def _signature(table: TenantTable) -> str:
    return "kzn:" + hashlib.sha1("\n".join(policy_statements(table)).encode()).hexdigest()[:16]


_STATE_SQL = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
       obj_description(p.oid, 'pg_policy') AS signature
FROM pg_class c
LEFT JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = %s
WHERE c.relkind IN ('r', 'p') AND c.relname = ANY(%s) AND c.relnamespace = ANY(current_schemas(false)::regnamespace[])
"""


def table_states(using: str = "default") -> dict[str, tuple[bool, bool, str | None]]:
    """{table: (rls enabled, rls forced, signature of its policy)} for every tenant table."""
    names = [t.name for t in tenant_tables()]
    with connections[using].cursor() as cursor:
        cursor.execute(_STATE_SQL, [POLICY, names])
        return {name: (enabled, forced, signature) for name, enabled, forced, signature in cursor.fetchall()}


def out_of_date(using: str = "default") -> list[str]:
    """Tenant tables without ENABLE + FORCE row-level security or with a missing or older policy
    (a table of a model whose migration has not run, or was unapplied, has nothing to protect)."""
    states = table_states(using)
    return [
        t.name for t in tenant_tables()
        if t.name in states and states[t.name] != (True, True, _signature(t))
    ]


def apply_row_security(using: str = "default") -> list[str]:
    """Bring every tenant table up to date (as the tables' owner); returns the tables changed."""
    connection = connections[using]
    changed = out_of_date(using)
    tables = {t.name: t for t in tenant_tables()}
    with connection.cursor() as cursor:
        role = app_role()
        if role:
            # Tables created since (or by another role than) the default privileges of migration 0005.
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {_qn(role)}")
            cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {_qn(role)}")
        for name in changed:
            table = tables[name]
            quoted = _qn(name)
            cursor.execute(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {quoted}")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY}_append ON {quoted}")
            for statement in policy_statements(table):
                cursor.execute(statement)
            cursor.execute(f"COMMENT ON POLICY {POLICY} ON {quoted} IS %s", [_signature(table)])
    return changed


def on_post_migrate(sender, using="default", **kwargs):
    """post_migrate receiver: runs once per ``migrate`` (for the core app, after every app's tables)."""
    if sender.label != "core":
        return
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    apply_row_security(using)
