"""Shared fixtures: a small world of two municipalities with institutions and one user per role."""
import os
from types import SimpleNamespace

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

from apps.core.choices import Role  # noqa: E402
from apps.institutions.choices import InstitutionType  # noqa: E402

from .clock import MOMENTS, moment, travel  # noqa: E402
from .factories import InstitutionFactory, MunicipalityFactory, UserFactory, member  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--clock", default=None, metavar="MOMENT",
        help=f"run with the clock set to a moment: one of {', '.join(MOMENTS)}, or an ISO date-time (Belgrade)",
    )


def pytest_configure(config):
    when = config.getoption("clock")
    if when:
        config._clock_traveller = travel(moment(when))
        config._clock_traveller.start()


def pytest_unconfigure(config):
    traveller = getattr(config, "_clock_traveller", None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    when = config.getoption("clock")
    return f"clock: {moment(when).isoformat()} ({when})" if when else None


@pytest.fixture(params=list(MOMENTS))
def at_each_moment(request):
    """Run the test at each fixed moment of tests/clock.py (every weekday, DST changes, month and
    year end, Belgrade midnight); yields the moment."""
    with travel(MOMENTS[request.param]):
        yield MOMENTS[request.param]


@pytest.fixture
def world(db):
    """Two municipalities (A, B); A has two institutions (csr, police); users for every role."""
    mun_a = MunicipalityFactory(name="Testgrad A", name_cyrl="Тестград А")
    mun_b = MunicipalityFactory(name="Testgrad B", name_cyrl="Тестград Б")
    csr_a = InstitutionFactory(municipality=mun_a, type=InstitutionType.CSR, name="CSR Testgrad A")
    police_a = InstitutionFactory(municipality=mun_a, type=InstitutionType.POLICE, name="Policija Testgrad A")
    csr_b = InstitutionFactory(municipality=mun_b, type=InstitutionType.CSR, name="CSR Testgrad B")
    users = {role: member(role, csr_a) for role in Role.values}
    users["police_caseworker"] = member(Role.CASEWORKER, police_a)
    users["other_municipality"] = {role: member(role, csr_b) for role in Role.values}
    platform_admin = UserFactory(is_platform_admin=True)
    return SimpleNamespace(
        mun_a=mun_a, mun_b=mun_b, csr_a=csr_a, police_a=police_a, csr_b=csr_b,
        users=users, platform_admin=platform_admin,
    )


@pytest.fixture
def verified_client(client):
    """Log a user in with a verified second factor."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        client.force_login(user)
        session = client.session
        from django_otp import DEVICE_ID_SESSION_KEY

        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


@pytest.fixture
def login(verified_client):
    """Log a user in (second factor verified) with the pages in English (the msgids), so that the
    tests' text checks hold whatever the default language."""

    def as_user(user):
        client = verified_client(user)
        client.cookies["kzn_language"] = "en"
        return client

    return as_user


@pytest.fixture
def english_interface(settings):
    """English as the default and active language for the whole test (pages rendered in-process)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
