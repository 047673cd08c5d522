"""Reminders 7 days before a quarterly report is due, flags of late activities and indicators off track
to the coordinator (once each), and the responsible person's activities in the work queue."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from apps.action_plans.models import Alert
from apps.action_plans.services import structure as structure_services
from apps.action_plans.services.alerts import alerts_send
from apps.core.choices import Role
from tests.outbox import run_after_commit

from .test_services import adopt


def test_reminders_and_flags_once_each(plan_world, mailoutbox, django_capture_on_commit_callbacks):
    world, plan, goal, measure, activities, lines = plan_world
    coordinator = world.users[Role.COORDINATOR]
    indicator = structure_services.indicator_create(
        user=coordinator, plan=plan, goal=goal, name="Obučeni stručnjaci", unit="broj", baseline=Decimal("0"),
        baseline_year=2026, source="Evidencija CSR", targets={2027: Decimal("40")})
    adopt(plan, coordinator)
    structure_services.indicator_value_record(user=coordinator, indicator=indicator, year=2027, quarter=2, value=Decimal("5"))
    # 3 July 2027: Q2's reports are due on 10 July; the CSR training (ended 30 June) is late.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = alerts_send(today=date(2027, 7, 3))
    run_after_commit(callbacks)
    kinds = set(Alert.objects.values_list("kind", "object_id"))
    assert ("report_due", activities[0].pk) in kinds and ("report_due", activities[1].pk) in kinds
    assert ("activity_late", activities[0].pk) in kinds
    assert ("indicator_off_track", indicator.pk) in kinds
    assert alerts_send(today=date(2027, 7, 4)).created == 0
    recipients = {to for m in mailoutbox for to in m.to}
    assert world.users[Role.CASEWORKER].email in recipients  # responsible for the training
    assert coordinator.email in recipients
    assert run.created == 4


def test_the_work_queue_shows_the_responsible_persons_activities(plan_world, login):
    world, plan, goal, measure, activities, lines = plan_world
    client = login(world.users[Role.CASEWORKER])
    with time_machine.travel(datetime(2027, 6, 20, 9, 0, tzinfo=ZoneInfo("Europe/Belgrade")), tick=False):
        page = client.get(reverse("cases:work_queue")).content.decode()
    assert "Action plan activities" in page and "Obuka CSR" in page


def test_the_home_page_shows_the_plan_in_force_to_the_official(plan_world, login):
    world, plan, goal, measure, activities, lines = plan_world
    adopt(plan, world.users[Role.COORDINATOR])
    page = login(world.users[Role.OFFICIAL]).get(reverse("core:home")).content.decode()
    assert "Late activities" in page and "500.000,35" in page
