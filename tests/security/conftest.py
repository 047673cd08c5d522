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


@pytest.fixture
def matrix_world(world):
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
    return w
