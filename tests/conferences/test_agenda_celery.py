"""The beat tasks in a real Celery worker: the agenda prepared once, an action-item reminder e-mailed
through a real SMTP server (case number and link only)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases.models import Reminder
from apps.conferences.models import AgendaItem, Meeting
from apps.conferences.tasks_minutes import prepare_agendas, send_action_reminders
from tests.conftest_celery import celery_worker, smtp_server  # noqa: F401 - fixtures

from .factories import MeetingFactory, next_week_at
from .factories_minutes import action, make_case, on_agenda, past_meeting

pytestmark = [pytest.mark.celery, pytest.mark.timeout(300)]


def test_agenda_and_action_reminder_run_in_a_real_worker(celery_worker, smtp_server, world):  # noqa: F811
    coordinator, worker = world.users["coordinator"], world.users["caseworker"]
    meeting = MeetingFactory(municipality=world.mun_a, created_by=coordinator, starts_at=next_week_at(10, days=1))
    new_case = make_case(institution=world.csr_a, opened_by=worker)
    earlier = past_meeting(world.mun_a, created_by=coordinator, days_ago=10, status="held")
    old_case = make_case(institution=world.csr_a, opened_by=worker, reported_at=timezone.now() - timedelta(days=40))
    due = action(on_agenda(earlier, old_case, discussed=True), owner=world.police_a, created_by=coordinator,
                 responsible=world.users["police_caseworker"], due_on=timezone.localdate() + timedelta(days=1))

    first = prepare_agendas.delay().get(timeout=120)
    second = prepare_agendas.delay().get(timeout=120)

    assert first["meetings"] == 1 and second == {"meetings": 0, "added": 0}
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("case_id", "section")) == {
        (new_case.pk, "new"), (old_case.pk, "actions"),
    }
    assert Meeting.objects.get(pk=meeting.pk).agenda_prepared_at is not None

    assert send_action_reminders.delay().get(timeout=120) == {"reminders": 1, "emails": 1}
    [mail] = smtp_server.wait_for(1, timeout=120, to=world.users["police_caseworker"].email)
    assert mail.rcpt_tos == [world.users["police_caseworker"].email]
    assert old_case.number in mail.body and f"/conferences/actions/{due.pk}/" in mail.body
    assert Reminder.objects.filter(object_type="conferences.actionitem", object_id=due.pk, stage="before").count() == 1
    assert send_action_reminders.delay().get(timeout=120) == {"reminders": 0, "emails": 0}
