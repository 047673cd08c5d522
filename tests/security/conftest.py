"""The matrix world: the shared ``world`` plus one object of each scope for every kind of URL."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.accounts.models import Invitation
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from tests.factories import member

from .matrix import CO, CW, EXTENSIONS, IA, OF, OTHER, OWN, PA, SAME, SU


def _invitation(institution, email):
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        municipality_id=institution.municipality_id,
        institution=institution,
        role=Role.CASEWORKER,
        email=email,
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return invitation, token


def _base_world():
    """The same small world as the ``world`` fixture of tests/conftest.py, built outside a test."""
    from apps.institutions.choices import InstitutionType
    from tests.factories import InstitutionFactory, MunicipalityFactory, UserFactory

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


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix world, built once per module inside a transaction that is rolled back at the end.

    Every test runs in its own savepoint inside it (pytest-django's ``db``), and every matrix
    request in one more, so no test sees another's writes.
    """
    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media"))):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build(_base_world())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build(world):
    """Objects of the own institution (CSR A), the same municipality (police A) and another one (CSR B)."""
    from knox.models import AuthToken

    other = world.users["other_municipality"]
    staff_a = member(Role.CASEWORKER, world.csr_a, email="matrica.osoblje.a@test.kzn.example")
    w = SimpleNamespace(base=world)
    w.users = {CW: world.users[Role.CASEWORKER], CO: world.users[Role.COORDINATOR],
               SU: world.users[Role.SUPERVISOR], OF: world.users[Role.OFFICIAL],
               IA: world.users[Role.INSTITUTION_ADMIN], PA: world.platform_admin}
    w.municipality = {OWN: world.mun_a, SAME: world.mun_a, OTHER: world.mun_b}
    w.institution = {OWN: world.csr_a, SAME: world.police_a, OTHER: world.csr_b}
    w.staff = {OWN: staff_a, SAME: world.users["police_caseworker"], OTHER: other[Role.CASEWORKER]}
    w.membership = {scope: user.memberships.get() for scope, user in w.staff.items()}
    w.invitation = {}
    for scope, institution in w.institution.items():
        w.invitation[scope], _token = _invitation(institution, f"matrica.pozvan.{scope}@test.kzn.example")
    _invitation_b, w.invitation_token = _invitation(world.csr_a, "matrica.token@test.kzn.example")
    instance, _key = AuthToken.objects.create(user=other[Role.CASEWORKER], expiry=timedelta(days=1))
    w.token_key = {OTHER: instance.token_key}
    # Something of the other municipality in the audit log, easy to spot if it leaks.
    AuditEntry(actor_label="matrica.trag.b@test.kzn.example", municipality_id=world.mun_b.pk,
               action=AuditAction.VIEW, object_type="institutions.institution",
               object_id=str(world.csr_b.pk)).save()
    # What must never appear in a list seen by a member of municipality A.
    w.leak_texts = [
        world.mun_b.name, world.mun_b.name_cyrl, world.csr_b.name, "matrica.trag.b@test.kzn.example",
        "matrica.pozvan.other_municipality@test.kzn.example",
        f"/institutions/{world.csr_b.pk}/", f"/municipalities/{world.mun_b.slug}/",
        *(u.email for u in other.values()),
    ]
    w.leak_ids = {
        "municipality-list": {world.mun_b.pk},
        "institution-list": {world.csr_b.pk},
        "membership-list": {m.pk for u in other.values() for m in u.memberships.all()},
    }
    for module in EXTENSIONS:
        if hasattr(module, "build"):
            module.build(w)
    # Second factors and API tokens of the role users, made once (sessions and tokens are reused).
    from django_otp.plugins.otp_totp.models import TOTPDevice

    w._tokens = {}
    for user in w.users.values():
        TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
        w._tokens[user.pk] = AuthToken.objects.create(user=user, expiry=timedelta(hours=6))[1]
    return w
