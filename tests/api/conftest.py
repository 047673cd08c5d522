"""API fixtures: a DRF client and knox tokens."""
import datetime

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_client():
    """A fresh API client authenticated with a new token of ``user``."""

    def make(user, expiry=datetime.timedelta(days=1)):
        from knox.models import AuthToken

        _instance, key = AuthToken.objects.create(user=user, expiry=expiry)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The isolation matrix's world (a case with a row of every kind per scope, meetings with minutes,
    action items, feedback), built once per module in a transaction rolled back at the end."""
    from django.db import transaction
    from django.test.utils import override_settings

    from tests.security.conftest import _base_world, _build

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("api-media"))):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build(_base_world())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
