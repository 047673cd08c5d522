"""Fixtures of the interlinking tests: a police machine account of municipality A (and one of B)."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.interlink.choices import Scope
from apps.interlink.services.accounts import machine_account_create
from tests.factories import InstitutionFactory, member

ALL_SCOPES = list(Scope.values)


def make_account(institution, *, scopes=None, name="Policijski sistem (test)"):
    admin = member(Role.INSTITUTION_ADMIN, institution)
    account, secret = machine_account_create(user=admin, institution=institution, name=name, scopes=scopes or ALL_SCOPES)
    return SimpleNamespace(account=account, secret=secret, admin=admin)


def client_for(secret) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Machine {secret}")
    return client


@pytest.fixture
def machines(world):
    police_b = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.POLICE, name="Policija Testgrad B")
    a = make_account(world.police_a)
    b = make_account(police_b)
    return SimpleNamespace(a=a, b=b, police_b=police_b, world=world)


def when(hours_ago: float) -> str:
    return (timezone.now() - timedelta(hours=hours_ago)).isoformat()


def report(external_id="PU-1", version=1, *, victim=None, perpetrator=None, measure=None, hours_ago=5):
    victim = victim or {"first_name": "Milica", "last_name": "Primerović", "birth_date": "1988-04-12", "sex": "female"}
    perpetrator = perpetrator or {"first_name": "Petar", "last_name": "Primerović", "birth_date": "1985-09-30", "sex": "male",
                                  "relationship_to_victim": "spouse"}
    data = {
        "external_id": external_id, "version": version,
        "incident": {"occurred_at": when(hours_ago + 1), "reported_at": when(hours_ago), "place_type": "shared_home",
                     "forms": ["physical"], "police_event_number": f"KU-{external_id}"},
        "persons": [{"role": "victim", **victim}, {"role": "perpetrator", **perpetrator}],
        "risk": {"immediate_danger": False, "items": {"prior_violence": "yes"}},
    }
    if measure:
        data["emergency_measure"] = measure
    return data
