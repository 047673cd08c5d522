"""The cases app's panel of the home page: the work queue of caseworkers and coordinators."""
from __future__ import annotations

from django.utils import timezone

from apps.core import home
from apps.core.choices import Role

from .views.work_queue import work_queue_context

QUEUE_ROLES = (Role.CASEWORKER, Role.COORDINATOR)


def work_queue_panel(request):
    """The whole work queue, as its own page shows it (the same reads, audited the same way)."""
    if not set(QUEUE_ROLES) & request.user.access.roles():
        return None
    return home.HomePanel(
        key="work_queue", template="cases/measures/_home_queue.html", order=10, roles=QUEUE_ROLES,
        context=work_queue_context(request, timezone.now()),
        styles=("css/cases.css",), scripts=("js/cases-measures.js",),
    )


home.register(work_queue_panel)
