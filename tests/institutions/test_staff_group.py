"""An institution's staff group follows its memberships, so cases shared with the institution reach new staff."""
import pytest

from apps.accounts.services import membership_create, membership_end
from apps.core.choices import Role
from apps.institutions.services import staff_group_name
from tests.factories import InstitutionFactory, UserFactory


@pytest.mark.django_db
def test_case_staff_join_and_leave_the_staff_group():
    institution = InstitutionFactory()
    caseworker = UserFactory()
    membership = membership_create(user=caseworker, institution=institution, role=Role.CASEWORKER)
    group_name = staff_group_name(institution.pk)
    assert caseworker.groups.filter(name=group_name).exists()
    membership_end(membership=membership, ended_by=None)
    assert not caseworker.groups.filter(name=group_name).exists()


@pytest.mark.django_db
def test_officials_and_admins_never_join_the_staff_group():
    institution = InstitutionFactory()
    official, admin = UserFactory(), UserFactory()
    membership_create(user=official, institution=institution, role=Role.OFFICIAL)
    membership_create(user=admin, institution=institution, role=Role.INSTITUTION_ADMIN)
    group_name = staff_group_name(institution.pk)
    assert not official.groups.filter(name=group_name).exists()
    assert not admin.groups.filter(name=group_name).exists()
