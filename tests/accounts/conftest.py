"""Helpers for the accounts tests."""
import re

import pytest
from django.urls import reverse

from apps.core.choices import Role
from tests.factories import member
from tests.outbox import run_after_commit as run_queued_tasks  # noqa: F401 - the accounts tests' name

INVITE_LINK = re.compile(r"https?://\S+?(/accounts/invite/[^/\s]+/)")




def invite_path(body: str) -> str:
    """The path of the one-time link in an invitation e-mail."""
    match = INVITE_LINK.search(body)
    assert match, "the e-mail holds the invitation link"
    return match.group(1)


@pytest.fixture
def english(client):
    """Pages in English, so that assertions read the msgids."""
    client.cookies["kzn_language"] = "en"
    return client


@pytest.fixture
def admin_a(world):
    """The institution admin of CSR Testgrad A."""
    return world.users[Role.INSTITUTION_ADMIN]


@pytest.fixture
def police_admin(world):
    """An institution admin of another institution in the same municipality."""
    return member(Role.INSTITUTION_ADMIN, world.police_a)


@pytest.fixture
def login_url():
    return reverse("accounts:login")
