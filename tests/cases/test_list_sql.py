"""The list page's hand-written statement lists exactly what lists.case_queryset (the reference rule,
built on Case.objects.listed_for) lists, in the same order, for every role, tab, filter and page."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.cases.choices import CaseStatus, RiskLevel, ViolenceForm
from apps.cases.models import CaseAssignment, CaseParticipant
from apps.cases.selectors.list_sql import case_page, page_rows
from apps.cases.selectors.lists import case_queryset, effective_scope, encode_cursor
from apps.core.choices import AuditAction
from apps.core.models import AuditEntry

from .factories_records import assign, incident, join, make_case


def _days_ago(n, hours=0):
    return timezone.now() - timedelta(days=n, hours=hours)


@pytest.fixture
def varied(world):
    """Cases of both municipalities led by either institution of A, joined, assigned, restricted,
    with ended team memberships and assignments, and three reported at the same moment."""
    csr, police = world.users["caseworker"], world.users["police_caseworker"]
    coordinator = world.users["coordinator"]
    made = []
    same_moment = _days_ago(4)
    for i in range(14):
        lead = world.csr_a if i % 3 else world.police_a
        opener = csr if lead == world.csr_a else police
        case = make_case(
            institution=lead, opened_by=opener, reported_at=same_moment if i in (3, 4, 5) else _days_ago(i, hours=i),
            status=[CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING, CaseStatus.CLOSED][i % 3],
            risk_level=[RiskLevel.HIGH, RiskLevel.LOW, RiskLevel.MEDIUM][i % 3],
            is_restricted=i in (2, 7, 11),
        )
        if i % 4 == 1:
            join(case, world.police_a if lead == world.csr_a else world.csr_a, added_by=opener)
        if i in (6, 10):
            ended = join(case, world.csr_a if lead == world.police_a else world.police_a, added_by=opener)
            CaseParticipant.objects.filter(pk=ended.pk).update(ended_at=timezone.now())
        if i % 5 == 0 or i in (7, 11):
            assign(case, csr, institution=world.csr_a)
        if i == 11:
            assign(case, coordinator, institution=world.csr_a)
        if i == 8:
            gone = assign(case, csr, institution=world.csr_a)
            CaseAssignment.objects.filter(pk=gone.pk).update(ended_at=timezone.now())
        if i % 2 == 0:
            incident(case, forms=[ViolenceForm.PHYSICAL], recorded_by=opener)
        made.append(case)
    other_user = world.users["other_municipality"]["caseworker"]
    for i in range(3):
        made.append(make_case(institution=world.csr_b, opened_by=other_user, reported_at=_days_ago(i)))
    return made


def _users(world):
    yield from (u for key, u in world.users.items() if key != "other_municipality")
    yield from world.users["other_municipality"].values()
    yield world.platform_admin


def _reference(user, scope, size, cursor=None, **filters):
    queryset = case_queryset(user, scope=scope, **filters).order_by("-reported_at", "-id")
    if cursor:
        from django.db.models import Q

        from apps.cases.selectors.lists import decode_cursor

        at, pk = decode_cursor(cursor)
        queryset = queryset.filter(Q(reported_at__lt=at) | Q(reported_at=at, id__lt=pk))
    return list(queryset.values_list("id", flat=True)[: size + 1])


FILTERS = [
    {},
    {"status": CaseStatus.ACTIVE_PROTECTION},
    {"status": [CaseStatus.MONITORING, CaseStatus.CLOSED], "risk_level": RiskLevel.LOW},
    {"form": ViolenceForm.PHYSICAL},
    {"reported_from": date.today() - timedelta(days=6), "reported_to": date.today() - timedelta(days=2)},
]


@pytest.mark.parametrize("scope", ["mine", "institution", "all"])
def test_every_role_tab_and_filter_lists_what_the_reference_rule_lists(world, varied, scope):
    compared = 0
    for user in _users(world):
        used = effective_scope(user, scope)
        for filters in [*FILTERS, {"institution": world.police_a.pk}]:
            expected = _reference(user, used, 50, **filters)
            got = [c.pk for c in page_rows(user, scope=used, cursor=None, size=50, **filters)]
            assert got == expected, (user.username, used, filters)
            compared += len(expected)
    assert compared >= 10  # the world's users do see cases: the comparison is not of empty lists


@pytest.mark.parametrize("scope", ["institution", "all"])
def test_pages_through_the_cursor_match_including_equal_report_times(world, varied, scope):
    user = world.users["coordinator"] if scope == "all" else world.users["caseworker"]
    cursor, seen = None, []
    while True:
        expected = _reference(user, scope, 2, cursor=cursor)
        rows = page_rows(user, scope=scope, cursor=cursor, size=2)
        assert [c.pk for c in rows] == expected
        seen += [c.pk for c in rows[:2]]
        if len(rows) <= 2:
            break
        cursor = encode_cursor(rows[1])
    assert len(seen) == len(set(seen)) == len(_reference(user, scope, 1000))


def test_rows_carry_what_the_list_row_shows(world, varied):
    user = world.users["caseworker"]
    [row] = page_rows(user, scope="institution", cursor=None, size=0)[:1]
    case = type(row).objects.select_related("lead_institution").get(pk=row.pk)
    for field in ("number", "status", "risk_level", "priority", "is_restricted", "is_repeat", "known_elsewhere",
                  "reported_at", "last_activity_at", "municipality_id"):
        assert getattr(row, field) == getattr(case, field), field
    assert row.lead_institution.name == case.lead_institution.name


def test_the_page_audits_its_rows_and_refuses_bad_filters(world, varied):
    user = world.users["caseworker"]
    page = case_page(user, scope="institution", page_size=3)
    assert len(page.cases) == 3 and page.next_cursor
    audited = AuditEntry.objects.filter(actor=user, action=AuditAction.VIEW, object_type="cases.case")
    assert set(audited.values_list("object_id", flat=True)) >= {str(c.pk) for c in page.cases}
    with pytest.raises(ValidationError) as error:
        case_page(user, scope="institution", status="nonsense")
    assert "status" in error.value.message_dict


def test_the_shared_tab_goes_the_reference_way(world, varied):
    assert page_rows(world.users["caseworker"], scope="shared", cursor=None, size=50) is None
    assert case_page(world.users["caseworker"], scope="shared").cases == []


@pytest.mark.parametrize("scope", ["mine", "institution", "all"])
def test_narrowing_search_results_by_the_tab_matches_the_reference_rule(world, varied, scope):
    from apps.cases.models import Case
    from apps.cases.selectors.list_sql import in_tab

    every = list(Case.objects.values_list("id", flat=True))
    for user in _users(world):
        used = effective_scope(user, scope)
        for filters in FILTERS:
            expected = set(case_queryset(user, scope=used, **filters).filter(pk__in=every).values_list("pk", flat=True))
            assert in_tab(user, scope=used, ids=every, **filters) == expected, (user.username, used, filters)
    assert in_tab(world.users["caseworker"], scope="shared", ids=every) is None
