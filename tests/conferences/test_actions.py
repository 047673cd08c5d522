"""Action items: created with the minutes (clear errors, nothing half-saved), shown in the owners'
work queue (one query) and on the case page, completed with a note, reminded before and after the
due date."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases import hooks
from apps.cases.models import Reminder
from apps.cases.selectors.work_queue import work_queue_for
from apps.conferences.choices import ActionStatus
from apps.conferences.hooks import action_items_section
from apps.conferences.models import ActionItem
from apps.conferences.services.actions import action_item_complete, action_item_create, action_reminders_send
from tests.cases.factories import english  # noqa: F401 - fixture
from tests.outbox import run_after_commit

from .factories_minutes import action, approved_minutes, make_case, on_agenda, past_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world):
    coordinator = world.users["coordinator"]
    meeting = past_meeting(world.mun_a, created_by=coordinator, days_ago=0)
    case = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    return on_agenda(meeting, case)


def test_creating_an_action_item(world, item):
    coordinator = world.users["coordinator"]
    police = world.users["police_caseworker"]

    created = action_item_create(
        user=coordinator, agenda_item=item, description="Policija obilazi adresu jednom nedeljno.",
        owner_institution=world.police_a, responsible=police, due_on=timezone.localdate() + timedelta(days=14),
    )

    assert created.case == item.case and created.meeting == item.meeting
    assert created.municipality_id == item.case.municipality_id and created.status == ActionStatus.OPEN


@pytest.mark.parametrize(
    "change, field",
    [
        ({"owner_institution": None}, "owner_institution"),
        ({"due_on": "past"}, "due_on"),
        ({"description": "  "}, "description"),
        ({"owner_institution": "other_municipality"}, "owner_institution"),
        ({"responsible": "not_staff"}, "responsible"),
    ],
)
def test_bad_action_items_name_the_field_and_save_nothing(world, item, change, field):
    values = {
        "description": "Kućna poseta", "owner_institution": world.csr_a, "responsible": None,
        "due_on": timezone.localdate() + timedelta(days=3),
    }
    values.update(change)
    if values["due_on"] == "past":
        values["due_on"] = timezone.localdate() - timedelta(days=1)
    if values["owner_institution"] == "other_municipality":
        values["owner_institution"] = world.csr_b
    if values["responsible"] == "not_staff":
        values["responsible"] = world.users["police_caseworker"]  # works at the police, not the CSR

    with pytest.raises(ValidationError) as error:
        action_item_create(user=world.users["coordinator"], agenda_item=item, **values)

    assert field in error.value.message_dict
    assert not ActionItem.objects.exists()


def test_action_items_are_added_only_by_those_who_run_the_meeting(world, item):
    from django.http import Http404

    with pytest.raises(Http404):
        action_item_create(user=world.users["caseworker"], agenda_item=item, description="x",
                           owner_institution=world.csr_a, due_on=timezone.localdate())


def test_owner_sees_the_item_in_the_work_queue_with_one_query(world, item):
    owner = world.users["police_caseworker"]
    action(item, owner=world.police_a, created_by=world.users["coordinator"])
    with CaptureQueriesContext(connection) as one:
        queue = work_queue_for(owner, audit=False)
    [section] = queue.sections
    assert [a.case_id for a in section.items] == [item.case_id]
    for n in range(3):
        other = on_agenda(item.meeting, make_case(institution=world.csr_a, opened_by=world.users["caseworker"]))
        action(other, owner=world.police_a, created_by=world.users["coordinator"], description=f"Radnja {n}")
    owner.refresh_access()
    with CaptureQueriesContext(connection) as four:
        queue = work_queue_for(owner, audit=False)
    assert len(queue.sections[0].items) == 4
    assert len(four) == len(one)  # the section costs the same however many items
    registered = list(hooks.work_queue_sections)
    hooks.work_queue_sections.remove(action_items_section)  # the other apps' sections stay
    try:
        owner.refresh_access()
        with CaptureQueriesContext(connection) as without:
            work_queue_for(owner, audit=False)
    finally:
        hooks.work_queue_sections[:] = registered
    assert len(one) - len(without) == 1  # one query for the action items section


def test_work_queue_page_and_case_page_show_the_action(world, item, verified_client):
    action(item, owner=world.csr_a, created_by=world.users["coordinator"], description="Razgovor sa školom o detetu")
    client = verified_client(world.users["caseworker"])

    queue_page = client.get(reverse("cases:work_queue"), HTTP_ACCEPT_LANGUAGE="en")
    case_page = client.get(reverse("cases:detail", args=[item.case_id]), HTTP_ACCEPT_LANGUAGE="en")

    assert queue_page.status_code == 200 and case_page.status_code == 200
    assert "Razgovor sa školom o detetu" in queue_page.content.decode()
    assert item.case.number in queue_page.content.decode()
    assert "Razgovor sa školom o detetu" in case_page.content.decode()


def test_other_municipality_never_sees_the_action(world, item):
    action(item, owner=world.csr_a, created_by=world.users["coordinator"])
    stranger = world.users["other_municipality"]["caseworker"]
    assert work_queue_for(stranger, audit=False).sections == []
    assert not ActionItem.objects.visible_to(stranger).exists()


def test_completion_with_a_note(world, item, verified_client):
    row = action(item, owner=world.csr_a, created_by=world.users["coordinator"])
    worker = world.users["caseworker"]
    client = verified_client(worker)

    empty = client.post(reverse("conferences:action_complete", args=[row.pk]), {"completion_note": ""})
    assert empty.status_code == 200 and ActionItem.objects.get(pk=row.pk).status == ActionStatus.OPEN
    done = client.post(reverse("conferences:action_complete", args=[row.pk]),
                       {"completion_note": "Poseta obavljena, dete bezbedno."})

    assert done.status_code == 302
    row.refresh_from_db()
    assert row.status == ActionStatus.DONE and row.completed_by == worker and row.completion_note
    assert work_queue_for(worker, audit=False).sections == []
    with pytest.raises(ValidationError):
        action_item_complete(user=worker, action=row, note="ponovo")


def test_staff_of_another_institution_cannot_complete(world, item):
    from django.http import Http404

    row = action(item, owner=world.csr_a, created_by=world.users["coordinator"])
    # The police caseworker sees the case (on the team) but does not own the action.
    from tests.cases.factories_measures import join

    join(item.case, world.police_a, added_by=world.users["caseworker"])
    assert ActionItem.objects.visible_to(world.users["police_caseworker"]).filter(pk=row.pk).exists()
    with pytest.raises(Http404):
        action_item_complete(user=world.users["police_caseworker"], action=row, note="x")
    assert ActionItem.objects.get(pk=row.pk).status == ActionStatus.OPEN


def test_reminders_before_and_after_the_due_date_once_each(world, item, mailoutbox, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    coordinator = world.users["coordinator"]
    approved_minutes(item.meeting, recorded_by=coordinator)
    soon = action(item, owner=world.csr_a, created_by=coordinator, due_on=today + timedelta(days=1))
    late = action(item, owner=world.police_a, created_by=coordinator, due_on=today - timedelta(days=3),
                  responsible=world.users["police_caseworker"])
    action(item, owner=world.csr_a, created_by=coordinator, due_on=today + timedelta(days=20))
    action(item, owner=world.csr_a, created_by=coordinator, due_on=today - timedelta(days=1), status=ActionStatus.DONE)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = action_reminders_send()
    run_after_commit(callbacks)  # the outbox's deliveries, run here synchronously
    again = action_reminders_send()

    rows = Reminder.objects.filter(kind="action_item", object_type="conferences.actionitem")
    assert set(rows.values_list("object_id", "stage", "institution_id")) == {
        (soon.pk, "before", world.csr_a.pk), (late.pk, "overdue", world.police_a.pk),
    }
    assert run.reminders_created == 2 and again.reminders_created == 0
    # The responsible person alone for the police item; the CSR's caseworkers and coordinators for the other.
    recipients = {to for m in mailoutbox for to in m.to}
    assert world.users["police_caseworker"].email in recipients
    assert world.users["caseworker"].email in recipients and world.users["coordinator"].email in recipients
    for message in mailoutbox:
        assert item.case.number in message.body
        assert "Primer" not in message.body and "Testna" not in message.body  # no names
