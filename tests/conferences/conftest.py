"""Conference tests read the interface in English (the msgids); tests of other languages and
scripts (the PDF, the e-mails) ask for theirs explicitly."""
import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_interface(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
