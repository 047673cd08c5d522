"""Re-encrypting every encrypted field under the first key of ``FIELD_ENCRYPTION_KEYS``.

Every model's ``EncryptedTextField`` columns are found from Django's models (a new app's fields are
included without a change here). Each table is walked by primary key in short batches, each batch its
own transaction in the audited platform context, so the site keeps serving while it runs. A value is
replaced only if it still holds what was read (``WHERE column = old``): a value saved by a user in
the meantime is already under the new key and is left as it is. Values already under the first key
are skipped, so an interrupted run is resumed by running it again (or from ``--resume-after``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection

from .crypto import EncryptedTextField, rotate
from .tenancy import platform

BATCH = 2000


@dataclass
class TableProgress:
    table: str
    total: int
    scanned: int = 0
    rotated: int = 0
    last_pk: int = 0


def encrypted_tables() -> Iterator[tuple[str, str, list[str]]]:
    """(table, primary key column, encrypted columns) of every model with encrypted fields."""
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        columns = [f.column for f in meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if columns:
            yield meta.db_table, meta.pk.column, columns


def _primary() -> Fernet:
    key = settings.FIELD_ENCRYPTION_KEYS[0]
    return Fernet(key.encode() if isinstance(key, str) else key)


def _under_primary(primary: Fernet, token: str) -> bool:
    try:
        primary.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate_table(table: str, pk: str, columns: list[str], *, batch: int = BATCH, resume_after: int = 0,
                 report: Callable[[TableProgress], None] | None = None) -> TableProgress:
    """Rotate one table; ``report`` is called after every batch."""
    qn = connection.ops.quote_name
    primary = _primary()
    select = (
        f"SELECT {qn(pk)}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} "
        f"WHERE {qn(pk)} > %s ORDER BY {qn(pk)} LIMIT %s"
    )
    with platform(f"rotate field keys: {table}"), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {qn(table)} WHERE {qn(pk)} > %s", [resume_after])
        progress = TableProgress(table, cursor.fetchone()[0], last_pk=resume_after)
    while True:
        with platform(f"rotate field keys: {table}"), connection.cursor() as cursor:
            cursor.execute(select, [progress.last_pk, batch])
            rows = cursor.fetchall()
            if not rows:
                return progress
            for index, column in enumerate(columns, start=1):
                ids, old, new = [], [], []
                for row in rows:
                    token = row[index]
                    if token and not _under_primary(primary, token):
                        ids.append(row[0])
                        old.append(token)
                        new.append(rotate(token))
                if ids:
                    cursor.execute(
                        f"UPDATE {qn(table)} AS t SET {qn(column)} = v.new "
                        f"FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, old, new) "
                        f"WHERE t.{qn(pk)} = v.id AND t.{qn(column)} = v.old",
                        [ids, old, new],
                    )
                    progress.rotated += cursor.rowcount
            progress.scanned += len(rows)
            progress.last_pk = rows[-1][0]
        if report is not None:
            report(progress)


def remaining_under_old_keys(table: str, pk: str, columns: list[str]) -> int:
    """Values of ``table`` not (yet) under the first key."""
    qn = connection.ops.quote_name
    primary = _primary()
    count = 0
    with platform(f"check field keys: {table}"), connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)}")
        for row in cursor:
            count += sum(1 for token in row if token and not _under_primary(primary, token))
    return count
