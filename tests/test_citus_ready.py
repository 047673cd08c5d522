"""Ready to distribute by municipality (Citus): every tenant table is classified, table by table.

A distributed PostgreSQL (Citus) keeps the rows of one municipality together when every tenant
table is distributed by ``municipality_id``. That asks of a distributed table: a NOT NULL
``municipality_id``; a primary key and every unique constraint that include it; a foreign key to
another distributed table that includes it on both sides. A table may instead be a reference table
(copied to every node): small, read across municipalities, never pointing at a distributed table.

The schema does not meet this today (every table has a single-column ``id`` key), and changing keys
is a migration of its own. So docs/architecture.md ("Distributing by municipality") lists every
tenant table with what distributing it needs, or why it is a reference table. This test reads the
live schema (PostgreSQL's catalog after all migrations) and fails when a table is not in that list,
when the list states other needs than the schema shows (a fixed key, a new constraint), or when a
listed table is gone. A new tenant table fails until someone classifies it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
SECTION = "## Distributing by municipality"
KEY = "municipality_id"
ROW = re.compile(r"^\|\s*`(?P<table>[a-z0-9_]+)`\s*\|\s*(?P<kind>distributed|reference)\s*\|\s*(?P<text>.*?)\s*\|\s*$")


@dataclass
class Table:
    name: str
    tenant: bool  # has a municipality_id column
    key_nullable: bool = False
    primary: list[str] = field(default_factory=list)
    uniques: list[list[str]] = field(default_factory=list)
    foreign: list[tuple[list[str], str]] = field(default_factory=list)  # (columns, referenced table)


def schema() -> dict[str, Table]:
    """Every table of the public schema with its key, unique indexes and foreign keys."""
    tables: dict[str, Table] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, a.attnotnull
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = %s AND NOT a.attisdropped
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            """,
            [KEY],
        )
        for name, notnull in cursor.fetchall():
            tables[name] = Table(name, tenant=notnull is not None, key_nullable=notnull is False)
        # Unique indexes (constraints and partial or expression indexes alike); 0 in indkey is an expression.
        cursor.execute(
            """
            SELECT c.relname, i.indisprimary,
                   array(SELECT coalesce(a.attname, 'expression') FROM unnest(i.indkey) WITH ORDINALITY k(num, pos)
                         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num ORDER BY k.pos),
                   ic.relname
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND i.indisunique
            ORDER BY c.relname, ic.relname
            """
        )
        for name, primary, columns, _index in cursor.fetchall():
            if primary:
                tables[name].primary = list(columns)
            else:
                tables[name].uniques.append(list(columns))
        cursor.execute(
            """
            SELECT c.relname, array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, pos)
                                     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num ORDER BY k.pos),
                   r.relname
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND con.contype = 'f'
            ORDER BY c.relname, con.conname
            """
        )
        for name, columns, referenced in cursor.fetchall():
            tables[name].foreign.append((list(columns), referenced))
    return tables


def documented() -> dict[str, tuple[str, str]]:
    """table -> (kind, text) from the list in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/architecture.md has no section {SECTION!r}"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            assert match["table"] not in rows, f"{match['table']} is listed twice in docs/architecture.md"
            rows[match["table"]] = (match["kind"], match["text"])
    return rows


def needs(table: Table, distributed: set[str]) -> list[str]:
    """What distributing this table by municipality_id asks that its schema does not have yet."""
    wanted = []
    if not table.tenant:
        wanted.append(f"a {KEY} column")
    elif table.key_nullable:
        wanted.append(f"{KEY} NOT NULL")
    if KEY not in table.primary:
        wanted.append(f"primary key ({', '.join([KEY, *table.primary])})")
    for columns in table.uniques:
        if KEY not in columns:
            wanted.append(f"unique ({', '.join([KEY, *columns])})")
    for columns, referenced in table.foreign:
        if referenced in distributed and KEY not in columns:
            wanted.append(f"foreign key ({', '.join([KEY, *columns])}) to {referenced}")
    return wanted


def classification(tables: dict[str, Table], rows: dict[str, tuple[str, str]]):
    reference = {name for name, (kind, _text) in rows.items() if kind == "reference"}
    distributed = {name for name, t in tables.items() if t.tenant and name not in reference}
    # A table without municipality_id that points at a distributed table cannot stay local: it must
    # become distributed too (it is listed with what that needs).
    pulled_in = {
        name for name, t in tables.items()
        if not t.tenant and name not in reference and any(ref in distributed for _c, ref in t.foreign)
    }
    return reference, distributed | pulled_in


@pytest.mark.django_db
def test_every_tenant_table_is_classified_for_distribution_by_municipality():
    tables = schema()
    rows = documented()
    reference, distributed = classification(tables, rows)
    problems, expected_rows = [], []
    for name in sorted(distributed):
        text = "; ".join(needs(tables[name], distributed)) or "nothing: ready"
        expected_rows.append(f"| `{name}` | distributed | {text} |")
        kind, documented_text = rows.get(name, (None, None))
        if kind is None:
            problems.append(f"{name}: not listed (a tenant table distributing by municipality needs: {text})")
        elif documented_text != text:
            problems.append(f"{name}: listed as needing {documented_text!r}, the schema needs {text!r}")
    for name in sorted(reference):
        if name not in tables:
            problems.append(f"{name}: listed as a reference table but there is no such table")
            continue
        if not rows[name][1].strip():
            problems.append(f"{name}: a reference table needs its reason")
        for _columns, referenced in tables[name].foreign:
            if referenced in distributed:
                problems.append(f"{name}: a reference table cannot point at the distributed table {referenced}")
    for name in sorted(set(rows) - reference - distributed):
        problems.append(f"{name}: listed as distributed but it is no tenant table (or no table at all)")
    # Every table a distributed table points at is distributed or a reference table.
    unclassified = {
        referenced for name in distributed for _columns, referenced in tables[name].foreign
        if referenced not in distributed and referenced not in reference
    }
    for name in sorted(unclassified):
        problems.append(f"{name}: a distributed table points at it; list it as a reference table (and why)")
    assert not problems, (
        "docs/architecture.md (\"Distributing by municipality\") does not match the schema:\n  "
        + "\n  ".join(problems)
        + "\n\nThe rows the schema gives for the distributed tables:\n"
        + "\n".join(expected_rows)
    )


def test_the_needs_of_a_table_follow_from_its_keys():
    case = Table("cases_case", tenant=True, primary=["id"], uniques=[["municipality_id", "number"], ["uid"]],
                 foreign=[(["lead_institution_id"], "institutions_institution"), (["meeting_id"], "x_meeting")])
    assert needs(case, {"cases_case", "x_meeting"}) == [
        "primary key (municipality_id, id)",
        "unique (municipality_id, uid)",
        "foreign key (municipality_id, meeting_id) to x_meeting",
    ]
    ready = Table("x_ready", tenant=True, primary=["municipality_id", "id"],
                  foreign=[(["municipality_id", "case_id"], "cases_case")])
    assert needs(ready, {"cases_case"}) == []
    audit = Table("core_auditentry", tenant=True, key_nullable=True, primary=["municipality_id", "id"])
    assert needs(audit, set()) == ["municipality_id NOT NULL"]
    through = Table("x_through", tenant=False, primary=["id"], foreign=[(["case_id"], "cases_case")])
    assert needs(through, {"cases_case"}) == [
        "a municipality_id column", "primary key (municipality_id, id)", "foreign key (municipality_id, case_id) to cases_case",
    ]
