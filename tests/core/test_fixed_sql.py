"""Fixed statements: prepared on the server once per connection, still counted and logged, and the
rows they load are the ORM's own (converters applied); off behind a transaction pooler."""
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.access import Access
from apps.accounts.models import User
from apps.core import fixed_sql
from apps.core.choices import Role


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [text for (text,) in cursor.fetchall() if fragment in text]


def test_the_access_context_is_prepared_once_and_still_counted(world):
    user = world.users[Role.CASEWORKER]
    with CaptureQueriesContext(connection) as captured:
        first = Access(user).memberships
        second = Access(user).memberships
    assert first == second and {m.institution_id for m in first} == {world.csr_a.pk}
    assert len(captured.captured_queries) == 2
    # The log shows the statement with its parameters, like every ORM query.
    assert f"kzn_user_reach({user.pk}, " in captured.captured_queries[0]["sql"]
    assert len(_prepared("FROM kzn_user_reach(")) == 1
    # Planned once: every execution uses the generic plan (plan_cache_mode), none is re-planned.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%FROM kzn_user_reach(%"],
        )
        assert cursor.fetchone() == (2, 0)


def test_instances_equal_what_the_orm_loads(world):
    user = world.users[Role.COORDINATOR]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    for model, pk in ((User, user.pk), (TOTPDevice, device.pk)):
        [loaded] = fixed_sql.instances(model, '"id" = %s', [pk])
        expected = model.objects.get(pk=pk)
        for field in model._meta.concrete_fields:
            assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
        assert loaded._state.adding is False
    assert fixed_sql.instances(User, '"id" = %s', [0]) == []


def test_a_verified_session_reads_user_and_device_by_prepared_statements(verified_client, world):
    user = world.users[Role.CASEWORKER]
    client = verified_client(user)
    assert client.get(reverse("core:home")).status_code == 200
    assert _prepared('FROM "accounts_user" WHERE "id" = $1')
    assert _prepared('FROM "otp_totp_totpdevice" WHERE "id" = $1')
    # A device removed after login no longer verifies the session: the next page asks for the code.
    TOTPDevice.objects.filter(user=user).delete()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]


def test_a_deactivated_user_is_logged_out_on_the_next_request(verified_client, world):
    user = world.users[Role.CASEWORKER]
    client = verified_client(user)
    assert client.get(reverse("core:home")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_switched_off_nothing_is_prepared(world):
    with override_settings(FIXED_SQL_PREPARED=False):
        before = len(_prepared("FROM"))
        assert fixed_sql.fetchone("SELECT %s::int + 1", [41]) == (42,)
        assert len(_prepared("FROM")) == before
        assert not _prepared("+ 1")
