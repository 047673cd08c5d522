"""The second factor: who must use it, demo users, and enrolment with a real TOTP code."""
import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from tests.factories import member


def _code(device, offset: int = 0) -> str:
    """The code an authenticator app would show now for this device."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{(value + offset) % 10 ** device.digits:0{device.digits}d}"


@pytest.mark.parametrize(
    "role", [Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.INSTITUTION_ADMIN]
)
def test_roles_with_personal_data_must_set_up_the_second_factor(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup")


def test_platform_admin_must_use_the_second_factor(client, world):
    client.force_login(world.platform_admin)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup")


def test_official_only_user_needs_no_second_factor(client, world):
    client.force_login(world.users[Role.OFFICIAL])
    assert client.get(reverse("core:home")).status_code == 200


def test_user_with_a_device_is_asked_for_the_code(client, world):
    user = world.users[Role.CASEWORKER]
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("accounts:otp_verify")


def test_verified_user_reaches_pages(verified_client, world):
    client = verified_client(world.users[Role.CASEWORKER])
    assert client.get(reverse("core:home")).status_code == 200


def test_demo_user_skips_the_second_factor_only_with_the_demo_setting(client, world):
    demo = member(Role.CASEWORKER, world.csr_a, is_demo=True)
    client.force_login(demo)
    with override_settings(DEMO_SKIP_2FA=False):
        assert client.get(reverse("core:home")).status_code == 302
    with override_settings(DEMO_SKIP_2FA=True):
        assert client.get(reverse("core:home")).status_code == 200


def test_demo_setting_does_not_help_real_users(client, world):
    client.force_login(world.users[Role.CASEWORKER])
    with override_settings(DEMO_SKIP_2FA=True):
        assert client.get(reverse("core:home")).status_code == 302


def test_setup_confirms_with_a_real_totp_code(client, world):
    user = world.users[Role.CASEWORKER]
    client.force_login(user)
    response = client.get(reverse("accounts:otp_setup"))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()  # the QR code is drawn on the server
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(reverse("accounts:otp_setup"), {"code": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.OTP_ENROLLED, actor=user).exists()


def test_setup_refuses_a_wrong_code(client, world):
    user = world.users[Role.CASEWORKER]
    client.cookies["kzn_language"] = "en"
    client.force_login(user)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(reverse("accounts:otp_setup"), {"code": _code(device, offset=1)})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("core:home")).status_code == 302


def test_login_code_step_accepts_the_current_code(client, world):
    user = world.users[Role.COORDINATOR]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    response = client.post(reverse("accounts:otp_verify"), {"code": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
