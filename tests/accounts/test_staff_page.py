"""The staff page: each admin sees and manages only their institutions' people; others get 404."""
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.invitations import invitation_create
from apps.accounts.models import Invitation, Membership
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from tests.factories import member


@pytest.fixture
def invitations(world, admin_a):
    """A pending invitation in each institution."""
    return {
        "csr_a": invitation_create(email="poziv.csr.a@test.kzn.example", institution=world.csr_a, role=Role.CASEWORKER, invited_by=admin_a),
        "police_a": invitation_create(email="poziv.policija.a@test.kzn.example", institution=world.police_a, role=Role.CASEWORKER),
        "csr_b": invitation_create(email="poziv.csr.b@test.kzn.example", institution=world.csr_b, role=Role.CASEWORKER),
    }


def _membership(user, institution):
    return Membership.objects.get(user=user, institution=institution)


def test_admin_sees_own_institution_only(verified_client, world, admin_a, invitations, english):
    client = verified_client(admin_a)
    response = client.get(reverse("accounts:staff"))
    assert response.status_code == 200
    html = response.content.decode()
    for role in Role.values:
        assert world.users[role].email in html
    assert world.users["police_caseworker"].email not in html  # same municipality, other institution
    for other in world.users["other_municipality"].values():  # other municipality
        assert other.email not in html
    assert "poziv.csr.a@test.kzn.example" in html
    assert "poziv.policija.a@test.kzn.example" not in html
    assert "poziv.csr.b@test.kzn.example" not in html
    assert "Pending" in html
    members = {m.institution_id for m in response.context["members_page"]}
    assert members == {world.csr_a.pk}


def test_invitation_statuses_are_shown_and_filterable(verified_client, world, admin_a, english):
    from datetime import timedelta

    from django.utils import timezone

    from apps.accounts.invitations import invitation_revoke

    pending = invitation_create(email="ceka@test.kzn.example", institution=world.csr_a, role=Role.CASEWORKER)
    expired = invitation_create(email="istekao@test.kzn.example", institution=world.csr_a, role=Role.CASEWORKER)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked = invitation_create(email="povucen@test.kzn.example", institution=world.csr_a, role=Role.CASEWORKER)
    invitation_revoke(invitation=revoked, revoked_by=admin_a)
    accepted = invitation_create(email="prihvacen@test.kzn.example", institution=world.csr_a, role=Role.CASEWORKER)
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    client = verified_client(admin_a)

    html = client.get(reverse("accounts:staff")).content.decode()
    for word in ("Pending", "Expired", "Revoked", "Accepted"):
        assert word in html
    for status, invitation in (("pending", pending), ("expired", expired), ("revoked", revoked), ("accepted", accepted)):
        page = client.get(reverse("accounts:staff"), {"invitation_status": status})
        assert [i.pk for i in page.context["invitations_page"]] == [invitation.pk]


def test_platform_admin_sees_all_and_filters_by_municipality_and_institution(verified_client, world, invitations):
    client = verified_client(world.platform_admin)
    response = client.get(reverse("accounts:staff"))
    assert response.status_code == 200
    institutions = {m.institution_id for m in response.context["members_page"]}
    assert {world.csr_a.pk, world.police_a.pk, world.csr_b.pk} <= institutions
    assert len(response.context["invitations_page"]) == 3

    response = client.get(reverse("accounts:staff"), {"municipality": world.mun_b.pk})
    assert {m.municipality_id for m in response.context["members_page"]} == {world.mun_b.pk}
    assert [i.pk for i in response.context["invitations_page"]] == [invitations["csr_b"].pk]

    response = client.get(reverse("accounts:staff"), {"institution": world.police_a.pk})
    assert {m.institution_id for m in response.context["members_page"]} == {world.police_a.pk}


def test_admin_cannot_filter_into_another_institution(verified_client, world, admin_a):
    client = verified_client(admin_a)
    response = client.get(reverse("accounts:staff"), {"institution": world.csr_b.pk})
    assert "institution" in response.context["filter_form"].errors
    assert {m.institution_id for m in response.context["members_page"]} == {world.csr_a.pk}
    assert "municipality" not in response.context["filter_form"].fields


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICIAL])
def test_staff_page_is_only_for_admins(verified_client, world, role):
    client = verified_client(world.users[role])
    assert client.get(reverse("accounts:staff")).status_code == 404


@pytest.mark.django_db  # every request opens its transaction (row-level security context)
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:staff"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _foreign_admins(world, police_admin):
    return {
        "other institution": police_admin,
        "other municipality": world.users["other_municipality"][Role.INSTITUTION_ADMIN],
    }


@pytest.mark.parametrize("who", ["other institution", "other municipality"])
def test_foreign_admin_gets_404_on_every_action(verified_client, world, invitations, police_admin, who):
    stranger = _foreign_admins(world, police_admin)[who]
    target = world.users[Role.CASEWORKER]
    membership = _membership(target, world.csr_a)
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    client = verified_client(stranger)

    urls = [
        reverse("accounts:invitation_revoke", args=[invitations["csr_a"].pk]),
        reverse("accounts:membership_end", args=[membership.pk]),
        reverse("accounts:totp_reset", args=[membership.pk]),
    ]
    for url in urls:
        assert client.post(url).status_code == 404, url

    invitations["csr_a"].refresh_from_db()
    assert invitations["csr_a"].revoked_at is None
    membership.refresh_from_db()
    assert membership.is_active
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    html = client.get(reverse("accounts:staff")).content.decode()
    assert target.email not in html
    assert "poziv.csr.a@test.kzn.example" not in html


def test_actions_answer_only_post(verified_client, admin_a, invitations):
    client = verified_client(admin_a)
    assert client.get(reverse("accounts:invitation_revoke", args=[invitations["csr_a"].pk])).status_code == 405


def test_revoke_a_pending_invitation(verified_client, admin_a, invitations):
    client = verified_client(admin_a)
    invitation = invitations["csr_a"]
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert AuditEntry.objects.filter(
        action=AuditAction.INVITATION_REVOKED, object_type="accounts.invitation", object_id=str(invitation.pk), actor=admin_a
    ).exists()


def test_end_a_membership(verified_client, world, admin_a):
    from apps.municipalities.services import role_group

    target = world.users[Role.SUPERVISOR]
    membership = _membership(target, world.csr_a)
    client = verified_client(admin_a)
    response = client.post(reverse("accounts:membership_end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active and membership.ended_at is not None
    assert not target.groups.filter(pk=role_group(world.mun_a, Role.SUPERVISOR).pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_ENDED, object_id=str(membership.pk), actor=admin_a).exists()
    # Ended memberships stay visible under "Ended".
    page = client.get(reverse("accounts:staff"), {"status": "ended"})
    assert [m.pk for m in page.context["members_page"]] == [membership.pk]


def test_admin_cannot_end_own_membership(verified_client, world, admin_a):
    membership = _membership(admin_a, world.csr_a)
    client = verified_client(admin_a)
    client.post(reverse("accounts:membership_end", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.is_active


def test_reset_a_members_second_factor(verified_client, world, admin_a, client):
    target = world.users[Role.CASEWORKER]
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    admin = verified_client(admin_a)
    response = admin.post(reverse("accounts:totp_reset", args=[_membership(target, world.csr_a).pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert AuditEntry.objects.filter(action=AuditAction.OTP_REMOVED, actor=admin_a, details__user=target.pk).exists()


def test_admin_of_two_institutions_sees_both(verified_client, world, police_admin):
    from apps.accounts.services import membership_create

    membership_create(user=police_admin, institution=world.csr_a, role=Role.INSTITUTION_ADMIN)
    client = verified_client(police_admin)
    response = client.get(reverse("accounts:staff"))
    assert {m.institution_id for m in response.context["members_page"]} == {world.csr_a.pk, world.police_a.pk}
    response = client.get(reverse("accounts:staff"), {"institution": world.police_a.pk})
    assert {m.institution_id for m in response.context["members_page"]} == {world.police_a.pk}


def test_staff_page_pages_through_many_members(verified_client, world, admin_a):
    for _ in range(55):
        member(Role.CASEWORKER, world.csr_a)
    client = verified_client(admin_a)
    first = client.get(reverse("accounts:staff"))
    assert len(first.context["members_page"]) == 50
    second = client.get(reverse("accounts:staff"), {"page": 2})
    assert len(second.context["members_page"]) == 10
    assert not {m.pk for m in first.context["members_page"]} & {m.pk for m in second.context["members_page"]}


def test_home_card_links_to_staff(verified_client, admin_a):
    html = verified_client(admin_a).get(reverse("core:home")).content.decode()
    assert reverse("accounts:staff") in html
