"""An invited caseworker opens the one-time link, chooses a password and enrols a second factor."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Invitation, Membership, User
from apps.core.choices import Role
from tests.factories import InstitutionFactory

from .helpers import SUBMIT, enrol_authenticator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_invited_person_accepts_and_lands_in_their_role(page, screenshot):
    csr = InstitutionFactory(name="CSR Testgrad Poziv")
    token, token_hash = Invitation.new_token()
    Invitation.objects.create(
        municipality=csr.municipality, institution=csr, role=Role.CASEWORKER, email="nova.radnica@test.kzn.example",
        first_name="Nova", last_name="Radnica", token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=7),
    )

    page.goto(f"/accounts/invite/{token}/")
    page.wait_for_selector("#id_password1")
    assert token not in page.url, "the token leaves the address bar after the first request"
    assert "CSR Testgrad Poziv" in page.content()
    screenshot(page, "accept")
    page.fill("#id_first_name", "Nova")
    page.fill("#id_last_name", "Radnica")
    page.fill("#id_password1", "Vrlo-tajna-lozinka-2026")
    page.fill("#id_password2", "Vrlo-tajna-lozinka-2026")
    page.click(SUBMIT)
    enrol_authenticator(page)
    screenshot(page, "home")

    user = User.objects.get(email="nova.radnica@test.kzn.example")
    assert Membership.objects.filter(user=user, institution=csr, role=Role.CASEWORKER, is_active=True).exists()
    assert user.check_password("Vrlo-tajna-lozinka-2026")

    # The link works once.
    page.goto(f"/accounts/invite/{token}/")
    assert page.locator("#id_password1").count() == 0
