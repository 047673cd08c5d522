"""Case lists: scopes, filters, keyset pagination, fixed query count, audited reads."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.cases.choices import CaseStatus, RiskLevel, ViolenceForm
from apps.cases.models import Case, CaseUserGrant
from apps.cases.selectors.lists import case_list, case_queryset
from apps.core.choices import AuditAction
from apps.core.grants import grant_object_permission
from apps.core.models import AuditEntry

from .factories_records import assign, incident, join, make_case


def _days_ago(n):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def cases(world):
    """mine: assigned to the CSR caseworker; team: CSR-led; police: police-led without CSR;
    restricted: CSR-led, restricted, nobody from CSR assigned; other: municipality B."""
    csr_user = world.users["caseworker"]
    police_user = world.users["police_caseworker"]
    mine = make_case(institution=world.csr_a, opened_by=csr_user, reported_at=_days_ago(1), status=CaseStatus.ACTIVE_PROTECTION,
                     risk_level=RiskLevel.HIGH)
    assign(mine, csr_user, institution=world.csr_a)
    incident(mine, forms=[ViolenceForm.PHYSICAL, ViolenceForm.PSYCHOLOGICAL], recorded_by=police_user)
    team = make_case(institution=world.csr_a, opened_by=csr_user, reported_at=_days_ago(10), risk_level=RiskLevel.LOW)
    join(team, world.police_a, added_by=csr_user)
    incident(team, forms=[ViolenceForm.ECONOMIC], recorded_by=csr_user)
    police = make_case(institution=world.police_a, opened_by=police_user, reported_at=_days_ago(20))
    restricted = make_case(institution=world.csr_a, opened_by=csr_user, reported_at=_days_ago(2), is_restricted=True)
    assign(restricted, police_user, institution=world.police_a)
    other_user = world.users["other_municipality"]["caseworker"]
    other = make_case(institution=world.csr_b, opened_by=other_user, reported_at=_days_ago(3))
    return {"mine": mine, "team": team, "police": police, "restricted": restricted, "other": other}


def numbers(page_or_list):
    items = page_or_list.cases if hasattr(page_or_list, "cases") else page_or_list
    return {c.number for c in items}


def test_my_cases_are_the_cases_assigned_to_me(world, cases):
    page = case_list(world.users["caseworker"], scope="mine")
    assert numbers(page) == {cases["mine"].number}
    assert page.next_cursor is None


def test_institution_scope_lists_cases_my_institution_leads_or_takes_part_in(world, cases):
    page = case_list(world.users["caseworker"], scope="institution")
    assert numbers(page) == {cases["mine"].number, cases["team"].number}
    police_page = case_list(world.users["police_caseworker"], scope="institution")
    # The police take part in "team", lead "police", and one of them is assigned to "restricted".
    assert numbers(police_page) == {cases["team"].number, cases["police"].number}


def test_all_cases_only_for_municipality_wide_roles(world, cases):
    coordinator = case_list(world.users["coordinator"], scope="all")
    assert coordinator.scope == "all"
    assert numbers(coordinator) == {cases["mine"].number, cases["team"].number, cases["police"].number}
    caseworker = case_list(world.users["caseworker"], scope="all")
    assert caseworker.scope == "institution"
    assert numbers(caseworker) == {cases["mine"].number, cases["team"].number}


def test_restricted_case_is_listed_only_for_assigned_staff(world, cases):
    assert numbers(case_list(world.users["police_caseworker"], scope="mine")) == {cases["restricted"].number}
    for scope in ("mine", "institution", "all"):
        assert cases["restricted"].number not in numbers(case_list(world.users["coordinator"], scope=scope))
        assert cases["restricted"].number not in numbers(case_list(world.users["caseworker"], scope=scope))


@pytest.mark.parametrize("role", ["official", "institution_admin"])
def test_roles_without_case_access_see_no_case(world, cases, role):
    for scope in ("mine", "institution", "all", "shared"):
        assert case_list(world.users[role], scope=scope).cases == []


def test_platform_admin_sees_no_case(world, cases):
    assert case_list(world.platform_admin, scope="all").cases == []


def test_shared_tab_lists_cases_shared_by_a_grant_and_nothing_else(world, cases):
    user = world.users["caseworker"]
    other = cases["other"]
    grant_object_permission(
        grant_model=CaseUserGrant, obj=other, codename="view_case", user=user,
        granted_by=world.users["other_municipality"]["caseworker"], reason="Upućivanje (test)",
    )
    user.refresh_access()
    assert numbers(case_list(user, scope="shared")) == {other.number}
    # The shared case stays out of the scoped lists (it is a separate branch).
    assert other.number not in numbers(case_list(user, scope="institution"))
    assert other.number not in numbers(case_list(user, scope="all"))


def test_expired_grant_is_not_listed(world, cases):
    user = world.users["caseworker"]
    grant_object_permission(
        grant_model=CaseUserGrant, obj=cases["other"], codename="view_case", user=user,
        granted_by=world.users["other_municipality"]["caseworker"], reason="Upućivanje (test)",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    user.refresh_access()
    assert case_list(user, scope="shared").cases == []


def test_filters(world, cases):
    coordinator = world.users["coordinator"]

    def listed(**filters):
        return numbers(case_list(coordinator, scope="all", **filters))

    assert listed(status=CaseStatus.ACTIVE_PROTECTION) == {cases["mine"].number}
    assert listed(status=[CaseStatus.ACTIVE_PROTECTION, CaseStatus.REPORTED]) == {
        cases["mine"].number, cases["team"].number, cases["police"].number,
    }
    assert listed(risk_level=RiskLevel.LOW) == {cases["team"].number}
    assert listed(form=ViolenceForm.PSYCHOLOGICAL) == {cases["mine"].number}
    assert listed(form=ViolenceForm.SEXUAL) == set()
    today = timezone.localdate()
    assert listed(reported_from=today - timedelta(days=11), reported_to=today - timedelta(days=5)) == {cases["team"].number}
    assert listed(reported_from=today - timedelta(days=1)) == {cases["mine"].number}
    assert listed(reported_to=today - timedelta(days=15)) == {cases["police"].number}
    # Institution: leading or taking part.
    assert listed(institution=world.police_a) == {cases["team"].number, cases["police"].number}
    assert listed(institution=world.csr_a.pk) == {cases["mine"].number, cases["team"].number}


def test_filter_by_institution_never_widens_the_scope(world, cases):
    assert case_list(world.users["caseworker"], scope="institution", institution=world.csr_b).cases == []


def test_rows_carry_the_forms_of_violence(world, cases):
    page = case_list(world.users["caseworker"], scope="mine")
    assert page.cases[0].violence_forms == [ViolenceForm.PHYSICAL, ViolenceForm.PSYCHOLOGICAL]
    assert page.cases[0].lead_institution.name == world.csr_a.name


@pytest.mark.parametrize(
    "filters,field",
    [
        ({"status": "lost"}, "status"),
        ({"risk_level": "extreme"}, "risk_level"),
        ({"form": "verbal"}, "form"),
        ({"institution": "abc"}, "institution"),
        ({"scope": "everything"}, "scope"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(world, cases, filters, field):
    with pytest.raises(ValidationError) as exc:
        case_list(world.users["coordinator"], **filters)
    assert field in exc.value.message_dict


def test_period_end_before_start_is_refused(world, cases):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        case_list(world.users["coordinator"], scope="all", reported_from=today, reported_to=today - timedelta(days=1))
    assert "reported_to" in exc.value.message_dict


def test_keyset_pagination_walks_every_case_once_newest_first(world):
    user = world.users["coordinator"]
    same_moment = _days_ago(5)
    made = [make_case(institution=world.csr_a, opened_by=user, reported_at=same_moment) for _ in range(4)]
    made += [make_case(institution=world.csr_a, opened_by=user, reported_at=_days_ago(n)) for n in (1, 2, 8)]
    seen, cursor, pages = [], None, 0
    while True:
        page = case_list(user, scope="all", page_size=3, cursor=cursor)
        pages += 1
        seen.extend(page.cases)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert sorted(c.pk for c in seen) == sorted(c.pk for c in made)
    keys = [(c.reported_at, c.pk) for c in seen]
    assert keys == sorted(keys, reverse=True)


def test_cursor_is_opaque_and_a_damaged_one_is_refused(world, cases):
    user = world.users["coordinator"]
    page = case_list(user, scope="all", page_size=1)
    assert page.next_cursor and str(cases["mine"].pk) not in page.next_cursor
    with pytest.raises(ValidationError) as exc:
        case_list(user, scope="all", cursor="not-a-cursor!")
    assert "cursor" in exc.value.message_dict


def test_cases_shown_are_audited_as_read(world, cases):
    user = world.users["caseworker"]
    case_list(user, scope="institution")
    audited = set(
        AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="cases.case", actor=user).values_list(
            "object_id", flat=True
        )
    )
    assert audited == {str(cases["mine"].pk), str(cases["team"].pk)}


def _queries(user, **kwargs) -> tuple[int, int]:
    user.refresh_access()
    with CaptureQueriesContext(connection) as ctx:
        page = case_list(user, **kwargs)
    return len(ctx.captured_queries), len(page.cases)


def test_query_count_is_the_same_for_5_and_50_rows(world):
    user = world.users["coordinator"]
    police_user = world.users["police_caseworker"]

    def make(n):
        for _ in range(n):
            c = make_case(institution=world.csr_a, opened_by=user)
            join(c, world.police_a, added_by=user)
            incident(c, forms=[ViolenceForm.PHYSICAL], recorded_by=police_user)
            incident(c, forms=[ViolenceForm.ECONOMIC], recorded_by=police_user)

    make(5)
    small, rows_small = _queries(user, scope="all", page_size=50)
    make(45)
    large, rows_large = _queries(user, scope="all", page_size=50)
    assert (rows_small, rows_large) == (5, 50)
    assert small == large
    filtered, _rows = _queries(user, scope="institution", page_size=50, form=ViolenceForm.PHYSICAL, institution=world.police_a)
    assert filtered == large


def test_queryset_is_built_without_guardian(world, cases):
    sql = str(case_queryset(world.users["caseworker"], scope="institution").query)
    assert "guardian" not in sql
    assert "caseusergrant" not in sql.lower()
    assert Case.objects.count() == 5
