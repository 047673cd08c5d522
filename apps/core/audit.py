"""Writing the audit log: who did what to which object, never the data values."""
from __future__ import annotations

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from . import context, fixed_sql
from .choices import AuditAction
from .models import AuditEntry

logger = logging.getLogger(__name__)


def _object_ref(obj) -> tuple[str, str, int | None]:
    if obj is None:
        return "", "", None
    label = obj._meta.label_lower
    municipality_id = getattr(obj, "municipality_id", None)
    if municipality_id is None and label == "municipalities.municipality":
        municipality_id = obj.pk
    return label, str(obj.pk), municipality_id


def audit_log(
    *,
    action: AuditAction | str,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    municipality_id: int | None = None,
    institution_id: int | None = None,
    actor_label: str = "",
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry; the request context supplies the actor, institution and IP when not given."""
    ctx = context.current()
    obj_type, obj_id, obj_municipality = _object_ref(obj)
    actor_id = getattr(actor, "pk", None) if actor is not None else ctx.user_id
    if not actor_label and actor is not None:
        actor_label = getattr(actor, "email", "") or str(actor)
    entry = AuditEntry(
        actor_id=actor_id,
        actor_label=actor_label[:254],
        institution_id=institution_id if institution_id is not None else ctx.institution_id,
        municipality_id=municipality_id if municipality_id is not None else obj_municipality,
        action=str(action),
        object_type=object_type or obj_type,
        object_id=str(object_id or obj_id),
        ip=ctx.ip,
        request_id=ctx.request_id,
        details=details or {},
    )
    entry.save()
    return entry


def audit_many(*, action: AuditAction | str, objects, actor=None, details: dict | None = None) -> int:
    """One entry per object in a single INSERT (lists, exports, the work queue): the values common to
    all entries are sent once and the per-object ones as three arrays, so a page of 50 rows costs one
    short statement and no model instances."""
    ctx = context.current()
    types, ids, municipalities = [], [], []
    for obj in objects:
        obj_type, obj_id, obj_municipality = _object_ref(obj)
        types.append(obj_type)
        ids.append(str(obj_id))
        municipalities.append(obj_municipality)
    if not ids:
        return 0
    with fixed_sql.cursor() as cursor:  # the same text on every page: prepared
        cursor.execute(
            f"""INSERT INTO {AuditEntry._meta.db_table}
                (at, actor_id, actor_label, institution_id, municipality_id, action, object_type, object_id,
                 ip, request_id, details)
            SELECT %s::timestamptz, %s::bigint, %s::varchar, %s::bigint, t.municipality_id, %s::varchar,
                   t.object_type, t.object_id, %s::inet, %s::varchar, %s::jsonb
            FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[]) AS t(municipality_id, object_type, object_id)""",
            [
                timezone.now(),
                getattr(actor, "pk", None) or ctx.user_id,
                (getattr(actor, "email", "") or "")[:254],
                ctx.institution_id,
                str(action),
                ctx.ip,
                ctx.request_id or "",
                json.dumps(details or {}, cls=DjangoJSONEncoder),
                municipalities,
                types,
                ids,
            ],
        )
    return len(ids)


def audit_entries(entries, *, actor=None) -> int:
    """Several entries of one request, each with its own action, object and details, in a single
    INSERT (the case page: the case read, its timeline read and the persons' contact data read).
    ``entries`` holds ``(action, obj, details)``; the actor, institution, IP and request come from
    the request context as in ``audit_log``, and the entries are numbered in the given order."""
    ctx = context.current()
    actions, types, ids, municipalities, details = [], [], [], [], []
    for action, obj, detail in entries:
        obj_type, obj_id, obj_municipality = _object_ref(obj)
        actions.append(str(action))
        types.append(obj_type)
        ids.append(str(obj_id))
        municipalities.append(obj_municipality)
        details.append(json.dumps(detail or {}, cls=DjangoJSONEncoder))
    if not ids:
        return 0
    actor_label = (getattr(actor, "email", "") or str(actor))[:254] if actor is not None else ""
    with fixed_sql.cursor() as cursor:  # the same text on every page: prepared
        cursor.execute(
            f"""INSERT INTO {AuditEntry._meta.db_table}
                (at, actor_id, actor_label, institution_id, municipality_id, action, object_type, object_id,
                 ip, request_id, details)
            SELECT %s::timestamptz, %s::bigint, %s::varchar, %s::bigint, t.municipality_id, t.action,
                   t.object_type, t.object_id, %s::inet, %s::varchar, t.details::jsonb
            FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[], %s::varchar[], %s::text[]) WITH ORDINALITY
                AS t(municipality_id, action, object_type, object_id, details, n)
            ORDER BY t.n""",
            [
                timezone.now(),
                getattr(actor, "pk", None) if actor is not None else ctx.user_id,
                actor_label,
                ctx.institution_id,
                ctx.ip,
                ctx.request_id or "",
                municipalities,
                actions,
                types,
                ids,
                details,
            ],
        )
    return len(ids)
