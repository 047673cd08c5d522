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
