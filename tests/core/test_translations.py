"""Every name a model or a choice gives the UI is translated; the language menu names each language
in itself; units are written the Cyrillic way in Cyrillic."""
import importlib.util
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from apps.core.filters import object_type_choices, object_type_label

ROOT = Path(__file__).resolve().parent.parent.parent
CYRILLIC = re.compile("[\u0400-\u04ff]")
# Labels written the same way in both languages (codes and proper names).
SAME_IN_SERBIAN: set[str] = set()


def _our_models():
    return [m for m in apps.get_models() if m.__module__.startswith("apps.")]


def _messages_script():
    spec = importlib.util.spec_from_file_location("kzn_messages", ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("model", _our_models(), ids=lambda m: m._meta.label)
def test_every_model_name_is_translated(model):
    """The audit log's object types (and any other label made from a model) read in the user's language."""
    label = model._meta.label_lower
    with translation.override("en"):
        english = object_type_label(label)
    with translation.override("sr-latn"):
        latin = object_type_label(label)
    with translation.override("sr-cyrl"):
        cyrillic = object_type_label(label)

    assert latin != english, f"{label}: “{english}” has no Serbian translation"
    assert CYRILLIC.search(cyrillic), f"{label}: “{cyrillic}” is not in Cyrillic"


def test_the_audit_filter_offers_translated_object_types():
    with translation.override("sr-latn"):
        names = dict(object_type_choices())
    assert names["cases.reminder"] == "Podsetnik"
    assert names["cases.casegroupgrant"] == "Deljenje slučaja sa ustanovom"
    assert names["cases.caseusergrant"] == "Deljenje slučaja sa osobom"


def _choices_classes():
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.choices")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, models.Choices) and value.__module__ == module.__name__:
                found.append(value)
    return found


@pytest.mark.parametrize("choices", _choices_classes(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_choice_label_is_translated(choices):
    for member in choices:
        label = member.label
        assert isinstance(label, Promise), f"{choices.__name__}.{member.name}: the label is not marked for translation"
        with translation.override("en"):
            english = str(label)
        with translation.override("sr-latn"):
            latin = str(label)
        assert latin != english or english in SAME_IN_SERBIAN, f"{choices.__name__}.{member.name}: “{english}”"


@pytest.mark.django_db  # every request opens its transaction (row-level security context)
def test_language_menu_names_each_language_in_itself(client):
    for language in ("sr-latn", "sr-cyrl", "en"):
        client.cookies["kzn_language"] = language
        html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        options = re.findall(r'<option value="([a-z-]+)" lang="([A-Za-z-]+)"[^>]*>([^<]+)</option>', html)
        assert [(code, name) for code, _tag, name in options] == [
            ("sr-latn", "Srpski (latinica)"), ("sr-cyrl", "Српски (ћирилица)"), ("en", "English")], language


def test_hours_are_ч_in_cyrillic():
    with translation.override("sr-cyrl"):
        assert gettext("%(hours)s h") % {"hours": 5} == "5 ч"
        assert gettext("%(days)s d %(hours)s h") % {"days": 2, "hours": 5} == "2 д 5 ч"
    with translation.override("sr-latn"):
        assert gettext("%(hours)s h") % {"hours": 5} == "5 h"


def test_transliteration_writes_the_hour_as_ч_and_leaves_words_alone():
    latin_to_cyrillic = _messages_script().latin_to_cyrillic

    assert latin_to_cyrillic("Istek mere (48 h)") == "Истек мере (48 ч)"
    assert latin_to_cyrillic("%(h)s h %(m)s min") == "%(h)s ч %(m)s мин"
    assert latin_to_cyrillic("hitne mere, hrana") == "хитне мере, храна"
