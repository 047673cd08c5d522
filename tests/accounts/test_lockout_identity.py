"""One failure counter per person and address, however the name is typed (case, spaces, e-mail or username)."""
import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "test-lozinka-123"
IP_ONE = "203.0.113.10"  # documentation addresses: only labels here, nothing is contacted
IP_TWO = "203.0.113.20"


def _login(client, login, password, ip=IP_ONE):
    return client.post(reverse("accounts:login"), {"username": login, "password": password}, REMOTE_ADDR=ip)


def _fail(client, names, password="not-the-password"):
    """One failed attempt per name: the first four are refused as wrong, the fifth locks."""
    for n, typed in enumerate(names, start=1):
        response = _login(client, typed, password)
        assert _locked(response) == (n >= 5), typed


def _locked(response) -> bool:
    return response.status_code == 429 and "accounts/locked_out.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_capitalisation_does_not_give_fresh_tries(client):
    user = UserFactory(email="milica.proba@test.kzn.example", username="testgrad.milica")
    _fail(client, [
        "milica.proba@test.kzn.example",
        "MILICA.PROBA@test.kzn.example",
        "Milica.Proba@Test.Kzn.Example",
        "  milica.proba@TEST.kzn.example ",
        "mIlIcA.pRoBa@test.kzn.example",
    ])

    response = _login(client, "Milica.PROBA@test.kzn.example", PASSWORD)
    assert _locked(response)
    assert client.session.get("_auth_user_id") is None
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [user.username]


@pytest.mark.django_db
def test_email_and_username_of_one_account_share_one_counter(client):
    user = UserFactory(email="jovan.proba@test.kzn.example", username="testgrad.jovan")
    _fail(client, ["jovan.proba@test.kzn.example", "testgrad.jovan", "TESTGRAD.JOVAN", "Jovan.Proba@test.kzn.example", "Testgrad.Jovan"])

    # Locked whichever name is used now, with the right password.
    assert _locked(_login(client, "testgrad.jovan", PASSWORD))
    assert _locked(_login(client, user.email, PASSWORD))
    assert client.session.get("_auth_user_id") is None

    # Still per address: the same person from another address gets in.
    response = _login(client, "TestGrad.Jovan", PASSWORD, ip=IP_TWO)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_unknown_names_in_any_capitalisation_share_one_counter(client):
    _fail(client, ["NOBODY@example.org", "Nobody@example.org", "nobody@EXAMPLE.org", "nObOdY@example.org", " nobody@example.org"])
    assert _locked(_login(client, "NoBody@Example.Org", "whatever-typed"))
    assert AccessAttempt.objects.count() == 1


@pytest.mark.django_db
def test_a_success_clears_the_counter_for_every_spelling(client):
    user = UserFactory(email="sanja.proba@test.kzn.example", username="testgrad.sanja")
    for typed in ["SANJA.PROBA@test.kzn.example", "Testgrad.Sanja", "testgrad.sanja", "Sanja.Proba@test.kzn.example"]:
        _login(client, typed, "not-the-password")
    assert _login(client, "TESTGRAD.SANJA", PASSWORD).status_code == 302
    client.logout()
    # Four more failures do not lock: the counter started again at the successful login.
    for _ in range(4):
        assert _login(client, user.email.upper(), "not-the-password").status_code == 200
    assert _login(client, user.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_email_wins_over_another_accounts_username_of_the_same_text():
    from apps.core.login_identity import identify

    owner = UserFactory(email="ana.proba@test.kzn.example", username="testgrad.ana")
    UserFactory(username="ANA.PROBA@test.kzn.example", email="druga.proba@test.kzn.example")
    assert identify(" Ana.Proba@TEST.kzn.example ") == (owner, "testgrad.ana")


@pytest.mark.django_db
def test_unknown_names_become_one_keyed_hash_and_nothing_else():
    from apps.core.login_identity import identify

    account, key = identify("  Nobody@Example.org")
    assert account is None
    assert key == identify("NOBODY@example.org ")[1]
    assert key.startswith("#") and "nobody" not in key.casefold()
    assert identify("")[1] == ""
