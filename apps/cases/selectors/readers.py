"""Who opened a case: its audited reads, newest first, for the case page's readers panel."""
from __future__ import annotations

from apps.accounts.models import User
from apps.core import fixed_sql
from apps.core.choices import AuditAction
from apps.core.models import AuditEntry
from apps.institutions.models import Institution
from apps.institutions.rules import readable


def case_readers(user, case, limit: int) -> list[tuple]:
    """Up to ``limit`` reads of ``case`` (newest first): (id, at, actor label, institution id, request
    id, place, first name, last name, email, institution name). The name of the institution read for
    is given only where ``user`` may read it (``institutions.rules.readable``); one fixed statement
    walking the (object, at) index."""
    names, params = readable(user.access, "i", fixed=True)
    sql = (
        "SELECT a.id, a.at, a.actor_label, a.institution_id, a.request_id, a.details ->> 'view',"
        " u.first_name, u.last_name, u.email, i.name"
        f" FROM {AuditEntry._meta.db_table} a"
        f" LEFT JOIN {User._meta.db_table} u ON u.id = a.actor_id"
        f" LEFT JOIN {Institution._meta.db_table} i ON i.id = a.institution_id AND ({names})"
        " WHERE a.object_type = 'cases.case' AND a.object_id = %s AND a.action = %s"
        " ORDER BY a.at DESC, a.id DESC LIMIT %s"
    )
    return fixed_sql.fetchall(sql, [*params, str(case.pk), str(AuditAction.VIEW), limit])
