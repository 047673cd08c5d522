"""Survey tests: an adopted, published client questionnaire with an open collection at CSR A."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from apps.core.choices import Role
from apps.surveys import public
from apps.surveys.services import builder, collections
from tests.cache_keys import clear_own_cache_keys


@pytest.fixture(autouse=True)
def english_interface(settings):
    settings.LANGUAGE_CODE = "en"
    public.clear_caches()
    clear_own_cache_keys()
    with translation.override("en"):
        yield
    public.clear_caches()


@pytest.fixture
def survey(world):
    coordinator = world.users[Role.COORDINATOR]
    questionnaire = builder.adopt_template(actor=coordinator, municipality=world.mun_a, key="client_experience")
    version = questionnaire.versions.get()
    builder.publish(actor=coordinator, version=version)
    today = timezone.localdate()
    collection = collections.create_collection(
        actor=coordinator, version=version, institution=world.csr_a, title="CSR A desk (demo)",
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
    )
    return collection


GOOD = {"q_reach": "4", "q_believed": "5", "q_respect": "5", "q_recommend": "yes", "q_waiting": "under15"}


def form_token(page) -> str:
    """The signed form token of a public page (as the browser reads it from the form)."""
    return re.search(r'name="form" value="([^"]+)"', page.content.decode()).group(1)


def post_answer(client, collection, answers=None, *, work=True, **extra):
    """GET the page, take its form token, do the work, POST; returns the POST response."""
    page = client.get(f"/surveys/a/{collection.token}/")
    assert page.status_code == 200
    token = form_token(page)
    data = {"form": token, "lang": "en", **(GOOD if answers is None else answers), **extra}
    if work:
        data["work"] = public.solve(token)
    return client.post(f"/surveys/a/{collection.token}/", data)
