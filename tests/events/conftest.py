"""Event tests read the interface in English (the msgids); the PDF tests ask for their languages."""
import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_interface(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with translation.override("en"):
        yield


@pytest.fixture
def run_tasks(settings):
    """Run the tasks queued after a commit (through the outbox) in-process: Celery in eager mode."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
