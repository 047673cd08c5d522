"""Conference contributions to the case pages and the work queue, registered on the cases hooks."""
from __future__ import annotations

from django.utils import timezone

from apps.cases import hooks as case_hooks


def action_items_section(user, now):
    """Open action items owned by the user's institutions or naming the user (one query)."""
    from .selectors.actions import open_actions_for

    items = open_actions_for(user)
    if not items:
        return None
    today = timezone.localdate(now)
    return case_hooks.WorkQueueSection(
        key="conference_actions",
        template="cases/includes/conference_actions_queue.html",
        items=items,
        cases=[a.case for a in items],
        extra={"today": today},
    )


def discussed(case) -> bool:
    """Whether any agenda or action item names the case (one statement, both tables)."""
    from django.db import connection

    from .models import ActionItem, AgendaItem

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {AgendaItem._meta.db_table} WHERE municipality_id = %s AND case_id = %s)"
            f" OR EXISTS (SELECT 1 FROM {ActionItem._meta.db_table} WHERE municipality_id = %s AND case_id = %s)",
            [case.municipality_id, case.pk, case.municipality_id, case.pk],
        )
        return bool(cursor.fetchone()[0])


def case_conference_panel(request, case):
    """The case's conference history (agenda items the reader sees) and its action items."""
    from .models import AgendaItem
    from .selectors.actions import actions_of_case, of_case

    user = request.user
    if not discussed(case):
        # Most cases never reach a conference: one probe instead of two joined reads.
        actions, agenda = [], []
    else:
        actions = actions_of_case(user, case)
        agenda = list(
            of_case(AgendaItem, user, case)
            .select_related("meeting")
            .order_by("-meeting__starts_at", "-id")[:10]
        )
    return case_hooks.CasePanel(
        key="conferences",
        template="cases/includes/conference_panel.html",
        context={"actions": actions, "agenda_items": agenda, "today": timezone.localdate()},
    )


def next_case_conference(user, case):
    """The start of the next scheduled case conference of the case's municipality the user may see."""
    from .choices import MeetingKind, MeetingStatus
    from .models import Meeting

    return (
        Meeting.objects.visible_to(user, "view")
        .filter(
            municipality_id=case.municipality_id,
            kind=MeetingKind.CASE_CONFERENCE,
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


case_hooks.register(case_hooks.work_queue_sections, action_items_section)
case_hooks.register(case_hooks.next_conference, next_case_conference)
case_hooks.register(case_hooks.case_panels, case_conference_panel)
