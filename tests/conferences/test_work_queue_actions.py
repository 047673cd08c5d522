"""The work queue's conference section lists exactly the open action items the access rules let the
user see among those owned by their institutions or naming them: the same items, in the same order,
as ``ActionItem.objects.visible_to(user)`` filtered that way, whoever asks. Other municipalities',
closed items and items of restricted cases the user may not open stay out, as do items for an
institution admin or official (no case role); one query unless the user is named on an item of an
institution they do not work at or an item of a restricted case comes up."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_create, membership_end
from apps.cases.models import CaseUserGrant
from apps.cases.querysets import has_case_grants
from apps.conferences.choices import ActionStatus, MeetingKind
from apps.conferences.models import ActionItem
from apps.conferences.selectors.actions import open_actions_for
from apps.core.choices import Role
from apps.core.grants import grant_object_permission
from tests.factories import UserFactory, member

from .factories import AreaFactory
from .factories_minutes import action, make_case, on_agenda, past_meeting

pytestmark = pytest.mark.django_db


def visible_open_actions(user, limit=None):
    """The definition the section had: the access rules, then the user's own open items, due first."""
    access = getattr(user, "access", None)
    if access is None:
        return []
    mine = Q(responsible_id=user.pk)
    if access.institution_ids():
        mine |= Q(owner_institution_id__in=access.institution_ids())
    ids = list(
        ActionItem.objects.visible_to(user)
        .filter(mine, status=ActionStatus.OPEN)
        .order_by("due_on", "id")
        .values_list("pk", flat=True)
    )
    return ids if limit is None else ids[:limit]


@pytest.fixture
def scene(world):
    """Items of every kind: owned by each institution, naming people inside and outside the owner,
    closed, of a restricted case, of an area meeting owned by the other municipality's centre, and of
    the other municipality; due dates repeat (the id breaks the tie)."""
    users = world.users
    coordinator, caseworker = users[Role.COORDINATOR], users[Role.CASEWORKER]
    other = users["other_municipality"]
    colleague = member(Role.CASEWORKER, world.csr_a)  # same centre, not on the restricted case
    dual = member(Role.CASEWORKER, world.csr_a)
    membership_create(user=dual, institution=world.csr_b, role=Role.CASEWORKER)
    leaver = member(Role.CASEWORKER, world.police_a)
    inactive = member(Role.CASEWORKER, world.csr_a)

    meeting = past_meeting(world.mun_a, created_by=coordinator)
    open_case = on_agenda(meeting, make_case(institution=world.csr_a, opened_by=caseworker))
    restricted = on_agenda(meeting, make_case(institution=world.csr_a, opened_by=caseworker, is_restricted=True))
    shared = on_agenda(meeting, make_case(institution=world.csr_a, opened_by=caseworker))
    area = AreaFactory(municipality=world.mun_a, municipalities=[world.mun_b])
    area_meeting = past_meeting(world.mun_a, created_by=coordinator, kind=MeetingKind.COORDINATION_GROUP, area=area)
    area_item = on_agenda(area_meeting, make_case(institution=world.csr_a, opened_by=caseworker))
    meeting_b = past_meeting(world.mun_b, created_by=other[Role.COORDINATOR])
    case_b = on_agenda(meeting_b, make_case(institution=world.csr_b, opened_by=other[Role.CASEWORKER]))

    today = timezone.localdate()
    due = [today - timedelta(days=3), today, today, today + timedelta(days=5)]

    def add(agenda_item, owner, responsible=None, status=ActionStatus.OPEN, n=0):
        return action(agenda_item, owner=owner, created_by=coordinator, responsible=responsible, status=status,
                      due_on=due[n % len(due)], description=f"Testna radnja {n}")

    n = iter(range(100))
    for _ in range(3):
        add(open_case, world.csr_a, n=next(n))
        add(open_case, world.csr_a, responsible=caseworker, n=next(n))
        add(open_case, world.police_a, responsible=users["police_caseworker"], n=next(n))
        add(open_case, world.police_a, responsible=caseworker, n=next(n))  # named outside the owner
        add(open_case, world.csr_a, responsible=caseworker, status=ActionStatus.DONE, n=next(n))
        add(open_case, world.csr_a, status=ActionStatus.CANCELLED, n=next(n))
        add(restricted, world.police_a, responsible=colleague, n=next(n))  # colleague may not see the case
        add(restricted, world.police_a, responsible=coordinator, n=next(n))  # the coordinator runs the meeting
        add(restricted, world.csr_a, responsible=colleague, n=next(n))  # owned by the centre: its staff on the case see it
        add(shared, world.police_a, responsible=leaver, n=next(n))
        add(open_case, world.police_a, responsible=leaver, n=next(n))
        add(open_case, world.police_a, responsible=inactive, n=next(n))
        add(area_item, world.csr_b, responsible=other[Role.CASEWORKER], n=next(n))
        add(case_b, world.csr_b, n=next(n))
        add(case_b, world.csr_b, responsible=dual, n=next(n))
        add(case_b, world.csr_b, responsible=caseworker, n=next(n))  # named, but the case is elsewhere
    # The leaver no longer works at the police; one of the cases was shared with them.
    membership_end(membership=Membership.objects.get(user=leaver), ended_by=users[Role.INSTITUTION_ADMIN])
    grant_object_permission(
        grant_model=CaseUserGrant, obj=shared.case, codename="view_case", granted_by=caseworker,
        reason="Konsultacija", user=leaver, expires_at=timezone.now() + timedelta(days=30),
    )
    type(inactive).objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    people = {
        **{role: users[role] for role in Role.values},
        "police_caseworker": users["police_caseworker"],
        **{f"other {role}": other[role] for role in Role.values},
        "colleague": colleague, "dual": dual, "leaver": leaver, "inactive": inactive,
        "platform admin": world.platform_admin, "nobody": UserFactory(),
    }
    for person in people.values():
        person.refresh_access()
    return SimpleNamespace(people=people, restricted=restricted, shared=shared, case_b=case_b, area_item=area_item)


@pytest.mark.parametrize("limit", [50, 4, 1])
def test_everyone_sees_exactly_the_items_the_access_rules_give_them(scene, limit):
    seen = {}
    for name, person in scene.people.items():
        expected = visible_open_actions(person, limit)
        person.refresh_access()
        got = [a.pk for a in open_actions_for(person, limit=limit)]
        assert got == expected, name
        seen[name] = got
    assert all(seen[name] for name in ("caseworker", "coordinator", "colleague", "dual", "leaver", "other caseworker"))


def test_the_rules_keep_out_what_they_should(at_each_moment, scene):
    def cases_of(name):
        return {a.case_id for a in open_actions_for(scene.people[name])}

    assert scene.case_b.case_id not in cases_of("caseworker")  # named, but another municipality's case
    assert cases_of("leaver") == {scene.shared.case_id}  # left the police: only the shared case
    assert cases_of("inactive") == set() and cases_of("nobody") == set() and cases_of("platform admin") == set()
    # the colleague is not assigned to the restricted case: none of its items is shown, neither the one
    # naming her nor her centre's own; the assigned caseworker sees the centre's
    colleague = scene.people["colleague"]
    assert scene.restricted.case_id not in {a.case_id for a in open_actions_for(colleague)}
    restricted_items = [a for a in open_actions_for(scene.people["caseworker"]) if a.case_id == scene.restricted.case_id]
    assert restricted_items and {a.owner_institution.name for a in restricted_items} == {"CSR Testgrad A"}
    # an institution admin or official of the owner holds no case role: no item at all
    assert cases_of("institution_admin") == set() and cases_of("official") == set()
    # an area meeting's item owned by the other municipality's centre reaches that centre's staff
    assert scene.area_item.case_id in cases_of("other caseworker")
    assert all(a.status == ActionStatus.OPEN for a in ActionItem.objects.filter(
        pk__in=[a.pk for p in scene.people.values() for a in open_actions_for(p)]))


def test_owners_cost_one_query_and_the_row_reads_nothing_more(scene):
    worker = scene.people["police_caseworker"]
    # An item of a restricted case among them is read again through the case rules (a second query).
    ActionItem.objects.filter(case_id=scene.restricted.case_id).delete()
    worker.refresh_access()
    worker.access.memberships  # noqa: B018 - loaded by the request before the queue
    with CaptureQueriesContext(connection) as queries:
        items = open_actions_for(worker)
        shown = [(a.case.number, a.case.municipality_id, str(a.meeting), a.owner_institution.name, a.description,
                  a.due_on, a.case_id, a.pk) for a in items]
    assert shown and len(queries) == 1


def test_being_named_outside_the_owner_costs_a_second_query(scene):
    colleague = scene.people["colleague"]
    colleague.refresh_access()
    # what the request has loaded before the queue: memberships, municipality-wide grants, case grants
    colleague.access.memberships  # noqa: B018
    colleague.access.municipality_permissions  # noqa: B018
    has_case_grants(colleague.access)
    with CaptureQueriesContext(connection) as queries:
        items = open_actions_for(colleague)
    assert len(queries) == 2  # the merged list, then both branches again through the access rules
    assert items and scene.restricted.case_id not in {a.case_id for a in items}
