"""The client address behind reverse proxies: one reading (apps/core/client_ip.py) for lockout and audit."""
import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.client_ip import client_ip
from apps.core.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "test-lozinka-123"
# Documentation and private addresses: only labels here, nothing is contacted.
PROXY = "172.18.0.1"  # the reverse proxy as the app sees it (Docker's bridge)
CLIENT_A = "198.51.100.7"
CLIENT_B = "198.51.100.8"
SPOOFED = "203.0.113.99"


def _request(remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def _login(client, login, password, *, forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("accounts:login"), {"username": login, "password": password}, **extra)


def _locked(response) -> bool:
    return response.status_code == 429


class TestReading:
    def test_no_proxy_ignores_the_forwarded_header(self, settings):
        settings.PROXY_COUNT = 0
        assert client_ip(_request(remote=CLIENT_A, forwarded=SPOOFED)) == CLIENT_A

    def test_one_proxy_reads_the_address_it_appended(self, settings):
        settings.PROXY_COUNT = 1
        assert client_ip(_request(forwarded=CLIENT_A)) == CLIENT_A

    def test_one_proxy_ignores_entries_the_client_wrote(self, settings):
        settings.PROXY_COUNT = 1
        assert client_ip(_request(forwarded=f"{SPOOFED}, {CLIENT_A}")) == CLIENT_A
        assert client_ip(_request(forwarded=f"{SPOOFED}, not-an-address, {CLIENT_A}")) == CLIENT_A
        assert client_ip(_request(forwarded=f"127.0.0.1, {CLIENT_A}")) == CLIENT_A

    def test_two_proxies_count_from_the_right(self, settings):
        settings.PROXY_COUNT = 2
        assert client_ip(_request(forwarded=f"{SPOOFED}, {CLIENT_A}, 10.0.0.5")) == CLIENT_A

    def test_a_private_client_address_is_kept(self, settings):
        """Municipal networks are often private: the address behind the proxy is used all the same."""
        settings.PROXY_COUNT = 1
        assert client_ip(_request(remote="203.0.113.1", forwarded="192.168.10.23")) == "192.168.10.23"

    def test_without_the_header_the_connection_address_is_used(self, settings):
        settings.PROXY_COUNT = 1
        assert client_ip(_request()) == PROXY

    def test_trusted_proxies_restrict_who_may_forward(self, settings):
        settings.PROXY_COUNT = 1
        settings.PROXY_TRUSTED_IPS = ["172.16.0.0/12"]
        assert client_ip(_request(forwarded=CLIENT_A)) == CLIENT_A
        # A connection straight to the app (not through the proxy) cannot choose its address.
        assert client_ip(_request(remote=CLIENT_B, forwarded=SPOOFED)) == CLIENT_B


@pytest.mark.django_db
class TestBehindOneProxy:
    @pytest.fixture(autouse=True)
    def one_proxy(self, settings):
        settings.PROXY_COUNT = 1

    def test_audit_records_the_client_not_the_proxy(self, client):
        user = UserFactory()
        _login(client, user.email, "not-the-password", forwarded=f"{SPOOFED}, {CLIENT_A}")
        _login(client, user.email, PASSWORD, forwarded=CLIENT_B)
        assert AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED).ip == CLIENT_A
        assert AuditEntry.objects.get(action=AuditAction.LOGIN).ip == CLIENT_B
        assert not AuditEntry.objects.filter(ip=PROXY).exists()

    def test_lockout_is_per_client_not_per_proxy(self, client):
        user = UserFactory()
        for n in range(1, 6):
            # The attacker changes the part of the header it writes itself: it does not help.
            response = _login(client, user.email, "not-the-password", forwarded=f"10.9.9.{n}, {CLIENT_A}")
        assert _locked(response)
        assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT_A]
        assert _locked(_login(client, user.email, PASSWORD, forwarded=CLIENT_A))
        # Someone else behind the same proxy is not locked out of the account.
        response = _login(client, user.email, PASSWORD, forwarded=CLIENT_B)
        assert response.status_code == 302
        assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_without_proxies_a_forged_header_changes_nothing(client, settings):
    settings.PROXY_COUNT = 0
    user = UserFactory()
    for n in range(1, 6):
        response = _login(client, user.email, "not-the-password", remote=CLIENT_A, forwarded=f"10.9.9.{n}")
    assert _locked(response)
    assert _locked(_login(client, user.email, PASSWORD, remote=CLIENT_A, forwarded=CLIENT_B))
    assert set(AuditEntry.objects.values_list("ip", flat=True)) == {CLIENT_A}
