"""Restoring a backup (apps/core/backup.py) into an empty database, and proving it: the row count of
every table, the audit chains against the heads of the day, and every encrypted value readable with
the configured keys."""
from __future__ import annotations

import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import pyrage

from . import crypto
from .audit_chain import BROKEN_LINKS_SQL, LINK_SQL
from .backup import (
    DUMP,
    MEDIA,
    BackupError,
    RestoreReport,
    bypass_row_security,
    check_files,
    connect,
    key_fingerprints,
    libpq_env,
    pg_tool,
    read_manifest,
    table_counts,
)
from .key_rotation import encrypted_tables


def _decrypted(source: Path, name: str, identities: list, work: Path) -> Path | None:
    """The clear file ``name`` of the backup (decrypted into ``work`` when it was encrypted)."""
    if (source / name).exists():
        return source / name
    sealed = source / f"{name}.age"
    if not sealed.exists():
        return None
    if not identities:
        raise BackupError("The backup is encrypted: give the age identity file (--identity).")
    try:
        pyrage.decrypt_file(str(sealed), str(work / name), identities)
    except pyrage.DecryptError as exc:
        raise BackupError(f"{sealed.name} cannot be decrypted with the identity given.") from exc
    return work / name


def _target_is_empty(target: dict) -> None:
    with connect(target) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if tables:
        raise BackupError(f"The database {target['NAME']} is not empty ({tables} tables): restore into a new one.")


def restore_backup(source: str | Path, *, target: dict, identity_file: str | None = None,
                   media_dir: str | Path | None = None, verify: bool = True) -> RestoreReport:
    source = Path(source)
    report = RestoreReport()
    manifest = read_manifest(source)
    started = time.perf_counter()
    check_files(source, manifest)
    report.seconds["checksums"] = time.perf_counter() - started
    identities = []
    if identity_file:
        lines = [ln.strip() for ln in Path(identity_file).read_text().splitlines()]
        identities = [pyrage.x25519.Identity.from_str(ln) for ln in lines if ln.startswith("AGE-SECRET-KEY-")]
    _target_is_empty(target)
    with tempfile.TemporaryDirectory(prefix="kzn-restore-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        dump = _decrypted(source, DUMP, identities, work)
        media = _decrypted(source, MEDIA, identities, work)
        report.seconds["decrypt"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with connect(target) as conn:
            major = conn.execute("SELECT current_setting('server_version_num')::int / 10000").fetchone()[0]
        result = subprocess.run(
            [pg_tool("pg_restore", max(major, manifest["server_major"])), "--no-owner", "--no-privileges",
             "--exit-on-error", "--jobs=2", f"--dbname={target['NAME']}", str(dump)],
            env=libpq_env(target), capture_output=True, text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-500:]}")
        report.seconds["database"] = time.perf_counter() - t0
        if media is not None:
            t0 = time.perf_counter()
            out = Path(media_dir) if media_dir else work / "media-check"
            out.mkdir(parents=True, exist_ok=True)
            with tarfile.open(media) as archive:
                archive.extractall(out, filter="data")
            restored = [p for p in (out / "media").rglob("*") if p.is_file()] if (out / "media").exists() else []
            expected = manifest.get("media", {})
            if len(restored) != expected.get("files", 0) or sum(p.stat().st_size for p in restored) != expected.get("bytes", 0):
                report.problems.append("media: the restored files differ from the backup's count or size")
            report.seconds["media"] = time.perf_counter() - t0
    if verify:
        verify_restored(target, manifest, report)
    return report


def verify_restored(target: dict, manifest: dict, report: RestoreReport) -> None:
    if manifest["key_fingerprints"][:1] and manifest["key_fingerprints"][0] not in key_fingerprints():
        report.problems.append("keys: the key that encrypted this backup's newest values is not configured")
    t0 = time.perf_counter()
    with connect(target) as conn, conn.cursor() as cursor:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        bypass_row_security(cursor)
        counts = table_counts(cursor)
        report.tables, report.rows = len(counts), sum(counts.values())
        for name, expected in manifest["tables"].items():
            if counts.get(name) != expected:
                report.problems.append(f"{name}: {counts.get(name)} rows restored, {expected} backed up")
        report.seconds["counts"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        cursor.execute(BROKEN_LINKS_SQL)
        for chain, seq, entry, problem in cursor.fetchall():
            report.problems.append(f"audit chain {chain or 0}: {problem} at position {seq} (entry {entry})")
        for chain, head in manifest.get("audit_heads", {}).items():
            cursor.execute(LINK_SQL, [int(chain), head["seq"]])
            row = cursor.fetchone()
            if row is None or row[0] != head["digest"]:
                report.problems.append(f"audit chain {chain}: the head of the backup's day does not match")
        cursor.execute("SELECT count(*) FROM core_auditseal")
        report.links = cursor.fetchone()[0]
        report.seconds["audit chain"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for table, _pk, columns in encrypted_tables():
            if table not in counts:  # a table of a later migration than the backup's
                continue
            quoted = ", ".join(f'"{c}"' for c in columns)
            cursor.execute(f'SELECT {quoted} FROM "{table}"')
            for row in cursor:
                for token in row:
                    if not token:
                        continue
                    try:
                        crypto.decrypt(token)
                    except ValueError:
                        report.problems.append(f"{table}: a value cannot be decrypted with the configured keys")
                        break
                    report.decrypted += 1
        report.seconds["encrypted fields"] = time.perf_counter() - t0
        conn.rollback()
