"""File imports: the whole file is checked first (refused whole, nothing kept); then the rows are
imported in chunks by a task, each chunk its own transaction, so the progress is visible."""
from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import outbox, tenancy
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .. import formats
from ..choices import SEND_SCOPE, ImportStatus
from ..files import parse_file
from ..models import ImportRun, MachineAccount
from .inbound import record_receive

CHUNK = 500
MAX_REFUSALS_KEPT = 200


@transaction.atomic
def import_start(*, account: MachineAccount, kind: str, name: str, data: bytes, uploaded_by=None) -> ImportRun:
    """Check the file and queue its import; FileErrors (every error by row and column) otherwise."""
    if kind not in SEND_SCOPE or not account.has_scope(SEND_SCOPE[kind]):
        raise PermissionDenied(_("This machine account may not send this kind of record."))
    records = parse_file(kind, name, data)
    run = ImportRun(
        municipality_id=account.municipality_id, account=account, institution_id=account.institution_id, kind=kind,
        file_name=(name or "")[:200], total=len(records), rows=json.dumps([json.loads(formats.dumps(r)) for r in records]),
        uploaded_by=uploaded_by,
    )
    run.save()
    audit_log(action=AuditAction.CREATE, actor=uploaded_by or account.user, obj=run,
              details={"kind": kind, "rows": run.total})
    # cycle: tasks -> services.imports -> tasks
    from ..tasks import import_chunk

    outbox.after_commit(import_chunk, run_id=run.pk)
    return run


def import_chunk_run(run_id: int) -> bool:
    """Import the next chunk of rows; True when rows remain (the task queues itself again)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().select_related("account", "account__user", "account__institution").filter(pk=run_id).first()
        if run is None or run.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.REFUSED):
            return False
        account = run.account
        if run.status == ImportStatus.PENDING:
            run.status, run.started_at = ImportStatus.RUNNING, timezone.now()
        rows = json.loads(run.rows or "[]")
        counts = dict(run.counts or {})
        refusals = counts.setdefault("refused_rows", [])
        start, end = run.processed, min(run.processed + CHUNK, len(rows))
        with tenancy.user_context(account.user):
            account.user.refresh_access()
            for index in range(start, end):
                try:
                    with transaction.atomic():
                        record, outcome = record_receive(account=account, kind=run.kind, data=rows[index], import_run=run)
                except (ValidationError, PermissionDenied, formats.RecordErrors) as exc:
                    counts["refused"] = counts.get("refused", 0) + 1
                    if len(refusals) < MAX_REFUSALS_KEPT:
                        detail = getattr(exc, "message_dict", None) or getattr(exc, "errors", None) or {"record": [str(exc)]}
                        refusals.append({"row": index + 2, "errors": {k: [str(m) for m in v] for k, v in detail.items()}})
                    continue
                counts[outcome] = counts.get(outcome, 0) + 1
                if outcome == "created":
                    key = record.decision or record.status
                    counts[key] = counts.get(key, 0) + 1
        run.processed = end
        run.counts = counts
        more = end < len(rows)
        if not more:
            run.status, run.finished_at, run.rows = ImportStatus.DONE, timezone.now(), ""
        run.save()
        if more:
            # cycle: tasks -> services.imports -> tasks
            from ..tasks import import_chunk

            outbox.after_commit(import_chunk, run_id=run.pk)
        return more
