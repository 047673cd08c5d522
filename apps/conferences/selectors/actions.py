"""Reading action items: a person's open items (the work queue), a case's items, lists with filters."""
from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from ..choices import ActionStatus
from ..models import ActionItem

LIMIT = 50


def open_actions_for(user, *, limit: int = LIMIT) -> list[ActionItem]:
    """Open action items owned by the user's institutions or naming the user (one query)."""
    access = getattr(user, "access", None)
    if access is None:
        return []
    institutions = access.institution_ids()
    mine = Q(responsible_id=user.pk)
    if institutions:
        mine |= Q(owner_institution_id__in=institutions)
    return list(
        ActionItem.objects.visible_to(user)
        .filter(mine, status=ActionStatus.OPEN)
        .select_related("case", "owner_institution", "meeting")
        .order_by("due_on", "id")[:limit]
    )


def of_case(model, user, case):
    """Rows of ``model`` (agenda or action items) about one case that ``user`` may see. Whoever may
    see the case sees all of them (the other rules only add readers), so for a case the page has just
    loaded through ``Case.objects.visible_to(user)`` the (municipality, case) match is the whole rule."""
    from apps.cases.querysets import marked_for

    if marked_for(case, user):
        return model.objects.filter(municipality_id=case.municipality_id, case_id=case.pk)
    return model.objects.visible_to(user).filter(case_id=case.pk)


def actions_of_case(user, case) -> list[ActionItem]:
    """The action items of one case the user may see, open first (one query)."""
    return list(
        of_case(ActionItem, user, case)
        .select_related("owner_institution", "meeting", "responsible")
        .order_by("status", "due_on", "id")
    )


def action_list(user, *, status: str = "", overdue: bool = False, meeting_id: int | None = None, today: date | None = None):
    """The action items the user may see, filtered (a queryset for paging)."""
    today = today or timezone.localdate()
    qs = ActionItem.objects.visible_to(user).select_related("case", "owner_institution", "meeting", "responsible")
    if status in ActionStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=ActionStatus.OPEN, due_on__lt=today)
    if meeting_id:
        qs = qs.filter(meeting_id=meeting_id)
    return qs.order_by("due_on", "id")
