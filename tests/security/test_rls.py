"""Row-level security, the second wall: what PostgreSQL itself refuses when the application forgets.

The tests switch to the application role as the app does (SET LOCAL ROLE inside a transaction): the
test login is a superuser, and a superuser bypasses row-level security.
"""
import pytest
from celery import shared_task
from django.apps import apps
from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

from apps.cases.models import Case
from apps.core import rls_schema, tenancy
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.core.tenancy_hooks import HEADER, _stamp_message
from tests.cases.factories import open_case

ROLE = "kzn_app"


# --- a view and a task written without visible_to ---------------------------------------------------
def leaky_detail(request, pk):
    """A view that forgot ``visible_to``: any case by id."""
    case = get_object_or_404(Case.objects.all(), pk=pk)
    return JsonResponse({"id": case.pk})


def leaky_list(request):
    """A list that forgot ``visible_to``: every case."""
    return JsonResponse({"ids": sorted(Case.objects.values_list("pk", flat=True))})


urlpatterns = [
    path("rls-test/case/<int:pk>/", leaky_detail),
    path("rls-test/cases/", leaky_list),
    path("", include("config.urls")),
]


@shared_task(name="tests.rls.case_municipalities")
def case_municipalities():
    """A task that forgot ``visible_to``: the municipalities of every case."""
    return sorted(set(Case.objects.values_list("municipality_id", flat=True)))


# --- helpers -----------------------------------------------------------------------------------------
@pytest.fixture
def cases(world):
    """One case in each municipality."""
    a = open_case(world.users[Role.CASEWORKER])
    b = open_case(world.users["other_municipality"][Role.CASEWORKER])
    return a, b


def count_as_app_role(table: str) -> int:
    """Rows of ``table`` visible to the app role with no tenant setting (a savepoint, undone after)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('role', %s, true)", [ROLE])
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        count = cursor.fetchone()[0]
        transaction.set_rollback(True)
    return count


def tenant_models():
    """Every concrete model with a municipality column, and the municipality model, from Django."""
    found = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.column == "municipality_id":
                found.add(model._meta.db_table)
                if field.is_relation:
                    found.add(field.related_model._meta.db_table)
    return found


# --- the schema --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_every_tenant_table_has_enabled_forced_row_security_and_the_policy():
    tables = {t.name for t in rls_schema.tenant_tables()}
    assert tables == tenant_models()
    assert {"cases_case", "municipalities_municipality", "accounts_membership", "conferences_meeting"} <= tables
    states = rls_schema.table_states()
    missing = [name for name in sorted(tables) if not (states.get(name) or (False, False, None))[0:2] == (True, True)]
    assert missing == [], f"tenant tables without ENABLE + FORCE ROW LEVEL SECURITY: {missing}"
    assert rls_schema.out_of_date() == [], "tenant tables whose policy is missing or out of date"


@pytest.mark.django_db
def test_a_table_that_loses_its_policy_is_reported_and_restored_by_the_post_migrate_step():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cases_casenote NO FORCE ROW LEVEL SECURITY")
        cursor.execute("DROP POLICY kzn_tenant ON cases_casenote")
    assert rls_schema.out_of_date() == ["cases_casenote"]

    assert rls_schema.apply_row_security() == ["cases_casenote"]

    assert rls_schema.out_of_date() == []


@pytest.mark.django_db
def test_the_app_role_owns_no_table_and_cannot_bypass_row_security():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [ROLE])
        assert cursor.fetchone() == (False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", [ROLE]
        )
        assert cursor.fetchone()[0] == 0


# --- raw SQL -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_raw_sql_without_the_tenant_setting_reads_no_row_of_any_tenant_table(cases, world):
    AuditEntry.objects.create(action=AuditAction.VIEW, municipality_id=world.mun_a.pk)
    seen_by_owner = {}
    for table in sorted(tenant_models()):
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            seen_by_owner[table] = cursor.fetchone()[0]
        assert count_as_app_role(table) == 0, f"{table}: rows visible with no tenant setting"
    # The data is there: the owner sees it (so the zeros above are the policy's doing).
    for table in ("cases_case", "municipalities_municipality", "institutions_institution",
                  "accounts_membership", "cases_caseparticipant", "core_auditentry"):
        assert seen_by_owner[table] > 0, table


@pytest.mark.django_db
def test_raw_sql_in_a_users_context_reads_only_their_municipality(cases, world):
    a, b = cases
    with tenancy.user_context(world.users[Role.CASEWORKER]), connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == ROLE
        cursor.execute("SELECT id FROM cases_case")
        assert [row[0] for row in cursor.fetchall()] == [a.pk]
        cursor.execute("SELECT DISTINCT municipality_id FROM cases_caseparticipant")
        assert [row[0] for row in cursor.fetchall()] == [world.mun_a.pk]
        # Writing into another municipality is refused as well.
        with pytest.raises(Exception, match="row-level security"), transaction.atomic():
            cursor.execute("UPDATE cases_case SET municipality_id = %s WHERE id = %s", [world.mun_b.pk, a.pk])
    # The context ends with its transaction: the test's login is itself again.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_setting('kzn.user_id', true)")
        assert cursor.fetchone() == ("postgres", "")


# --- a view without visible_to -----------------------------------------------------------------------
@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_visible_to_cannot_return_another_municipalitys_case(cases, world, login):
    a, b = cases
    client = login(world.users[Role.COORDINATOR])

    assert client.get(f"/rls-test/case/{a.pk}/").json() == {"id": a.pk}
    assert client.get(f"/rls-test/case/{b.pk}/").status_code == 404
    assert client.get("/rls-test/cases/").json() == {"ids": [a.pk]}


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_platform_admin_reads_the_directory_but_no_case(cases, world, login):
    client = login(world.platform_admin)

    assert client.get("/rls-test/cases/").json() == {"ids": []}


@pytest.mark.django_db
def test_a_request_states_its_context_in_one_statement(world, login):
    client = login(world.users[Role.COORDINATOR])
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cases/").status_code == 200
    statements = [q["sql"] for q in queries.captured_queries if "set_config" in q["sql"]]
    # One on entering; the test's own transaction (the request is a savepoint in it) adds the
    # statement that gives the test its context back.
    assert len(statements) == 2
    assert "kzn_context(" in statements[0]
    assert "'none'" in statements[1]
    # The same statement returned the user's reach: the access context asks nothing more.
    assert not [q for q in queries.captured_queries if "kzn_user_reach" in q["sql"]]


# --- Celery ------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_task_sent_without_context_sees_nothing_and_with_context_its_municipality(cases, world):
    # A worker runs a message without the header in an empty context, as it runs this one.
    assert case_municipalities.apply(headers={HEADER: {}}).get() == []
    caseworker = world.users[Role.CASEWORKER]
    assert case_municipalities.apply(headers={HEADER: {"user_id": caseworker.pk}}).get() == [world.mun_a.pk]


@pytest.mark.django_db
def test_a_task_queued_in_a_request_carries_its_users_context(world):
    caseworker = world.users[Role.CASEWORKER]
    headers = {}
    _stamp_message(headers=headers)
    assert HEADER not in headers  # nothing queued outside a context speaks for anyone
    with tenancy.user_context(caseworker):
        _stamp_message(headers=headers)
    assert headers[HEADER] == {"user_id": caseworker.pk, "directory": False, "platform": ""}


@pytest.mark.django_db
def test_the_platform_bypass_reads_every_municipality_and_is_audited(cases, world):
    with tenancy.platform("test job"):
        assert case_municipalities() == sorted([world.mun_a.pk, world.mun_b.pk])
    entry = AuditEntry.objects.get(action=AuditAction.PLATFORM)
    assert entry.details == {"job": "test job"}
    assert entry.object_type == "platform"


@pytest.mark.django_db
def test_a_platform_task_runs_in_the_audited_bypass(cases, world, settings):
    settings.TENANCY_PLATFORM_TASKS = {**settings.TENANCY_PLATFORM_TASKS, case_municipalities.name: "rls test"}

    assert case_municipalities.apply(headers={HEADER: {}}).get() == sorted([world.mun_a.pk, world.mun_b.pk])
    assert AuditEntry.objects.filter(action=AuditAction.PLATFORM, details__job="rls test").count() == 1
