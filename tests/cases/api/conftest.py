"""API fixtures for the case record: the three cases of the matrix world and token clients."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from tests.security import matrix as _matrix  # noqa: F401  (loads the registry first: it imports matrix_cases)
from tests.security.matrix_cases_api import build_case_world


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def cw(world):
    """``cw.cases_made[scope][kind]``: a case of CSR A (own), of police A without CSR A (same
    municipality) and of CSR B (other municipality), each with one row of every kind."""
    w = SimpleNamespace(base=world, leak_texts=[], leak_ids={})
    build_case_world(w)
    return w


@pytest.fixture
def api_as():
    """An API client authenticated with a fresh knox token of ``user`` (English messages)."""

    def make(user, language="en"):
        from knox.models import AuthToken

        _instance, key = AuthToken.objects.create(user=user, expiry=timedelta(days=1))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=language)
        return client

    return make
