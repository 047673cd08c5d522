"""The profile page: own details, language, password and personal API tokens."""
import pytest
from django.urls import reverse
from knox.models import AuthToken

from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry


def test_profile_update_saves_and_applies_the_language(verified_client, world):
    user = world.users[Role.CASEWORKER]
    client = verified_client(user)
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Jelena", "last_name": "Proba", "phone": "+381 11 000 0000", "language": "sr-cyrl"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.phone, user.language) == ("Jelena", "Proba", "+381 11 000 0000", "sr-cyrl")
    assert response.cookies["kzn_language"].value == "sr-cyrl"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="accounts.user", object_id=str(user.pk))
    assert "Jelena" not in str(entry.details)  # the audit names fields, never values
    assert set(entry.details["fields"]) == {"first_name", "last_name", "phone", "language"}
    page = client.get(reverse("accounts:profile"))
    assert page.context["LANGUAGE_CODE"] == "sr-cyrl"


def test_profile_rejects_an_unknown_language(verified_client, world):
    user = world.users[Role.OFFICIAL]
    client = verified_client(user)
    response = client.post(reverse("accounts:profile"), {"first_name": "A", "last_name": "B", "phone": "", "language": "xx"})
    assert response.status_code == 200
    assert "language" in response.context["form"].errors


def test_change_password(verified_client, world):
    user = world.users[Role.OFFICIAL]
    logged = verified_client(user)
    new = "Druga-lozinka-za-test-9"
    response = logged.post(
        reverse("accounts:password_change"),
        {"old_password": "test-lozinka-123", "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(new)
    assert logged.get(reverse("accounts:profile")).status_code == 200  # this session goes on
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, actor=user, details__fields=["password"]).exists()


def test_change_password_needs_the_old_one(verified_client, world):
    user = world.users[Role.OFFICIAL]
    client = verified_client(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Druga-lozinka-za-test-9", "new_password2": "Druga-lozinka-za-test-9"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("test-lozinka-123")


def test_api_token_is_shown_once_and_works(verified_client, world, client):
    user = world.users[Role.CASEWORKER]
    logged = verified_client(user)
    response = logged.post(reverse("accounts:api_token_create"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = response.context["token"]
    assert token in response.content.decode()
    instance = AuthToken.objects.get(user=user)
    assert token not in instance.digest  # only a hash is stored
    assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN, actor=user, details__event="issued").exists()

    profile = logged.get(reverse("accounts:profile")).content.decode()
    assert token not in profile
    assert instance.token_key[:8] in profile

    api = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert api.status_code == 200


def test_api_token_needs_a_verified_second_factor(client, world):
    official = world.users[Role.OFFICIAL]  # may log in without a second factor, but gets no token
    client.force_login(official)
    response = client.post(reverse("accounts:api_token_create"))
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=official).exists()


def test_revoke_own_token_only(verified_client, world):
    owner = world.users[Role.CASEWORKER]
    other = world.users[Role.COORDINATOR]
    instance, _ = AuthToken.objects.create(user=owner)
    foreign, _ = AuthToken.objects.create(user=other)
    client = verified_client(owner)

    response = client.post(reverse("accounts:api_token_revoke"), {"token_key": foreign.token_key})
    assert response.status_code == 404
    assert AuthToken.objects.filter(pk=foreign.pk).exists()

    response = client.post(reverse("accounts:api_token_revoke"), {"token_key": instance.token_key})
    assert response.status_code == 302
    assert not AuthToken.objects.filter(pk=instance.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN, actor=owner, details__event="revoked").exists()


@pytest.mark.django_db
def test_profile_needs_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_of_unverified_staff_is_behind_the_second_factor(client, world):
    client.force_login(world.users[Role.CASEWORKER])
    assert client.get(reverse("accounts:profile"))["Location"] == reverse("accounts:otp_setup")
    assert client.post(reverse("accounts:api_token_create"))["Location"] == reverse("accounts:otp_setup")
