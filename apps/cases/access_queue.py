"""The coordinators' work-queue group "New access to cases" (records kept by apps/accounts/notices.py)."""
from __future__ import annotations

from datetime import timedelta

from apps.accounts.selectors import recent_access_notices
from apps.core.choices import Role

from . import hooks

# How long a new access stays in the coordinators' work queue (the "New access" list keeps all).
SHOWN_FOR = timedelta(days=7)


def access_notices_section(user, now):
    """Roles that read cases and cases shared in the last week, in the municipalities the user
    coordinates (one query; nothing for anyone else)."""
    if not user.access.municipality_ids(Role.COORDINATOR):
        return None
    items = recent_access_notices(user=user, since=now - SHOWN_FOR)
    if not items:
        return None
    return hooks.WorkQueueSection(key="access_notices", template="cases/includes/access_notices_queue.html", items=items)
