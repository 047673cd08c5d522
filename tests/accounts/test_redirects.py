"""Every `next` the accounts pages follow stays on this site (one check: apps/core/redirects.py)."""
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.choices import Role

PASSWORD = "test-lozinka-123"

OFF_SITE = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " https://evil.example/",
    "https:///evil.example/",
    "http:evil.example",
]


def _code(device) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def coordinator(world):
    user = world.users[Role.COORDINATOR]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


@pytest.mark.parametrize("target", OFF_SITE)
def test_second_factor_never_sends_the_user_off_site(client, coordinator, target):
    user, device = coordinator
    client.force_login(user)
    response = client.post(f"{reverse('accounts:otp_verify')}?next={quote(target, safe='')}", {"code": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_second_factor_follows_a_next_on_this_site(client, coordinator):
    user, device = coordinator
    client.force_login(user)
    response = client.post(f"{reverse('accounts:otp_verify')}?next=/cases/%3Fstatus%3Dopen", {"code": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/cases/?status=open"


def test_already_verified_user_is_not_sent_off_site_either(verified_client, world):
    client = verified_client(world.users[Role.COORDINATOR])
    response = client.get(f"{reverse('accounts:otp_verify')}?next=https://evil.example/")
    assert response["Location"] == reverse("core:home")


def test_login_then_second_factor_chain_ends_on_this_site(client, coordinator):
    """The penetration test's path: /accounts/login/?next=/accounts/2fa/verify/%3Fnext%3Dhttps://evil.example/"""
    user, device = coordinator
    login = f"{reverse('accounts:login')}?next=/accounts/2fa/verify/%3Fnext%3Dhttps://evil.example/"
    response = client.post(login, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    step_two = response["Location"]
    assert step_two.startswith(reverse("accounts:otp_verify"))  # on this site: allowed
    response = client.post(step_two, {"code": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "evil" not in response["Location"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_refuses_an_off_site_next(client, world, target):
    user = world.users[Role.OFFICIAL]  # no second factor needed: the login's own redirect decides
    response = client.post(
        f"{reverse('accounts:login')}?next={quote(target, safe='')}", {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert not response["Location"].startswith("javascript")


@pytest.mark.parametrize("target", OFF_SITE)
def test_logout_refuses_an_off_site_next(client, world, target):
    client.force_login(world.users[Role.OFFICIAL])
    response = client.post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_https_site_refuses_a_plain_http_next_to_itself(client, coordinator):
    user, device = coordinator
    client.force_login(user)
    response = client.post(
        f"{reverse('accounts:otp_verify')}?next=http://testserver/cases/", {"code": _code(device)}, secure=True
    )
    assert response["Location"] == reverse("core:home")


@pytest.mark.parametrize("target", [*OFF_SITE, "/cases/"])
def test_staff_actions_return_only_to_the_staff_page(verified_client, world, target):
    from tests.factories import member

    admin = world.users[Role.INSTITUTION_ADMIN]
    other = member(Role.CASEWORKER, world.csr_a)
    membership = other.memberships.get()
    client = verified_client(admin)
    response = client.post(reverse("accounts:membership_end", args=[membership.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:staff")


def test_staff_actions_keep_the_staff_page_filters(verified_client, world):
    from tests.factories import member

    admin = world.users[Role.INSTITUTION_ADMIN]
    membership = member(Role.CASEWORKER, world.csr_a).memberships.get()
    client = verified_client(admin)
    here = f"{reverse('accounts:staff')}?role=caseworker"
    response = client.post(reverse("accounts:membership_end", args=[membership.pk]), {"next": here})
    assert response["Location"] == here


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switch_stays_on_this_site(client, db, target):
    """Django's own language switch checks its `next` the same way (url_has_allowed_host_and_scheme)."""
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert not response["Location"].lstrip().startswith(("javascript", "//", "/\\"))
