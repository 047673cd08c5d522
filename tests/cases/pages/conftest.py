"""Who the case-page tests act as: Jelena (the centre's caseworker) and the police caseworker on her
cases (``login``, the client in English, is the suite's own)."""
import pytest


@pytest.fixture
def jelena(world):
    return world.users["caseworker"]


@pytest.fixture
def police(world):
    return world.users["police_caseworker"]
