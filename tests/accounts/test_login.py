"""Logging in: e-mail or username, wrong password, lockout, and the security headers of the page."""
import pytest
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "test-lozinka-123"
IP_ONE = "203.0.113.10"  # documentation addresses: only labels here, nothing is contacted
IP_TWO = "203.0.113.20"


def _login(client, login, password, ip=IP_ONE):
    return client.post(reverse("accounts:login"), {"username": login, "password": password}, REMOTE_ADDR=ip)


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_login_by_email(client):
    user = UserFactory(email="milica.proba@test.kzn.example")
    response = _login(client, "Milica.Proba@test.kzn.example", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(user.pk)


@pytest.mark.django_db
def test_login_by_username(client):
    user = UserFactory(username="testgrad.caseworker")
    response = _login(client, "testgrad.caseworker", PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(user.pk)


@pytest.mark.django_db
def test_wrong_password_says_so_and_warns_about_lockout(client):
    user = UserFactory()
    client.cookies["kzn_language"] = "en"
    response = _login(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert "Wrong e-mail/username or password" in response.content.decode()
    assert "locked for 15 minutes" in response.content.decode()
    assert _logged_in_as(client) is None


@pytest.mark.django_db
def test_lockout_after_five_failures_per_username_and_ip(client):
    user = UserFactory()
    for _ in range(5):
        response = _login(client, user.email, "not-the-password")
        assert _logged_in_as(client) is None

    # The sixth attempt is refused even with the right password.
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert _logged_in_as(client) is None
    assert "accounts/locked_out.html" in [t.name for t in response.templates]

    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, actor_label=user.email).count() >= 5
    assert AuditEntry.objects.filter(action=AuditAction.LOCKOUT).exists()

    # The lockout is per username and address: the same person from another address gets in.
    response = _login(client, user.email, PASSWORD, ip=IP_TWO)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(user.pk)


@pytest.mark.django_db
def test_lockout_lasts_fifteen_minutes(settings):
    from datetime import timedelta

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.django_db
def test_login_page_csp_has_no_unsafe_inline_scripts(client):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in policy.split(";") if d.strip()}
    assert "script-src" in directives
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]


@pytest.mark.django_db
def test_session_cookie_is_http_only(client):
    user = UserFactory()
    response = _login(client, user.email, PASSWORD)
    cookie = response.cookies["kzn_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_argon2_is_the_first_password_hasher():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_successful_login_sets_the_users_language(client):
    user = UserFactory(language="sr-cyrl")
    response = _login(client, user.email, PASSWORD)
    assert response.cookies["kzn_language"].value == "sr-cyrl"
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=user).exists()
