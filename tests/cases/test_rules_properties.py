"""Every case access rule (apps/cases/rules.py) against a plain-Python statement of it, over generated
worlds: cases of three municipalities (restricted or not, reported at colliding moments), teams
(participants and assignments, some ended), grants to role groups and to users (no expiry, expired,
future expiry), notes for the team or one institution, referrals; read by users of every role,
a user working in two municipalities, a platform admin and a user without memberships.

Each rule is checked in its ORM form and in the form the hand-written statements use (list page,
case page, work queue, referral inbox)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from itertools import count

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.cases import rules
from apps.cases.choices import CaseStatus, RiskLevel, Visibility
from apps.cases.models import (
    Case,
    CaseAssignment,
    CaseGroupGrant,
    CaseNote,
    CaseParticipant,
    CaseUserGrant,
    Referral,
)
from apps.cases.selectors.case_rows import case_rows, load_visible_case
from apps.cases.selectors.list_sql import in_tab, page_rows
from apps.cases.selectors.lists import case_queryset, effective_scope, encode_cursor
from apps.cases.selectors.work_queue import visible_case_ids
from apps.core.choices import Role
from apps.institutions.models import Institution
from apps.institutions.rules import readable
from apps.municipalities.roles import ROLE_MUNICIPALITY_PERMISSIONS
from tests.factories import InstitutionFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

CASE_READING = {Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR}
# (institution index, role) memberships of the world's readers; institutions 0, 1 are in municipality
# 0, 2, 3 in municipality 1, 4 in municipality 2.
PROFILES = {
    "caseworker": [(0, Role.CASEWORKER)],
    "caseworker_other": [(1, Role.CASEWORKER)],
    "coordinator": [(0, Role.COORDINATOR)],
    "supervisor": [(2, Role.SUPERVISOR)],
    "official": [(0, Role.OFFICIAL)],
    "institution_admin": [(1, Role.INSTITUTION_ADMIN)],
    "two_municipalities": [(1, Role.CASEWORKER), (2, Role.COORDINATOR)],
    "caseworker_far": [(4, Role.CASEWORKER)],
    "nobody": [],
}
NOW = timezone.now()


@dataclass
class Base:
    municipalities: list
    institutions: list
    users: dict
    admin: User
    group: Group
    view_case: Permission


@pytest.fixture
def base(db):
    municipalities = [MunicipalityFactory() for _ in range(3)]
    institutions = [InstitutionFactory(municipality=municipalities[m]) for m in (0, 0, 1, 1, 2)]
    users = {}
    for name, memberships in PROFILES.items():
        user = UserFactory()
        for index, role in memberships:
            membership_create(user=user, institution=institutions[index], role=role)
        users[name] = user
    admin = UserFactory(is_platform_admin=True)
    group = Group.objects.create(name="rules-test-staff")
    view_case = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    return Base(municipalities, institutions, users, admin, group, view_case)


# --- the generated world -------------------------------------------------------------------------------

N_CASES = 7
READERS = [*PROFILES, "admin"]
cases_st = st.lists(
    st.tuples(
        st.integers(0, 4),  # lead institution
        st.booleans(),  # restricted
        st.integers(0, 3),  # reported, days ago (collisions on purpose)
        st.sampled_from([CaseStatus.REPORTED, CaseStatus.ACTIVE_PROTECTION, CaseStatus.CLOSED]),
        st.sampled_from([RiskLevel.LOW, RiskLevel.HIGH]),
    ),
    min_size=1, max_size=N_CASES,
)
index_st = st.integers(0, N_CASES - 1)
team_st = st.lists(st.tuples(index_st, st.integers(0, 4), st.booleans()), max_size=6)  # case, institution, ended
assign_st = st.lists(st.tuples(index_st, st.sampled_from(READERS[:-1]), st.booleans()), max_size=6)
expiry_st = st.sampled_from([None, -1, 1])  # none, expired a day ago, expires in a day
grant_st = st.lists(
    st.tuples(index_st, st.sampled_from(["group", *READERS[:-1]]), expiry_st), max_size=4
)
group_members_st = st.sets(st.sampled_from(READERS[:-1]), max_size=3)
note_st = st.lists(st.tuples(index_st, st.integers(0, 4), st.booleans()), max_size=5)  # case, institution, team
referral_st = st.lists(st.tuples(index_st, st.integers(0, 4)), max_size=4)  # case, to institution


def _ago(days):
    return NOW - timedelta(days=days, hours=1)


def _build(base, cases, team, assigned, grants, members, notes, referrals):
    institutions, users = base.institutions, {**base.users, "admin": base.admin}
    opener = base.users["caseworker"]
    numbers = count(1)
    made = Case.objects.bulk_create([
        Case(
            municipality_id=institutions[lead].municipality_id, lead_institution=institutions[lead], is_restricted=restricted,
            reported_at=_ago(days), status=status, risk_level=risk, opened_by=opener,
            number=f"T-{(n := next(numbers))}", year=2026, sequence=n,
        )
        for lead, restricted, days, status, risk in cases
    ])
    pick = [made[i % len(made)] for i in range(N_CASES)]
    seen = set()
    participants = []
    for c, inst, ended in team:
        if (pick[c].pk, inst) not in seen:
            seen.add((pick[c].pk, inst))
            participants.append(CaseParticipant(
                case=pick[c], municipality_id=pick[c].municipality_id, institution=institutions[inst], added_by=opener,
                ended_at=NOW if ended else None,
            ))
    CaseParticipant.objects.bulk_create(participants)
    CaseAssignment.objects.bulk_create([
        CaseAssignment(
            case=pick[c], municipality_id=pick[c].municipality_id, user=users[who], institution=institutions[0],
            assigned_by=opener, ended_at=NOW if ended else None,
        )
        for c, who, ended in assigned
    ])
    base.group.user_set.set([users[m] for m in members])
    group_grants, user_grants, granted_pairs = [], [], set()
    for c, to, expiry in grants:
        expires = None if expiry is None else NOW + timedelta(days=expiry)
        common = {
            "content_object": pick[c], "municipality_id": pick[c].municipality_id, "permission": base.view_case,
            "granted_by": opener, "reason": "test", "expires_at": expires,
        }
        if (pick[c].pk, to) in granted_pairs:
            continue
        granted_pairs.add((pick[c].pk, to))
        if to == "group":
            group_grants.append(CaseGroupGrant(group=base.group, **common))
        else:
            user_grants.append(CaseUserGrant(user=users[to], **common))
    CaseGroupGrant.objects.bulk_create(group_grants)
    CaseUserGrant.objects.bulk_create(user_grants)
    CaseNote.objects.bulk_create([
        CaseNote(
            case=pick[c], municipality_id=pick[c].municipality_id, text="—", author=opener,
            institution=institutions[inst], visibility=Visibility.TEAM if for_team else Visibility.OWN_INSTITUTION,
        )
        for c, inst, for_team in notes
    ])
    Referral.objects.bulk_create([
        Referral(
            case=pick[c], municipality_id=pick[c].municipality_id, from_institution=pick[c].lead_institution,
            to_institution=institutions[to], to_municipality_id=institutions[to].municipality_id, reason="—",
            sent_by=opener,
        )
        for c, to in referrals
    ])
    for user in users.values():
        user.refresh_access()
    return made


# --- the rules in plain Python -------------------------------------------------------------------------


class Rules:
    """The access model of DESIGN.md, read straight from the world's rows."""

    def __init__(self, user):
        self.user = user
        members = [] if user.is_platform_admin else list(
            user.memberships.filter(is_active=True).values_list("institution_id", "municipality_id", "role")
        )
        self.any_institutions = {i for i, _m, _r in members}
        self.any_municipalities = {m for _i, m, _r in members}
        self.institutions = {i for i, _m, r in members if r in CASE_READING}
        self.municipalities = {m for _i, m, r in members if r in CASE_READING}
        self.wide = {m for _i, m, r in members if "view_municipality_cases" in ROLE_MUNICIPALITY_PERMISSIONS[r]}
        self.groups = set(user.groups.values_list("pk", flat=True))

    def team(self, case):
        return case.lead_institution_id in self.institutions or any(
            p.institution_id in self.institutions for p in case.participants.all() if p.ended_at is None
        )

    def assigned(self, case):
        return any(a.user_id == self.user.pk and a.ended_at is None for a in case.assignments.all())

    def listed(self, case):
        if not self.any_institutions:
            return False
        wide = case.municipality_id in self.wide and not case.is_restricted
        team = case.municipality_id in self.municipalities and not case.is_restricted and self.team(case)
        mine = case.municipality_id in self.municipalities and self.assigned(case)
        return wide or team or mine

    def granted(self, case):
        def live(grant):
            return grant.permission_id == view_case_id() and (grant.expires_at is None or grant.expires_at > timezone.now())

        return any(live(g) and g.group_id in self.groups for g in CaseGroupGrant.objects.filter(content_object=case)) or any(
            live(g) and g.user_id == self.user.pk for g in CaseUserGrant.objects.filter(content_object=case)
        )

    def visible(self, case):
        return self.listed(case) or self.granted(case)

    def in_tab(self, case, scope):
        if scope == "shared":
            return self.granted(case)
        if not self.listed(case):
            return False
        return {"mine": self.assigned(case), "institution": self.team(case), "all": True}[scope]

    def note(self, note, visible_cases):
        return note.case_id in visible_cases and (
            note.visibility == Visibility.TEAM or note.institution_id in self.any_institutions
        )

    def inbox(self, referral):
        return referral.to_institution_id in self.institutions and referral.to_municipality_id in self.municipalities

    def readable(self, institution):
        return self.user.is_platform_admin or institution.municipality_id in self.any_municipalities


def view_case_id():
    return Permission.objects.get(content_type__app_label="cases", codename="view_case").pk


def _readers(base):
    return [*base.users.values(), base.admin]


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


WORLD = st.fixed_dictionaries({
    "cases": cases_st, "team": team_st, "assigned": assign_st, "grants": grant_st, "members": group_members_st,
    "notes": note_st, "referrals": referral_st,
})
FAST = settings(max_examples=int(os.environ.get("RULES_EXAMPLES", "25")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _in_world(base, world, check):
    """Build the world in a savepoint, run ``check``, and roll the world back."""
    with transaction.atomic():
        made = _build(base, **world)
        cases = list(Case.objects.prefetch_related("participants", "assignments").order_by("-reported_at", "-id"))
        assert len(cases) == len(made)
        check(cases)
        transaction.set_rollback(True)


@FAST
@given(world=WORLD)
def test_visible_listed_and_shared_match_the_rule_in_every_form(base, world):
    def check(cases):
        for user in _readers(base):
            expect = Rules(user)
            want_visible = {c.pk for c in cases if expect.visible(c)}
            assert _ids(Case.objects.visible_to(user)) == want_visible, user
            assert _ids(Case.objects.listed_for(user)) == {c.pk for c in cases if expect.listed(c)}, user
            assert _ids(Case.objects.shared_with(user)) == {c.pk for c in cases if expect.granted(c)}, user
            # The fixed statements: the work queue's check and the case page's look-up (with on_team).
            assert visible_case_ids(user, [c.pk for c in cases]) == want_visible, user
            for case in cases:
                user.refresh_access()
                _ok, found = load_visible_case(user, case.pk)
                assert (found is not None) == (case.pk in want_visible), (user, case)
                if found is not None:
                    assert found.__dict__["_on_team"] == expect.listed(case)

    _in_world(base, world, check)


@FAST
@given(
    world=WORLD,
    filters=st.fixed_dictionaries({}, optional={
        "status": st.sampled_from([CaseStatus.REPORTED, CaseStatus.CLOSED]),
        "risk_level": st.just(RiskLevel.HIGH),
        "reported_from": st.just((NOW - timedelta(days=2)).date()),
        "institution": st.integers(0, 4),
    }),
)
def test_tabs_filters_and_cursor_match_the_rule_in_both_forms(base, filters, world):
    def check(cases):
        chosen = dict(filters)
        if "institution" in chosen:
            chosen["institution"] = base.institutions[chosen["institution"]].pk

        def passes(case):
            if "status" in chosen and case.status != chosen["status"]:
                return False
            if "risk_level" in chosen and case.risk_level != chosen["risk_level"]:
                return False
            if "reported_from" in chosen and timezone.localdate(case.reported_at) < chosen["reported_from"]:
                return False
            if "institution" in chosen:
                inst = chosen["institution"]
                return case.lead_institution_id == inst or any(
                    p.institution_id == inst and p.ended_at is None for p in case.participants.all()
                )
            return True

        for user in _readers(base):
            expect = Rules(user)
            for scope in ("mine", "institution", "all", "shared"):
                used = effective_scope(user, scope)
                want = [c.pk for c in cases if expect.in_tab(c, used) and passes(c)]
                orm = list(case_queryset(user, scope=used, **chosen).order_by("-reported_at", "-id").values_list("pk", flat=True))
                assert orm == want, (user, used, chosen)
                if used == "shared":
                    continue
                # The list page's statement, page by page through the cursor (two rows a page).
                got, cursor = [], None
                while True:
                    rows = page_rows(user, scope=used, cursor=cursor, size=2, **chosen)
                    got += [c.pk for c in rows[:2]]
                    if len(rows) <= 2:
                        break
                    cursor = encode_cursor(rows[1])
                assert got == want, (user, used, chosen)
                assert in_tab(user, scope=used, ids=[c.pk for c in cases], **chosen) == set(want)

    _in_world(base, world, check)


@FAST
@given(world=WORLD)
def test_notes_referral_inbox_and_readable_institutions_match_the_rule(base, world):
    def check(cases):
        notes = list(CaseNote.objects.all())
        referrals = list(Referral.objects.all())
        institutions = list(Institution.objects.all())
        for user in _readers(base):
            expect = Rules(user)
            visible = {c.pk for c in cases if expect.visible(c)}
            assert _ids(CaseNote.objects.visible_to(user)) == {n.pk for n in notes if expect.note(n, visible)}, user
            assert _ids(Referral.objects.addressed_to(user)) == {r.pk for r in referrals if expect.inbox(r)}, user
            assert _ids(Institution.objects.visible_to(user)) == {i.pk for i in institutions if expect.readable(i)}
            # The fixed forms: the case page's notes of a checked case, the work queue's inbox, the readers' names.
            for case in cases:
                user.refresh_access()
                _ok, found = load_visible_case(user, case.pk)
                if found is not None:
                    want = {n.pk for n in notes if n.case_id == case.pk and expect.note(n, visible)}
                    assert {n.pk for n in case_rows(user, found, CaseNote)} == want
                    assert {n.pk for n in CaseNote.objects.of_case(user, found)} == want
            if not user.is_platform_admin:
                inbox, params = rules.addressed_to(user.access, "r", fixed=True)
                with connection.cursor() as db:
                    db.execute(f"SELECT r.id FROM {Referral._meta.db_table} r WHERE {inbox}", params)
                    assert {row[0] for row in db.fetchall()} == {r.pk for r in referrals if expect.inbox(r)}
            names, params = readable(user.access, "i", fixed=True)
            with connection.cursor() as db:
                db.execute(f"SELECT i.id FROM {Institution._meta.db_table} i WHERE {names}", params)
                assert {row[0] for row in db.fetchall()} == {i.pk for i in institutions if expect.readable(i)}

    _in_world(base, world, check)
