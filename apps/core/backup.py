"""Backups that can be restored: the database (pg_dump, custom format, from one snapshot), the media
files, and a manifest with checksums, the row count of every table, the audit chains' heads and the
fingerprints of the field-encryption keys; optionally encrypted to age recipients. A restore checks
the checksums, restores into an empty database and verifies counts, chains and encrypted fields."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pyrage
from django.conf import settings
from django.utils import timezone

from .audit_chain import seal

try:  # the embedded server of `make run` ships its own tools
    import pgserver
except ImportError:  # pragma: no cover - a production image may leave it out
    pgserver = None

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- the PostgreSQL tools ------------------------------------------------------------------------------
def _major(binary: str) -> int:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"\(PostgreSQL\)\s+(\d+)", out).group(1))


def pg_tool(name: str, server_major: int) -> str:
    """The ``name`` binary of the server's major version, else the oldest newer one (a pg_dump may
    not be older than its server; pg_restore of the same version avoids settings the server lacks)."""
    candidates = {shutil.which(name), *map(str, Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))}
    if pgserver is not None:
        candidates.add(str(Path(pgserver.__file__).parent / "pginstall" / "bin" / name))
    found = sorted((_major(c), c) for c in candidates if c and os.access(c, os.X_OK))
    usable = [(major, path) for major, path in found if major >= server_major]
    if not usable:
        raise BackupError(f"No {name} of PostgreSQL {server_major} or newer is installed (found: {found}).")
    same = [path for major, path in usable if major == server_major]
    return same[0] if same else usable[0][1]


def libpq_env(db: dict) -> dict:
    """Environment variables that point libpq (pg_dump, pg_restore) at a Django database."""
    env = dict(os.environ)
    for key, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
                       ("PGPASSWORD", db.get("PASSWORD")), ("PGDATABASE", db.get("NAME"))):
        if value:
            env[key] = str(value)
    return env


def connect(db: dict, **kwargs) -> psycopg.Connection:
    return psycopg.connect(host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
                           password=db.get("PASSWORD") or None, dbname=db["NAME"], **kwargs)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprints() -> list[str]:
    """Short digests of the configured field-encryption keys (never the keys)."""
    return [hashlib.sha256(str(k).encode()).hexdigest()[:16] for k in settings.FIELD_ENCRYPTION_KEYS]


_TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
_HEADS_SQL = """
SELECT DISTINCT ON (coalesce(municipality_id, 0)) coalesce(municipality_id, 0), seq, digest
FROM core_auditseal ORDER BY coalesce(municipality_id, 0), seq DESC
"""


def table_counts(cursor) -> dict[str, int]:
    cursor.execute(_TABLES_SQL)
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT count(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def bypass_row_security(cursor) -> None:
    try:
        cursor.execute("SET LOCAL row_security = off")
        cursor.execute("SELECT count(*) FROM core_auditseal")
    except psycopg.errors.InsufficientPrivilege as exc:
        raise BackupError(
            "Backups read every municipality: run them as a database role with BYPASSRLS (or the "
            "superuser), not as the application's role."
        ) from exc


# --- backup ---------------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    manifest: dict
    seconds: float


def create_backup(out_dir: str | Path, *, recipients: list[str] = (), media: bool = True) -> BackupResult:
    """Write one backup folder under ``out_dir`` and return it."""
    started = time.perf_counter()
    parsed = [pyrage.x25519.Recipient.from_str(r) for r in recipients]  # refuse a bad key before any work
    seal()  # the heads in the manifest then cover every entry written so far
    db = settings.DATABASES["default"]
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = Path(out_dir) / f"kzn-backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    try:
        manifest: dict = {"format": FORMAT, "created_at": timezone.now().isoformat(), "files": {},
                          "encrypted": bool(parsed), "key_fingerprints": key_fingerprints()}
        with connect(db) as conn, conn.cursor() as cursor:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            bypass_row_security(cursor)
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int / 10000")
            snapshot, server_major = cursor.fetchone()
            manifest["server_major"] = server_major
            manifest["tables"] = table_counts(cursor)
            cursor.execute(_HEADS_SQL)
            manifest["audit_heads"] = {str(c): {"seq": s, "digest": d} for c, s, d in cursor.fetchall()}
            dump = pg_tool("pg_dump", server_major)
            # The dump reads the same snapshot as the counts above, so a restore must match them exactly.
            result = subprocess.run([dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                                     "--file", str(target / DUMP)], env=libpq_env(db), capture_output=True, text=True)
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[-500:]}")
            conn.rollback()
        media_root = Path(settings.MEDIA_ROOT)
        if media:
            with tarfile.open(target / MEDIA, "w") as archive:
                if media_root.exists():
                    archive.add(media_root, arcname="media")
            manifest["media"] = _media_summary(media_root)
        for name in [DUMP, MEDIA] if media else [DUMP]:
            path = target / name
            if parsed:
                pyrage.encrypt_file(str(path), str(path) + ".age", parsed)
                path.unlink()
                path = Path(str(path) + ".age")
            manifest["files"][path.name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # no half-written backup is left to be mistaken for one
        raise
    return BackupResult(target, manifest, time.perf_counter() - started)


def _media_summary(root: Path) -> dict:
    files = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


# --- restore --------------------------------------------------------------------------------------------
@dataclass
class RestoreReport:
    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    links: int = 0
    decrypted: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(source: Path) -> dict:
    path = source / MANIFEST
    if not path.exists():
        raise BackupError(f"{source} holds no {MANIFEST}: not a backup folder.")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def check_files(source: Path, manifest: dict) -> None:
    for name, meta in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{name} is missing from the backup.")
        if _sha256(path) != meta["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the file is damaged or was changed.")
