"""Factories for tests; every name is obviously fictional."""
import itertools

import factory

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality
from apps.municipalities.services import ensure_role_groups

_codes = itertools.count(1)


def _code(n):
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return ("T" + letters)[:8].ljust(2, "X")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    code = factory.Sequence(_code)
    slug = factory.Sequence(lambda n: f"test-opstina-{n}")
    name = factory.Sequence(lambda n: f"Testopština {n}")
    name_cyrl = factory.Sequence(lambda n: f"Тестопштина {n}")
    district = "Testni okrug"
    population = 50000
    conference_cadence_months = 2

    @factory.post_generation
    def role_groups(obj, create, extracted, **kwargs):
        if create:
            ensure_role_groups(municipality=obj)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    municipality = factory.SubFactory(MunicipalityFactory)
    type = InstitutionType.CSR
    name = factory.Sequence(lambda n: f"Testna ustanova {n}")
    email = factory.Sequence(lambda n: f"ustanova{n}@test.kzn.example")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"test.user{n}")
    email = factory.Sequence(lambda n: f"test.user{n}@test.kzn.example")
    first_name = "Testna"
    last_name = factory.Sequence(lambda n: f"Osoba{n}")
    password = factory.PostGenerationMethodCall("set_password", "test-lozinka-123")

    @factory.post_generation
    def save_after(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(role: str = Role.CASEWORKER, institution: Institution | None = None, **user_kwargs) -> User:
    """A user with one active membership."""
    institution = institution or InstitutionFactory()
    user = UserFactory(**user_kwargs)
    membership_create(user=user, institution=institution, role=role)
    user.refresh_access()
    return user
