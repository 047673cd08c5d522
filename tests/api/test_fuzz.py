"""API fuzzing: schemathesis generates requests for every operation of the API's own OpenAPI schema and
sends them, with the tokens of users of two municipalities, through the WSGI application.

Each answer must not be a server error, must match the operation's response schema, and must never
carry anything of the other municipality (its case numbers, its people's addresses, its audit trail).
Bounded: ``API_FUZZ_EXAMPLES`` examples per operation (default 2), each sent with both tokens, no shrinking.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from apps.core.choices import Role
from tests.security.matrix import OTHER, OWN, SAME

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "2"))

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = WSGIHandler()


class Leak(AssertionError):
    pass


@pytest.fixture
def fuzz_tokens(api_world, db):
    """A caseworker's token in each municipality, and what the other municipality must never see."""
    w = api_world
    a_user = w.users[Role.CASEWORKER]
    b_user = w.base.users["other_municipality"][Role.CASEWORKER]
    a_markers = [w.case[OWN].number, w.case[SAME].number, "matrica.osoblje.a@test.kzn.example"]
    b_markers = [w.case[OTHER].number, "matrica.trag.b@test.kzn.example",
                 *(u.email for u in w.base.users["other_municipality"].values())]
    tokens = []
    for user, never in ((a_user, b_markers), (b_user, a_markers)):
        _instance, key = AuthToken.objects.create(user=user, expiry=timedelta(hours=1))
        tokens.append((key, never))
    return tokens


@pytest.fixture
def in_test_transaction():
    """The WSGI handler closes the connection around a request; inside the test's transaction it must not."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
                     suppress_health_check=list(HealthCheck), database=None)
def test_the_api_answers_every_generated_request_within_its_schema_and_scope(case, fuzz_tokens, in_test_transaction):
    for key, never in fuzz_tokens:
        response = case.call(headers={"Authorization": f"Token {key}", "Cookie": "kzn_language=en"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        text = response.text
        leaked = [marker for marker in never if marker and marker in text]
        if leaked:
            raise Leak(f"{case.method} {case.formatted_path} answered with another municipality's data: {leaked}")
