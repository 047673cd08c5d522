"""Conference contributions to the case pages and the work queue, registered on the cases hooks."""
from __future__ import annotations

from django.db import connection
from django.utils import timezone

from apps.cases import hooks as case_hooks
from apps.cases import rules as case_rules

from .choices import MeetingKind, MeetingStatus
from .models import ActionItem, AgendaItem, Meeting
from .selectors.actions import actions_of_case, of_case, open_actions_for


def action_items_section(user, now):
    """Open action items owned by the user's institutions or naming the user (one query)."""
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
    """Whether any agenda or action item names the case (one statement, both tables; the rows of a
    case: ``cases.rules.rows_of_case``)."""
    rows, params = case_rules.rows_of_case("t", case)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {AgendaItem._meta.db_table} t WHERE {rows})"
            f" OR EXISTS (SELECT 1 FROM {ActionItem._meta.db_table} t WHERE {rows})",
            [*params, *params],
        )
        return bool(cursor.fetchone()[0])


def case_conference_panel(request, case):
    """The case's conference history (agenda items the reader sees) and its action items."""
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


def anonymise_case_texts(case_ids: list[int]) -> None:
    """Retention: what the minutes and action items wrote about the anonymised cases goes with them
    (the rows stay, so the conference figures do not change)."""
    AgendaItem.objects.filter(case_id__in=case_ids).update(discussion="", decisions="", risk_reason="")
    ActionItem.objects.filter(case_id__in=case_ids).update(description="—", completion_note="")


case_hooks.register(case_hooks.work_queue_sections, action_items_section)
case_hooks.register(case_hooks.anonymisers, anonymise_case_texts)
case_hooks.register(case_hooks.next_conference, next_case_conference)
case_hooks.register(case_hooks.case_panels, case_conference_panel)
