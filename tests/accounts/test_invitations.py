"""Invitations: the e-mailed one-time link, accepting it, and every way a link stops working."""
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.invitations import invitation_create, invitation_revoke
from apps.accounts.models import Invitation, Membership, User
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.municipalities.services import role_group
from tests.factories import member

from .conftest import invite_path, run_queued_tasks

NEW_PASSWORD = "Sigurna-lozinka-2026"


@pytest.fixture
def invite(world, admin_a, django_capture_on_commit_callbacks):
    """Invite someone to CSR Testgrad A and deliver the e-mail; returns (invitation, link path)."""

    def make(email="nova.radnica@test.kzn.example", role=Role.CASEWORKER, institution=None):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invitation = invitation_create(
                email=email, institution=institution or world.csr_a, role=role, invited_by=admin_a,
                first_name="Nova", last_name="Radnica", language="en",
            )
        run_queued_tasks(callbacks)
        assert len(mail.outbox) == 1
        return invitation, invite_path(mail.outbox[0].body)

    return make


def _accept_new(client, path, password=NEW_PASSWORD, password2=None):
    page = client.get(path, follow=True)
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else path,
        {"first_name": "Nova", "last_name": "Radnica", "password1": password, "password2": password2 or password},
    )
    return page, response


def test_invitation_email_holds_the_one_time_link(invite, world):
    invitation, path = invite()
    message = mail.outbox[0]
    assert message.to == ["nova.radnica@test.kzn.example"]
    assert world.csr_a.name in message.body
    assert Invitation.find_by_token(path.rstrip("/").rsplit("/", 1)[1]).pk == invitation.pk
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.INVITATION_SENT, object_id=str(invitation.pk)).exists()


def test_token_is_stored_only_as_a_hash(invite):
    invitation, path = invite()
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_accept_page_shows_institution_and_role(invite, english, world):
    _, path = invite()
    response = english.get(path)
    # The token leaves the address bar at once; the page is served from a placeholder address.
    assert response.status_code == 302
    assert response["Referrer-Policy"] == "same-origin"
    assert path.rstrip("/").rsplit("/", 1)[1] not in response["Location"]
    page = english.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert world.csr_a.name in html
    assert "Caseworker" in html
    assert 'name="password1"' in html and 'name="password2"' in html


def test_accept_creates_user_membership_group_and_audit(invite, english, world, admin_a):
    invitation, path = invite()
    _, response = _accept_new(english, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup")

    user = User.objects.get(email="nova.radnica@test.kzn.example")
    assert user.check_password(NEW_PASSWORD)
    assert (user.first_name, user.last_name) == ("Nova", "Radnica")
    membership = Membership.objects.get(user=user, institution=world.csr_a, role=Role.CASEWORKER, is_active=True)
    assert membership.municipality_id == world.mun_a.pk
    assert membership.created_by == admin_a
    assert user.groups.filter(pk=role_group(world.mun_a, Role.CASEWORKER).pk).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.status == "accepted"
    assert AuditEntry.objects.filter(action=AuditAction.INVITATION_ACCEPTED, actor=user).exists()
    assert AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_CREATED, object_id=str(membership.pk)).exists()
    # Logged in as the new person, and sent on to the second factor.
    assert english.session["_auth_user_id"] == str(user.pk)
    assert english.get(reverse("core:home"))["Location"] == reverse("accounts:otp_setup")


def test_second_use_of_the_link_is_refused(invite, english, client):
    _, path = invite()
    _accept_new(english, path)
    english.post(reverse("accounts:logout"))
    response = english.get(path)
    assert response.status_code == 410
    assert "already been accepted" in response.content.decode()
    assert User.objects.filter(email="nova.radnica@test.kzn.example").count() == 1


def test_expired_link_is_refused(invite, english):
    invitation, path = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = english.get(path)
    assert response.status_code == 410
    html = response.content.decode()
    assert "expired" in html
    assert invitation.email not in html
    assert not User.objects.filter(email=invitation.email).exists()


def test_link_expiring_while_the_form_is_open_is_refused(invite, english):
    invitation, path = invite()
    english.get(path)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = english.post(
        reverse("accounts:invitation_accept", kwargs={"token": "continue"}),
        {"first_name": "Nova", "last_name": "Radnica", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_revoked_link_is_refused(invite, english, admin_a):
    invitation, path = invite()
    invitation_revoke(invitation=invitation, revoked_by=admin_a)
    response = english.get(path)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_unknown_link_is_not_found_and_reveals_nothing(english, world):
    response = english.get(reverse("accounts:invitation_accept", kwargs={"token": "no-such-token-abcdef"}))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    # The placeholder address without a token in the session is not a way in either.
    response = english.get(reverse("accounts:invitation_accept", kwargs={"token": "continue"}))
    assert response.status_code == 404


def test_passwords_must_match_and_pass_the_validators(invite, english):
    _, path = invite()
    english.get(path)
    url = reverse("accounts:invitation_accept", kwargs={"token": "continue"})
    response = english.post(url, {"first_name": "Nova", "last_name": "Radnica", "password1": NEW_PASSWORD, "password2": "x" + NEW_PASSWORD})
    assert response.status_code == 200
    assert "not the same" in response.content.decode()
    response = english.post(url, {"first_name": "Nova", "last_name": "Radnica", "password1": "12345678901", "password2": "12345678901"})
    assert response.status_code == 200
    assert "entirely numeric" in response.content.decode()
    response = english.post(url, {"first_name": "Nova", "last_name": "Radnica", "password1": "kratka", "password2": "kratka"})
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="nova.radnica@test.kzn.example").exists()


def test_existing_account_confirms_with_its_password(invite, english, world):
    existing = member(Role.CASEWORKER, world.police_a, email="postojeci@test.kzn.example")
    invitation, path = invite(email="Postojeci@test.kzn.example", role=Role.CASEWORKER)
    page = english.get(path, follow=True)
    html = page.content.decode()
    assert "already has an account" in html
    assert 'name="password1"' not in html and 'name="password"' in html
    url = reverse("accounts:invitation_accept", kwargs={"token": "continue"})

    response = english.post(url, {"password": "wrong-password-1"})
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    assert not Membership.objects.filter(user=existing, institution=world.csr_a).exists()

    response = english.post(url, {"password": "test-lozinka-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup")
    assert User.objects.filter(email__iexact="postojeci@test.kzn.example").count() == 1
    assert Membership.objects.filter(user=existing, institution=world.csr_a, role=Role.CASEWORKER, is_active=True).exists()
    assert Membership.objects.filter(user=existing, institution=world.police_a, is_active=True).exists()
    assert english.session["_auth_user_id"] == str(existing.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_by == existing


def test_the_token_is_never_logged(invite, english, caplog):
    _, path = invite()
    token = path.rstrip("/").rsplit("/", 1)[1]
    with caplog.at_level(logging.DEBUG):
        english.get(path, follow=True)
        _accept_new(english, path)
        english.post(reverse("accounts:logout"))
        english.get(path)  # used: 410
        english.get(path.replace(token, token[:-4] + "abcd"))  # unknown: 404
    assert caplog.records, "the flow did log something (or the check would prove nothing)"
    assert token not in caplog.text
    assert token[:-4] not in caplog.text


def test_logged_in_unverified_user_can_open_an_invitation(invite, english, world):
    english.force_login(world.users[Role.CASEWORKER])
    _, path = invite(email="drugi.radnik@test.kzn.example")
    page = english.get(path, follow=True)
    assert page.status_code == 200
    assert world.csr_a.name in page.content.decode()


def test_request_log_lines_never_hold_a_token(caplog):
    """The development server and Django's request logger write paths: tokens are redacted there."""
    token = "AbCdEf0123456789-secret_token"
    with caplog.at_level(logging.INFO):
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /accounts/invite/{token}/ HTTP/1.1", "302", "0")
        logging.getLogger("django.request").warning("Gone: %s", f"/accounts/invite/{token}/")
    assert len(caplog.records) == 2
    assert token not in caplog.text
    assert "/accounts/invite/[redacted]/" in caplog.text


def test_existing_account_password_on_the_invitation_page_is_rate_limited(invite, english, world):
    existing = member(Role.CASEWORKER, world.police_a, email="zakljucan@test.kzn.example")
    _, path = invite(email="zakljucan@test.kzn.example")
    english.get(path)
    url = reverse("accounts:invitation_accept", kwargs={"token": "continue"})
    for _ in range(5):
        english.post(url, {"password": "wrong-password-1"}, REMOTE_ADDR="203.0.113.30")
    response = english.post(url, {"password": "test-lozinka-123"}, REMOTE_ADDR="203.0.113.30")
    assert response.status_code == 429
    assert not Membership.objects.filter(user=existing, institution=world.csr_a).exists()
    assert AuditEntry.objects.filter(action=AuditAction.LOCKOUT).exists()
