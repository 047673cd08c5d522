"""The demo conferences: Marko's prepared agenda, last week's approved minutes with action items
(one overdue in Jelena's work queue), the targets history and the Belgrade area's shared agenda."""
from __future__ import annotations

import pytest
from django.utils import timezone

from apps.cases import demo as cases_demo
from apps.cases.selectors.work_queue import work_queue_for
from apps.conferences import demo
from apps.conferences.choices import ActionStatus, MeetingKind, MeetingStatus, MinutesStatus
from apps.conferences.models import ActionItem, AgendaItem, Meeting, MeetingInvitee, SupervisionFeedback
from apps.conferences.selectors.targets import targets_for
from tests.cases.test_demo import _demo_context
from tests.clock import MOMENTS, travel

SLUGS = ("kragujevac", "zvezdara", "vozdovac")


@pytest.fixture(scope="module", params=list(MOMENTS))
def seeded_once(request, django_db_setup, django_db_blocker):
    from django.db import transaction

    with travel(MOMENTS[request.param]), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            context = _demo_context(SLUGS)
            cases_demo.seed(context)
            demo.seed(context)
            yield context
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def _fresh(user):
    from apps.accounts.models import User

    return User.objects.get(pk=user.pk)


def test_next_conference_is_scheduled_with_a_prepared_agenda_and_invitations(seeded):
    kragujevac = seeded["municipalities"]["kragujevac"]
    upcoming = Meeting.objects.get(municipality=kragujevac, status=MeetingStatus.SCHEDULED,
                                   kind=MeetingKind.CASE_CONFERENCE)
    assert upcoming.starts_at > timezone.now()
    assert timezone.localtime(upcoming.starts_at).weekday() < 5
    assert upcoming.agenda_prepared_at is not None
    assert AgendaItem.objects.filter(meeting=upcoming).count() >= 3
    assert MeetingInvitee.objects.filter(meeting=upcoming, institution__isnull=False).count() == 5


def test_last_weeks_minutes_are_approved_with_actions_and_feedback(seeded):
    kragujevac = seeded["municipalities"]["kragujevac"]
    caseworker = seeded["users"]["kragujevac.caseworker"]
    held = Meeting.objects.filter(municipality=kragujevac, status=MeetingStatus.HELD,
                                  kind=MeetingKind.CASE_CONFERENCE).order_by("-starts_at").first()
    # Last week's, on a working day, whatever the weekday today.
    held_on = timezone.localdate(held.starts_at)
    today = timezone.localdate()
    assert held_on.weekday() < 5
    assert held_on.isocalendar()[:2] == (today - timezone.timedelta(days=7)).isocalendar()[:2]
    assert held.minutes.status == MinutesStatus.APPROVED
    assert held.agenda_items.filter(discussed=True).count() == 3
    statuses = sorted(ActionItem.objects.filter(meeting=held).values_list("status", flat=True))
    assert statuses == [ActionStatus.DONE, ActionStatus.OPEN, ActionStatus.OPEN]
    assert SupervisionFeedback.objects.filter(meeting=held, supervisor=seeded["users"]["kragujevac.supervisor"]).exists()

    overdue = ActionItem.objects.get(meeting=held, owner_institution=seeded["institutions"]["kragujevac"]["csr"],
                                     status=ActionStatus.OPEN)
    assert overdue.due_on < timezone.localdate()
    queue = work_queue_for(_fresh(caseworker))
    assert overdue.pk in {item.pk for section in queue.sections for item in section.items}
    # Her centre was not invited (the coordinator was, by name), but owning the action item lets
    # her read the meeting it came from.
    assert not MeetingInvitee.objects.filter(meeting=held, institution=overdue.owner_institution).exists()
    assert Meeting.objects.visible_to(_fresh(caseworker)).filter(pk=held.pk).exists()


def test_targets_show_the_year_so_far(seeded):
    coordinator = _fresh(seeded["users"]["kragujevac.coordinator"])
    kragujevac = seeded["municipalities"]["kragujevac"]
    today = timezone.localdate()
    held = Meeting.objects.filter(municipality=kragujevac, status=MeetingStatus.HELD,
                                  kind=MeetingKind.CASE_CONFERENCE, starts_at__year=today.year).count()
    # One at the cadence in every earlier month of the year, plus last week's.
    last_week = today - timezone.timedelta(days=today.weekday() + 6)
    assert kragujevac.conference_cadence_months == 1
    assert held == len(range(1, today.month)) + (last_week.year == today.year)
    targets = targets_for(coordinator, year=today.year)
    assert targets.programme_held >= held
    # The area's group met every other week; a supervision meeting was held in the spring.
    group_held = Meeting.objects.filter(kind=MeetingKind.COORDINATION_GROUP, status=MeetingStatus.HELD,
                                        area__municipality=kragujevac).count()
    assert group_held >= (today.timetuple().tm_yday - 7) // 14
    if today.month > 4:
        assert Meeting.objects.filter(kind=MeetingKind.SUPERVISION, status=MeetingStatus.HELD,
                                      municipality=kragujevac).count() == 1


def test_area_meeting_has_a_shared_agenda_over_three_municipalities(seeded):
    meeting = Meeting.objects.get(kind=MeetingKind.COORDINATION_GROUP, status=MeetingStatus.SCHEDULED,
                                  area__municipality=seeded["municipalities"]["zvezdara"])
    municipalities = set(AgendaItem.objects.filter(meeting=meeting).values_list("municipality_id", flat=True))
    assert municipalities == {seeded["municipalities"][slug].pk for slug in SLUGS if slug != "kragujevac"}
    # A Voždovac caseworker invited through the police sees only her own municipality's agenda cases.
    vozdovac_police = _fresh(seeded["users"]["vozdovac.police"])
    visible = AgendaItem.objects.visible_to(vozdovac_police).filter(meeting=meeting)
    assert visible.exists()
    assert set(visible.values_list("municipality_id", flat=True)) == {seeded["municipalities"]["vozdovac"].pk}
    # Her coordinator runs the area's meetings with the others and reads the whole shared agenda.
    coordinator = _fresh(seeded["users"]["vozdovac.coordinator"])
    assert AgendaItem.objects.visible_to(coordinator).filter(meeting=meeting).count() == len(
        AgendaItem.objects.filter(meeting=meeting))


def test_seeding_again_adds_nothing(seeded):
    before = (Meeting.objects.count(), AgendaItem.objects.count(), ActionItem.objects.count())
    demo.seed(seeded)
    assert (Meeting.objects.count(), AgendaItem.objects.count(), ActionItem.objects.count()) == before
