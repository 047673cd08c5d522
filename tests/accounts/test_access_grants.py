"""Nobody gives themselves access to cases; platform admins never read cases; every new access to cases
is shown to the municipality's coordinators (work queue, e-mail) and on the "New access" list."""
import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.accounts.invitations import invitation_accept, invitation_create
from apps.accounts.models import AccessNotice, Invitation, Membership
from apps.accounts.services import membership_create
from apps.core.choices import Role
from apps.municipalities.onboarding import (
    AdminSpec,
    InstitutionSpec,
    MunicipalitySpec,
    OnboardingSpec,
    onboard_municipality,
)
from tests.factories import UserFactory

from .conftest import run_queued_tasks

MEMBERSHIPS = "/api/v1/memberships/"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the msgids)."""
    with translation.override("en"):
        yield


def _api(user) -> APIClient:
    _instance, key = AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def _case_roles(user) -> set:
    return set(
        Membership.objects.filter(user=user, is_active=True, role__in=[Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR])
        .values_list("role", flat=True)
    )


# --- the API --------------------------------------------------------------------------------------


def test_platform_admin_cannot_make_itself_a_caseworker_over_the_api(world):
    admin = world.platform_admin
    response = _api(admin).post(MEMBERSHIPS, {"user": admin.pk, "institution": world.csr_a.pk, "role": Role.CASEWORKER})
    assert response.status_code == 400
    assert "user" in response.json()
    assert "themselves" in str(response.json()["user"])
    assert _case_roles(admin) == set()


def test_institution_admin_cannot_make_itself_a_coordinator_over_the_api(world):
    admin = world.users[Role.INSTITUTION_ADMIN]
    response = _api(admin).post(MEMBERSHIPS, {"user": admin.pk, "institution": world.csr_a.pk, "role": Role.COORDINATOR})
    assert response.status_code == 400
    assert "themselves" in str(response.json()["user"])
    assert _case_roles(admin) == set()


def test_a_platform_admin_is_never_given_a_case_role_by_someone_else(world):
    other_admin = UserFactory(is_platform_admin=True)
    response = _api(world.platform_admin).post(
        MEMBERSHIPS, {"user": other_admin.pk, "institution": world.csr_a.pk, "role": Role.SUPERVISOR}
    )
    assert response.status_code == 400
    assert "platform admin cannot hold a role that reads cases" in str(response.json()["role"])
    assert _case_roles(other_admin) == set()
    # A role that does not read cases stays possible (e.g. institution admin of a new municipality).
    response = _api(world.platform_admin).post(
        MEMBERSHIPS, {"user": other_admin.pk, "institution": world.csr_a.pk, "role": Role.INSTITUTION_ADMIN}
    )
    assert response.status_code == 201


def test_own_membership_role_cannot_be_changed_over_the_api(world):
    admin = world.users[Role.INSTITUTION_ADMIN]
    own = admin.memberships.get()
    client = _api(admin)
    for method in (client.patch, client.put):
        response = method(f"{MEMBERSHIPS}{own.pk}/", {"role": Role.COORDINATOR}, format="json")
        assert response.status_code == 405
    own.refresh_from_db()
    assert own.role == Role.INSTITUTION_ADMIN


def test_legitimate_grant_tells_the_coordinators(world, django_capture_on_commit_callbacks):
    admin = world.users[Role.INSTITUTION_ADMIN]
    newcomer = UserFactory(email="nova.saradnica@test.kzn.example", first_name="Nova", last_name="Saradnica")
    # The institution admin knows the newcomer through a membership it manages.
    membership_create(user=newcomer, institution=world.csr_a, role=Role.OFFICIAL, created_by=admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _api(admin).post(
            MEMBERSHIPS, {"user": newcomer.pk, "institution": world.csr_a.pk, "role": Role.CASEWORKER}
        )
    assert response.status_code == 201, response.content
    run_queued_tasks(callbacks)

    notice = AccessNotice.objects.get(user=newcomer, role=Role.CASEWORKER)
    assert (notice.municipality_id, notice.institution_id, notice.granted_by_id) == (world.mun_a.pk, world.csr_a.pk, admin.pk)
    coordinator = world.users[Role.COORDINATOR]
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    body = mail.outbox[0].body
    assert "nova.saradnica@test.kzn.example" in body and world.csr_a.name in body and admin.email in body
    assert "/accounts/new-access/" in body
    # The other municipality's coordinator is not told.
    assert world.users["other_municipality"][Role.COORDINATOR].email not in str([m.to for m in mail.outbox])


# --- pages: invitations, CSV, acceptance ----------------------------------------------------------


@pytest.fixture
def admin_client(verified_client, world, client):
    client.cookies["kzn_language"] = "en"
    return verified_client(world.users[Role.INSTITUTION_ADMIN])


def test_staff_page_refuses_an_invitation_to_ones_own_address(world, admin_client):
    admin = world.users[Role.INSTITUTION_ADMIN]
    response = admin_client.post(reverse("accounts:staff_invite"), {
        "email": admin.email.upper(), "role": Role.COORDINATOR, "institution": world.csr_a.pk,
    })
    assert response.status_code == 200
    assert "themselves" in str(response.context["form"].errors["email"])
    assert not Invitation.objects.filter(email__iexact=admin.email).exists()


def test_staff_page_refuses_a_case_role_for_a_platform_admin(world, verified_client, client):
    client.cookies["kzn_language"] = "en"
    second_admin = UserFactory(is_platform_admin=True, email="druga.admin@test.kzn.example")
    response = verified_client(world.platform_admin).post(reverse("accounts:staff_invite"), {
        "email": second_admin.email, "role": Role.CASEWORKER, "institution": world.csr_a.pk,
    })
    assert response.status_code == 200
    assert "platform admin cannot hold a role that reads cases" in str(response.context["form"].errors["role"])
    assert not Invitation.objects.filter(email=second_admin.email).exists()


def test_csv_row_with_the_uploaders_own_address_refuses_the_file(world, admin_client):
    admin = world.users[Role.INSTITUTION_ADMIN]
    second_admin = UserFactory(is_platform_admin=True, email="treca.admin@test.kzn.example")
    text = (
        "email;first_name;last_name;role\n"
        "petra.primer@test.kzn.example;Petra;Primer;caseworker\n"
        f"{admin.email};Ja;Sam;coordinator\n"
        f"{second_admin.email};Ana;Admin;supervisor\n"
    )
    response = admin_client.post(reverse("accounts:staff_invite_csv"), {
        "file": SimpleUploadedFile("osoblje.csv", text.encode(), content_type="text/csv"),
        "institution": world.csr_a.pk,
    })
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert "Row 3, column email: this is your own address" in errors
    assert "Row 4, column role: this person is a platform admin" in errors
    assert not Invitation.objects.filter(municipality=world.mun_a).exists()  # the file is refused whole


def test_invitation_to_ones_own_address_cannot_be_accepted(world):
    """Even an invitation made before the rule (or by a path that skipped the form) gives nothing."""
    admin = world.users[Role.INSTITUTION_ADMIN]
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        municipality=world.mun_a, institution=world.csr_a, role=Role.COORDINATOR, email=admin.email,
        token_hash=token_hash, expires_at=timezone.now() + datetime.timedelta(days=3), invited_by=admin,
    )
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, password="", first_name="", last_name="")
    assert _case_roles(admin) == set()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invitation_accept_page_refuses_a_platform_admin_in_a_case_role(world, client):
    """A case-role invitation sent to an address that has since become a platform admin."""
    invitation = invitation_create(
        email="buduci.admin@test.kzn.example", institution=world.csr_a, role=Role.CASEWORKER,
        invited_by=world.users[Role.INSTITUTION_ADMIN],
    )
    token, token_hash = Invitation.new_token()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash)
    future_admin = UserFactory(email="buduci.admin@test.kzn.example", is_platform_admin=True)
    future_admin.set_password("Sigurna-lozinka-2026")
    future_admin.save()
    client.cookies["kzn_language"] = "en"
    page = client.get(reverse("accounts:invitation_accept", kwargs={"token": token}), follow=True)
    response = client.post(page.redirect_chain[-1][0], {"password": "Sigurna-lozinka-2026"})
    assert response.status_code == 200
    assert "platform admin cannot hold a role that reads cases" in response.content.decode()
    assert _case_roles(future_admin) == set()


def test_legitimate_invitation_acceptance_notifies_coordinators(world, django_capture_on_commit_callbacks):
    invitation = invitation_create(
        email="nova.radnica@test.kzn.example", institution=world.csr_a, role=Role.SUPERVISOR,
        invited_by=world.users[Role.INSTITUTION_ADMIN],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = invitation_accept(invitation=invitation, password="Sigurna-lozinka-2026", first_name="Nova", last_name="Radnica")
    run_queued_tasks(callbacks)
    assert AccessNotice.objects.filter(user=user, role=Role.SUPERVISOR, granted_by=world.users[Role.INSTITUTION_ADMIN]).exists()
    assert [m.to for m in mail.outbox] == [[world.users[Role.COORDINATOR].email]]


# --- onboarding and the platform-admin command ------------------------------------------------------


def test_onboarding_refuses_the_onboarding_admin_as_institution_admin(world):
    admin = world.platform_admin
    spec = OnboardingSpec(
        municipality=MunicipalitySpec(name="Samograd", name_cyrl="Самоград", code="SMG", slug="samograd"),
        institutions=(InstitutionSpec(key="csr", type="csr", name="CSR Samograd (demo)"),),
        admins=(AdminSpec(email=admin.email, institution_key="csr"),),
    )
    with pytest.raises(ValidationError) as caught:
        onboard_municipality(spec=spec, onboarded_by=admin)
    assert admin.email in str(caught.value.messages)
    assert not Invitation.objects.filter(email=admin.email).exists()


def test_a_caseworker_is_not_promoted_to_platform_admin(world):
    caseworker = world.users[Role.CASEWORKER]
    with pytest.raises(CommandError, match="reads cases"):
        call_command("create_platform_admin", "--email", caseworker.email, "--no-input")
    caseworker.refresh_from_db()
    assert not caseworker.is_platform_admin


# --- the coordinators' work queue and the "New access" list -----------------------------------------


def _grant_by_admin(world, email="nova.osoba@test.kzn.example", role=Role.CASEWORKER, institution=None):
    person = UserFactory(email=email, first_name="Nova", last_name="Osoba")
    membership_create(user=person, institution=institution or world.csr_a, role=role, created_by=world.platform_admin)
    return person


def test_coordinators_work_queue_shows_the_new_access(world, verified_client, client):
    client.cookies["kzn_language"] = "en"
    _grant_by_admin(world)
    page = verified_client(world.users[Role.COORDINATOR]).get(reverse("cases:work_queue")).content.decode()
    assert "New access to cases" in page and "nova.osoba@test.kzn.example" in page
    assert reverse("accounts:access_notices") in page


def test_other_municipalitys_coordinator_sees_nothing_of_it(world, verified_client, client):
    client.cookies["kzn_language"] = "en"
    _grant_by_admin(world)
    other = world.users["other_municipality"][Role.COORDINATOR]
    client = verified_client(other)
    assert "nova.osoba@test.kzn.example" not in client.get(reverse("cases:work_queue")).content.decode()
    listing = client.get(reverse("accounts:access_notices"))
    assert listing.status_code == 200 and "nova.osoba@test.kzn.example" not in listing.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.INSTITUTION_ADMIN])
def test_new_access_list_for_coordinators_and_institution_admins(world, verified_client, client, role):
    _grant_by_admin(world)
    grantee_b = _grant_by_admin(world, email="druga.osoba@test.kzn.example", institution=world.csr_b)
    page = verified_client(world.users[role]).get(reverse("accounts:access_notices")).content.decode()
    assert "nova.osoba@test.kzn.example" in page
    assert grantee_b.email not in page and world.csr_b.name not in page


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SUPERVISOR, Role.OFFICIAL])
def test_new_access_list_is_404_for_others(world, verified_client, role):
    assert verified_client(world.users[role]).get(reverse("accounts:access_notices")).status_code == 404


def test_new_access_list_filters_by_date(world, verified_client):
    person = _grant_by_admin(world)
    AccessNotice.objects.filter(user=person).update(created_at=timezone.now() - datetime.timedelta(days=40))
    recent = _grant_by_admin(world, email="svezi.clan@test.kzn.example")
    client = verified_client(world.users[Role.COORDINATOR])
    since = (timezone.localdate() - datetime.timedelta(days=10)).strftime("%d.%m.%Y")
    page = client.get(reverse("accounts:access_notices"), {"date_from": since}).content.decode()
    assert recent.email in page and person.email not in page
    until = (timezone.localdate() - datetime.timedelta(days=30)).strftime("%d.%m.%Y")
    page = client.get(reverse("accounts:access_notices"), {"date_to": until}).content.decode()
    assert person.email in page and recent.email not in page


def test_migration_ends_case_roles_platform_admins_already_hold(world):
    """What the penetration test left behind: a platform admin holding a caseworker membership."""
    import importlib

    from django.apps import apps

    from apps.institutions.services import sync_staff_group
    from apps.municipalities.services import role_group

    admin = world.platform_admin
    held = Membership.objects.create(user=admin, institution=world.csr_a, municipality=world.mun_a, role=Role.COORDINATOR)
    admin.groups.add(role_group(world.mun_a, Role.COORDINATOR))
    sync_staff_group(user=admin, institution=world.csr_a)
    kept = Membership.objects.create(
        user=admin, institution=world.police_a, municipality=world.mun_a, role=Role.INSTITUTION_ADMIN
    )
    migration = importlib.import_module("apps.accounts.migrations.0005_end_platform_admin_case_roles")
    migration.end_platform_admin_case_roles(apps, None)

    held.refresh_from_db()
    kept.refresh_from_db()
    assert not held.is_active and held.ended_at is not None
    assert kept.is_active
    assert not admin.groups.filter(name__in=[f"municipality-{world.mun_a.pk}:coordinator",
                                             f"institution-{world.csr_a.pk}:staff"]).exists()


def test_a_case_role_that_slipped_into_the_database_gives_a_platform_admin_no_case(world):
    """The second wall: the access context ignores case roles and the case-wide grant of platform admins."""
    from apps.accounts.models import User
    from apps.cases.models import Case
    from apps.institutions.services import sync_staff_group
    from apps.municipalities.services import role_group
    from tests.cases.factories_measures import make_case

    case = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
    admin = world.platform_admin
    Membership.objects.create(user=admin, institution=world.csr_a, municipality=world.mun_a, role=Role.COORDINATOR)
    admin.groups.add(role_group(world.mun_a, Role.COORDINATOR))
    sync_staff_group(user=admin, institution=world.csr_a)
    admin = User.objects.get(pk=admin.pk)
    assert not Case.objects.visible_to(admin).filter(pk=case.pk).exists()
    assert not Case.objects.listed_for(admin).exists()
    coordinator = User.objects.get(pk=world.users[Role.COORDINATOR].pk)
    assert Case.objects.visible_to(coordinator).filter(pk=case.pk).exists()  # the same rows give a coordinator the case
