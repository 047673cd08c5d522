"""The hash chain that makes the audit log tamper-evident.

Each audit entry is sealed after it is written: a row of ``core_auditseal`` gives it the next
position in its municipality's chain and a SHA-256 digest over the entry, the position and the
digest before it (``kzn_audit_digest``, migration core/0006). The request that writes an entry
does nothing more than before (an audited read stays one INSERT); the sealer runs every few
minutes (Celery beat, ``core.seal_audit``) inside the audited platform context.

Verification (``manage.py verify_audit``) recomputes every link in the database and names the
first broken one per chain: an entry changed, an entry or a seal removed, a position skipped. A
database owner could rewrite a whole chain from the changed entry on; the heads (last position and
digest of each chain) that ``verify_audit --save-heads`` writes, and that every backup manifest
carries, are kept outside the database so that such a rewrite is caught by ``--heads``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.utils import timezone

from .tenancy import platform

# Entries are sealed when written within this window; a transaction open longer than this leaves
# its entries for ``seal_audit --all`` (verify_audit names them as unsealed, not as tampered).
SEAL_WINDOW = timedelta(hours=2)
SEAL_BATCH = 20_000


def seal(*, everything: bool = False, batch: int = SEAL_BATCH) -> int:
    """Seal what is not sealed yet (recent entries, or every entry); returns how many were sealed."""
    since = None if everything else timezone.now() - SEAL_WINDOW
    total = 0
    while True:
        with platform("seal audit log"), connection.cursor() as cursor:
            cursor.execute("SELECT kzn_audit_seal(%s, %s)", [since, batch])
            done = cursor.fetchone()[0]
        total += done
        if done < batch:
            return total


@dataclass
class Report:
    """What verification found: broken links (first per chain), unsealed old entries, heads."""

    broken: list[dict] = field(default_factory=list)
    unsealed: list[int] = field(default_factory=list)
    heads: dict[str, dict] = field(default_factory=dict)
    head_mismatches: list[dict] = field(default_factory=list)
    links: int = 0

    @property
    def ok(self) -> bool:
        return not (self.broken or self.unsealed or self.head_mismatches)


BROKEN_LINKS_SQL = """
SELECT DISTINCT ON (coalesce(municipality_id, 0)) municipality_id, seq, entry_id, problem
FROM kzn_audit_chain_check
WHERE problem IS NOT NULL
ORDER BY coalesce(municipality_id, 0), seq
"""

_HEADS_SQL = """
SELECT DISTINCT ON (coalesce(municipality_id, 0)) coalesce(municipality_id, 0), seq, digest,
       count(*) OVER (PARTITION BY coalesce(municipality_id, 0))
FROM core_auditseal
ORDER BY coalesce(municipality_id, 0), seq DESC
"""

_UNSEALED_SQL = """
SELECT a.id FROM core_auditentry a
WHERE a.at < %s AND NOT EXISTS (SELECT 1 FROM core_auditseal s WHERE s.entry_id = a.id)
ORDER BY a.id LIMIT 100
"""

LINK_SQL = "SELECT digest FROM core_auditseal WHERE coalesce(municipality_id, 0) = %s AND seq = %s"


def verify(*, expected_heads: dict[str, dict] | None = None) -> Report:
    """Recompute every link; compare with heads saved earlier when given."""
    report = Report()
    with platform("verify audit log"), connection.cursor() as cursor:
        cursor.execute(BROKEN_LINKS_SQL)
        report.broken = [
            {"municipality": m or 0, "seq": seq, "entry": entry, "problem": problem}
            for m, seq, entry, problem in cursor.fetchall()
        ]
        cursor.execute(_HEADS_SQL)
        for chain, seq, digest, count in cursor.fetchall():
            report.heads[str(chain)] = {"seq": seq, "digest": digest}
            report.links += count
        cursor.execute(_UNSEALED_SQL, [timezone.now() - SEAL_WINDOW])
        report.unsealed = [row[0] for row in cursor.fetchall()]
        for chain, head in (expected_heads or {}).items():
            cursor.execute(LINK_SQL, [int(chain), head["seq"]])
            row = cursor.fetchone()
            if row is None or row[0] != head["digest"]:
                report.head_mismatches.append({"municipality": int(chain), "seq": head["seq"],
                                               "problem": "missing" if row is None else "rewritten"})
    return report


def read_heads(path: str | Path) -> dict[str, dict]:
    return json.loads(Path(path).read_text())["heads"]


def write_heads(path: str | Path, heads: dict[str, dict]) -> None:
    Path(path).write_text(json.dumps({"at": timezone.now().isoformat(), "heads": heads}, indent=2))
