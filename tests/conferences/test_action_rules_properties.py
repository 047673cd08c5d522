"""The open action items of a person (conferences/rules.py ``open_owned``/``open_named``): the work
queue's fixed statement (``open_actions_for``) and the ORM's form answer what the plain rule says,
over generated worlds of cases, teams, grants and action items owned by any institution or naming
any user, for users of every role."""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from apps.cases.models import Case
from apps.conferences.choices import ActionStatus
from apps.conferences.models import ActionItem, AgendaItem, Meeting
from apps.conferences.rules import open_named, open_owned
from apps.conferences.selectors.actions import open_actions_for
from apps.core.rules import rule
from tests.cases.test_rules_properties import FAST, N_CASES, READERS, WORLD, Rules, _build, _readers, base  # noqa: F401

items_st = st.lists(
    st.tuples(
        st.integers(0, N_CASES - 1),  # case
        st.integers(0, 4),  # owner institution
        st.sampled_from([None, *READERS[:-1]]),  # responsible
        st.booleans(),  # open
        st.integers(-3, 3),  # due, days from today
    ),
    max_size=8,
)


def _items(world_base, cases, items):
    opener = world_base.users["caseworker"]
    users = world_base.users
    now = timezone.now()
    meetings, agenda = {}, {}
    for case in cases:
        if case.municipality_id not in meetings:
            meetings[case.municipality_id] = Meeting.objects.create(
                municipality_id=case.municipality_id, starts_at=now, ends_at=now + timedelta(hours=1), created_by=opener,
            )
        agenda[case.pk] = AgendaItem.objects.create(
            meeting=meetings[case.municipality_id], municipality_id=case.municipality_id, case=case,
        )
    ActionItem.objects.bulk_create([
        ActionItem(
            meeting=agenda[cases[c % len(cases)].pk].meeting, agenda_item=agenda[cases[c % len(cases)].pk],
            case=cases[c % len(cases)], municipality_id=cases[c % len(cases)].municipality_id, description="—",
            owner_institution=world_base.institutions[owner], responsible=users[who] if who else None,
            due_on=timezone.localdate() + timedelta(days=due), created_by=opener,
            status=ActionStatus.OPEN if is_open else ActionStatus.DONE,
        )
        for c, owner, who, is_open, due in items
    ])


@FAST
@given(world=WORLD, items=items_st)
def test_open_action_items_match_the_rule_in_both_forms(base, world, items):  # noqa: F811
    with transaction.atomic():
        _build(base, **world)
        cases = list(Case.objects.order_by("id"))
        _items(base, cases, items)
        for user in _readers(base):
            user.refresh_access()
            expect = Rules(user)
            visible = set(ActionItem.objects.visible_to(user).values_list("pk", flat=True))
            want = [
                item.pk for item in ActionItem.objects.order_by("due_on", "id")
                if item.status == ActionStatus.OPEN and item.pk in visible
                and (item.owner_institution_id in expect.institutions or item.responsible_id == user.pk)
            ]
            assert [item.pk for item in open_actions_for(user)] == want, user
            institutions = sorted(expect.institutions)
            owned = set(ActionItem.objects.filter(rule(lambda a, i=institutions: open_owned(a, i))).values_list("pk", flat=True))
            named = set(ActionItem.objects.filter(
                rule(lambda a, u=user.pk, i=institutions: open_named(a, u, i))
            ).values_list("pk", flat=True))
            every = ActionItem.objects.all()
            assert owned == {i.pk for i in every if i.status == ActionStatus.OPEN and i.owner_institution_id in institutions}
            assert named == {
                i.pk for i in every
                if i.status == ActionStatus.OPEN and i.responsible_id == user.pk and i.owner_institution_id not in institutions
            }
        transaction.set_rollback(True)
