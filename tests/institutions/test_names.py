"""Institutions are named in both scripts and shown in the reader's script."""
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from apps.institutions.models import Institution
from apps.institutions.services import institution_create, institution_update
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_created_without_cyrillic_name_gets_the_transliteration(world):
    institution = institution_create(municipality=world.mun_a, type="ngo", name="Udruženje Ljiljan i Đurđevak")

    assert institution.name_cyrl == "Удружење Љиљан и Ђурђевак"


def test_the_name_follows_the_active_language(world):
    institution = institution_create(municipality=world.mun_a, type="police", name="Policijska stanica Testgrad",
                                     name_cyrl="Полицијска станица Тестград")

    with translation.override("sr-cyrl"):
        assert str(institution) == institution.display_name() == "Полицијска станица Тестград"
    with translation.override("sr-latn"):
        assert str(institution) == "Policijska stanica Testgrad"
    with translation.override("en"):
        assert str(institution) == "Policijska stanica Testgrad"


def test_a_new_latin_name_renews_a_transliterated_cyrillic_name_but_keeps_an_own_spelling(world):
    transliterated = institution_create(municipality=world.mun_a, type="ngo", name="Udruženje Testna Luka")
    institution_update(institution=transliterated, updated_by=None, name="Udruženje Testna Obala")
    assert transliterated.name_cyrl == "Удружење Тестна Обала"

    own = institution_create(municipality=world.mun_a, type="ngo", name="Udruzenje SOS Test",
                             name_cyrl="Удружење „СОС Тест“")
    institution_update(institution=own, updated_by=None, name="Udruženje SOS Test")
    assert own.name_cyrl == "Удружење „СОС Тест“"


def test_the_data_migration_fills_cyrillic_names(world):
    institution = InstitutionFactory(municipality=world.mun_a, name="Dom zdravlja Testgrad", name_cyrl="")
    migration = importlib.import_module("apps.institutions.migrations.0003_name_cyrl")

    migration.fill_cyrillic_names(django_apps, None)

    institution.refresh_from_db()
    assert institution.name_cyrl == "Дом здравља Тестград"
    assert not Institution.objects.filter(name_cyrl="").exists()
