"""Who the case-page tests act as: Jelena (the centre's caseworker), the police caseworker on her
cases, and a client that reads the pages in English (the msgids)."""
import pytest


@pytest.fixture
def login(verified_client):
    """A verified client (second factor done) with the interface in English."""

    def as_user(user):
        client = verified_client(user)
        client.cookies["kzn_language"] = "en"
        return client

    return as_user


@pytest.fixture
def jelena(world):
    return world.users["caseworker"]


@pytest.fixture
def police(world):
    return world.users["police_caseworker"]
