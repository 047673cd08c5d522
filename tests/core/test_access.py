"""The access core: visible_to(), 404 for what a user may not see, municipality-wide grants."""
import pytest
from django.db import connection, transaction

from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality


@pytest.mark.django_db
def test_members_see_only_their_municipalities(world):
    caseworker = world.users[Role.CASEWORKER]
    assert set(Municipality.objects.visible_to(caseworker)) == {world.mun_a}
    assert world.csr_b not in Institution.objects.visible_to(caseworker)
    assert set(Institution.objects.visible_to(caseworker)) == {world.csr_a, world.police_a}


@pytest.mark.django_db
def test_anonymous_and_roleless_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    assert not Institution.objects.visible_to(AnonymousUser()).exists()
    assert not Institution.objects.visible_to(UserFactory()).exists()


@pytest.mark.django_db
def test_platform_admin_sees_all_municipalities(world):
    assert Municipality.objects.visible_to(world.platform_admin).count() == 2


@pytest.mark.django_db
def test_municipality_wide_grants_follow_role_groups(world):
    coordinator = world.users[Role.COORDINATOR]
    caseworker = world.users[Role.CASEWORKER]
    assert coordinator.access.municipalities_with("view_municipality_cases") == {world.mun_a.pk}
    assert caseworker.access.municipalities_with("view_municipality_cases") == frozenset()
    official = world.users[Role.OFFICIAL]
    assert official.access.has_municipality_perm(world.mun_a.pk, "view_municipality_aggregates")
    assert not official.access.has_municipality_perm(world.mun_b.pk, "view_municipality_aggregates")


@pytest.mark.django_db
def test_guardian_checker_agrees_with_municipality_grants(world):
    from guardian.core import ObjectPermissionChecker

    coordinator = world.users[Role.COORDINATOR]
    checker = ObjectPermissionChecker(coordinator)
    checker.prefetch_perms([world.mun_a, world.mun_b])
    assert checker.has_perm("view_municipality_cases", world.mun_a)
    assert not checker.has_perm("view_municipality_cases", world.mun_b)


@pytest.mark.django_db
def test_other_municipality_object_is_404(world, verified_client):
    client = verified_client(world.users[Role.CASEWORKER])
    assert client.get(f"/institutions/{world.csr_a.pk}/").status_code == 200
    assert client.get(f"/institutions/{world.csr_b.pk}/").status_code == 404
    assert client.get(f"/municipalities/{world.mun_b.slug}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_audit_log_is_append_only_in_the_database(world):
    entry = audit_log(action=AuditAction.VIEW, actor=world.platform_admin, obj=world.mun_a)
    with pytest.raises(Exception) as update_error, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET action = 'login' WHERE id = %s", [entry.pk])
    assert "append-only" in str(update_error.value)
    with pytest.raises(Exception) as delete_error, transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert "append-only" in str(delete_error.value)
    assert AuditEntry.objects.filter(pk=entry.pk, action="view").exists()
