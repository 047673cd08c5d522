"""Reading action items: a person's open items (the work queue), a case's items, lists with filters."""
from __future__ import annotations

from datetime import date

from django.utils import timezone

from apps.cases import rules as case_rules
from apps.cases.models import Case
from apps.cases.querysets import marked_for
from apps.cases.rules import CASE_ROLES
from apps.core import fixed_sql
from apps.core.rules import rule
from apps.institutions.models import Institution

from ..choices import ActionStatus
from ..models import ActionItem, Meeting
from ..rules import open_named, open_owned

LIMIT = 50


# What the work queue's section shows (templates/cases/includes/conference_actions_queue.html) and
# audits (the case's municipality): nothing else is read.
QUEUE_FIELDS = (
    "id", "municipality_id", "case_id", "meeting_id", "owner_institution_id", "responsible_id", "description", "due_on",
    "case__id", "case__municipality_id", "case__number", "case__is_restricted",
    "meeting__id", "meeting__title", "meeting__kind", "meeting__starts_at",
    "owner_institution__id", "owner_institution__name", "owner_institution__name_cyrl",
)


def _ordered_ids(queryset, limit: int):
    return queryset.filter(status=ActionStatus.OPEN).order_by("due_on", "id").values("pk")[:limit]


def open_actions_for(user, *, limit: int = LIMIT) -> list[ActionItem]:
    """Open action items owned by the user's institutions or naming the user, as
    ``ActionItem.objects.visible_to(user)`` answers them (one query; two when the user is named on
    an item of an institution they do not work at, or an item of a restricted case comes up)."""
    access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
    if access is None or not getattr(user, "is_active", False):
        return []
    # The institutions where the user holds a case role: their items of unrestricted cases are visible
    # by the scope's own "owned" rule (querysets.owned_condition), so they need no case-access check;
    # items of restricted cases and items merely naming the user do (the user may have left the owner).
    # The first read is a fixed statement (prepared: no ORM building, no planning on each request).
    institutions = access.institution_ids(*CASE_ROLES)
    items = _open_items(sorted(institutions), user.pk, limit)
    restricted = [item.pk for item in items if item.case.is_restricted]
    if restricted or any(item.owner_institution_id not in institutions for item in items):
        visible = ActionItem.objects.visible_to(user)
        owned = visible.filter(rule(lambda a: open_owned(a, sorted(institutions)))) if institutions else None
        # An item of a restricted case or only naming the user made the list: read both branches again
        # through the full access rules (built only now).
        items = _merged(owned, _named(visible, user, institutions), limit)
    return items


def _open_items_sql() -> str:
    table = ActionItem._meta.db_table
    owned = open_owned("x", "own.id")[0]
    named = open_named("y", 0, [])[0]
    # One ordered branch per owner institution and one for the items naming the user (not owned by
    # those institutions), each walking its partial index (action_open_owner_due,
    # action_open_responsible_due: the status is their condition) and stopping after a page.
    return f"""
SELECT a.id, a.municipality_id, a.case_id, a.meeting_id, a.owner_institution_id, a.responsible_id, a.description,
       a.due_on, c.number, c.is_restricted, m.title, m.kind, m.starts_at, i.name, i.name_cyrl
FROM (
    SELECT o.id FROM unnest(%s::bigint[]) AS own(id)
    CROSS JOIN LATERAL (
        SELECT x.id FROM {table} x
        WHERE {owned}
        ORDER BY x.due_on, x.id LIMIT %s
    ) o
    UNION ALL
    (SELECT y.id FROM {table} y
     WHERE {named}
     ORDER BY y.due_on, y.id LIMIT %s)
) pick
JOIN {table} a ON a.id = pick.id
JOIN {Case._meta.db_table} c ON c.id = a.case_id
JOIN {Meeting._meta.db_table} m ON m.id = a.meeting_id
JOIN {Institution._meta.db_table} i ON i.id = a.owner_institution_id
ORDER BY a.due_on, a.id
LIMIT %s"""


_SQL: list[str] = []
ITEM_FIELDS = ("id", "municipality_id", "case_id", "meeting_id", "owner_institution_id", "responsible_id", "description",
               "due_on")


def _open_items(institutions: list[int], user_id: int, limit: int) -> list[ActionItem]:
    """``_merged(owned, _named(ActionItem.objects.all(), ...), limit)`` as one prepared statement,
    with the same fields (QUEUE_FIELDS) loaded."""
    row_builder = fixed_sql.model_builder
    if not _SQL:
        _SQL.append(_open_items_sql())
        _SQL.append((
            row_builder(ActionItem, ITEM_FIELDS), row_builder(Case, ("id", "municipality_id", "number", "is_restricted")),
            row_builder(Meeting, ("id", "title", "kind", "starts_at")), row_builder(Institution, ("id", "name", "name_cyrl")),
        ))
    item_of, case_of, meeting_of, institution_of = _SQL[1]
    items = []
    for row in fixed_sql.fetchall(_SQL[0], [institutions, limit, user_id, institutions, limit, limit]):
        item = item_of(row[:8])
        cache = item._state.fields_cache
        cache["case"] = case_of((row[2], row[1], row[8], row[9]))
        cache["meeting"] = meeting_of((row[3], row[10], row[11], row[12]))
        cache["owner_institution"] = institution_of((row[4], row[13], row[14]))
        items.append(item)
    return items


def _named(queryset, user, institutions):
    """Items naming ``user`` as responsible that are not owned by their institutions (the other branch)."""
    return queryset.filter(rule(lambda a: open_named(a, user.pk, institutions)))


def _merged(owned, named, limit: int) -> list[ActionItem]:
    """The first ``limit`` open items of two disjoint branches, each walked in due order on its partial
    index (``action_open_owner_due``, ``action_open_responsible_due``) and stopped at ``limit``."""
    ids = _ordered_ids(named, limit)
    if owned is not None:
        ids = _ordered_ids(owned, limit).union(ids, all=True)
    return list(
        ActionItem.objects.filter(pk__in=ids)
        .select_related("case", "owner_institution", "meeting")
        .only(*QUEUE_FIELDS)
        .order_by("due_on", "id")[:limit]
    )


def of_case(model, user, case):
    """Rows of ``model`` (agenda or action items) about one case that ``user`` may see. Whoever may
    see the case sees all of them (the other rules only add readers), so for a case the page has just
    loaded through ``Case.objects.visible_to(user)`` the (municipality, case) match is the whole rule."""
    if marked_for(case, user):
        return model.objects.filter(rule(lambda a: case_rules.rows_of_case(a, case)))
    return model.objects.visible_to(user).filter(case_id=case.pk)


def actions_of_case(user, case) -> list[ActionItem]:
    """The action items of one case the user may see, open first (one query)."""
    return list(
        of_case(ActionItem, user, case)
        .select_related("owner_institution", "meeting", "responsible")
        .order_by("status", "due_on", "id")
    )


def filtered_actions(queryset, *, status: str = "", overdue: bool = False, meeting_id: int | None = None,
                     today: date | None = None):
    """``queryset`` (already ``visible_to``) narrowed by the action-item list's parameters (filters.py)."""
    if status in ActionStatus.values:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(status=ActionStatus.OPEN, due_on__lt=today or timezone.localdate())
    if meeting_id:
        queryset = queryset.filter(meeting_id=meeting_id)
    return queryset


def action_list(user, *, status: str = "", overdue: bool = False, meeting_id: int | None = None, today: date | None = None):
    """The action items the user may see, filtered (a queryset for paging)."""
    qs = ActionItem.objects.visible_to(user).select_related("case", "owner_institution", "meeting", "responsible")
    return filtered_actions(qs, status=status, overdue=overdue, meeting_id=meeting_id, today=today).order_by("due_on", "id")
