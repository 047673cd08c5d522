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
def run_tasks(monkeypatch):
    """Run the event tasks in-process when their on-commit callback fires."""
    from apps.events import tasks

    for task in (tasks.send_event_invitations, tasks.send_event_uninvite, tasks.issue_certificates):
        monkeypatch.setattr(task, "delay", lambda _task=task, **kwargs: _task(**kwargs))
