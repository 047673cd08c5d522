"""Regression guard for the scale design, on a small generated data set (20,000 cases).

The generated data set is the one ``manage.py seed_scale`` writes for the national benchmark,
only smaller; it is seeded once for this module inside a transaction that is rolled back at the
end. The guards are query counts (fixed whatever the page size) and a ratio against the guardian
baseline (never an absolute time, so a busy CI machine cannot fail them).
"""
import io
import statistics

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.cases.selectors import list_sql, lists
from apps.cases.selectors.search import case_search
from apps.cases.selectors.work_queue import work_queue_for
from benchmarks.subjects import (
    api_client,
    guardian_case_list,
    guardian_queryset,
    pick_subjects,
    verified_client,
)

PAGE = lists.DEFAULT_PAGE_SIZE


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    """Seed 20,000 cases once for the module; everything is rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_scale", cases=20_000, municipalities=12, users=400, seed=3, no_vacuum=True, stdout=out)
            assert "cases 20,000" in out.getvalue()
            yield pick_subjects()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# The statement that states whose transaction it is (row-level security, apps/core/tenancy.py): one per
# request, plus, inside a test's own transaction, the one that gives the test its context back.
TENANT_CONTEXT = "set_config('kzn.user_id'"


def count_queries(call) -> int:
    """The page's own statements (the tenant-context statements are counted by tests/security/test_rls.py)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return sum(1 for query in captured.captured_queries if TENANT_CONTEXT not in query["sql"])


def fresh(user):
    """The same user without the per-request caches (access context, grants)."""
    return type(user).objects.get(pk=user.pk)


def test_generated_data_has_the_national_shape(scale, db):
    from apps.cases.models import Case, CaseGroupGrant

    big = Case.objects.filter(municipality=scale.municipality).count()
    smallest = min(
        Case.objects.filter(municipality_id=m).count()
        for m in Case.objects.values_list("municipality_id", flat=True).distinct()
    )
    assert big > 10 * smallest  # Belgrade-like municipalities dwarf the small ones
    assert CaseGroupGrant.objects.filter(permission__codename="view_case").exists()  # shares from referrals
    assert scale.meeting is not None  # an upcoming case conference to prepare


@pytest.mark.parametrize("scope", ["mine", "institution"])
def test_list_query_count_does_not_depend_on_page_size(scale, db, scope):
    counts = {
        size: count_queries(lambda size=size: lists.case_list(fresh(scale.caseworker), scope=scope, page_size=size))
        for size in (5, PAGE)
    }
    assert counts[5] == counts[PAGE] <= 10, counts


@pytest.mark.parametrize("scope", ["mine", "institution"])
def test_list_page_statement_query_count_does_not_depend_on_page_size(scale, db, scope):
    counts = {
        size: count_queries(lambda size=size: list_sql.case_page(fresh(scale.caseworker), scope=scope, page_size=size))
        for size in (5, PAGE)
    }
    assert counts[5] == counts[PAGE] <= 4, counts  # access context, the page, its audit


def test_api_list_query_count_does_not_depend_on_page_size(scale, db):
    client = api_client(scale.api_user)
    counts = {}
    for size in (5, PAGE):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/cases/?scope=institution&page_size={size}")
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(captured.captured_queries)
    assert counts[5] == counts[PAGE] <= 10, counts


def test_deep_page_costs_the_same_queries_as_the_first(scale, db):
    client = verified_client(scale.caseworker)
    url = reverse("cases:list") + "?scope=institution"
    ordered = lists.case_queryset(scale.caseworker, scope="institution").order_by("-reported_at", "-id")
    cursor = lists.encode_cursor(ordered[10 * PAGE - 1])
    first = count_queries(lambda: client.get(url))
    deep = count_queries(lambda: client.get(f"{url}&cursor={cursor}"))
    assert first == deep <= 10


def test_search_and_work_queue_query_counts_are_fixed(scale, db):
    for query in ("Đorđević", "Ђорђевић", "djordjevic"):
        assert count_queries(lambda query=query: case_search(fresh(scale.caseworker), query)) <= 8
    assert count_queries(lambda: work_queue_for(fresh(scale.caseworker))) <= 12


def test_case_page_query_count(scale, db):
    client = verified_client(scale.caseworker)
    url = reverse("cases:detail", args=[scale.detail_case.pk])
    assert client.get(url).status_code == 200
    # One query per table that holds rows of the case (found by one probe), staff and institutions
    # read once for all of them, registered panels included: 53 before the sections shared their
    # rows, 41 after, 34 with one probe for the tables holding rows of a case with every kind of record;
    # 24 after the case, its relations and the team check became one statement and the page's reads
    # one audit INSERT; 25 with the protocols' "what must I do now" panel (the reader's sectors and the
    # adopted steps in one statement; what the case waits for in one more, only when steps exist).
    assert count_queries(lambda: client.get(url)) <= 25


def _execution_ms(queryset) -> float:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return float(plan[0]["Execution Time"])


def test_scoped_list_stays_several_times_faster_than_guardian(scale, db):
    user = scale.caseworker
    scoped = lists.case_queryset(user, scope="institution").order_by("-reported_at", "-id")[: PAGE + 1]
    baseline = guardian_queryset(user).order_by("-reported_at", "-id")[: PAGE + 1]
    # The baseline is fair: it shows exactly the rows of the scoped list.
    assert [c.pk for c in scoped][:PAGE] == [c.pk for c in guardian_case_list(user, audit=False).cases]
    times = {"scoped": [], "guardian": []}
    for _ in range(3):  # warm both
        _execution_ms(scoped), _execution_ms(baseline)
    for _ in range(15):  # interleaved, so a busy moment hurts both
        times["scoped"].append(_execution_ms(scoped))
        times["guardian"].append(_execution_ms(baseline))
    ratio = statistics.median(times["guardian"]) / statistics.median(times["scoped"])
    assert ratio >= 3, times


def test_list_page_statement_stays_several_times_faster_than_guardian(scale, db):
    """The list page's own statement (list_sql) against the guardian baseline's query of the same rows."""
    user = fresh(scale.caseworker)
    with CaptureQueriesContext(connection) as captured:
        rows = list_sql.page_rows(user, scope="institution", cursor=None, size=PAGE)
    [statement] = [q["sql"] for q in captured.captured_queries if "ORDER BY c.reported_at" in q["sql"]]
    assert [c.pk for c in rows][:PAGE] == [c.pk for c in guardian_case_list(user, audit=False).cases]
    baseline_sql, baseline_params = guardian_queryset(user).order_by("-reported_at", "-id")[: PAGE + 1].query.sql_with_params()

    def execution_ms(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            return float(cursor.fetchone()[0][0]["Execution Time"])

    times = {"page": [], "guardian": []}
    for _ in range(3):
        execution_ms(statement), execution_ms(baseline_sql, baseline_params)
    for _ in range(15):
        times["page"].append(execution_ms(statement))
        times["guardian"].append(execution_ms(baseline_sql, baseline_params))
    ratio = statistics.median(times["guardian"]) / statistics.median(times["page"])
    assert ratio >= 3, times
