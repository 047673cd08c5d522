"""Scheduling meetings: validation, invitees, double-booking warnings, rescheduling, cancelling,
answers, agenda editing and the pages' fixed query counts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.conferences.choices import InvitationResponse, InviteeRole, MeetingKind, MeetingStatus
from apps.conferences.models import AgendaItem, Meeting, MeetingInvitee
from apps.conferences.services import meetings as services
from apps.core.choices import Role
from tests.cases.factories import english  # noqa: F401 - messages in English
from tests.cases.factories_measures import make_case
from tests.conferences.factories import AgendaItemFactory, InviteeFactory, MeetingFactory, next_week_at
from tests.factories import member


@pytest.fixture
def run_tasks(settings):
    """Run the invitation tasks queued after a commit (through the outbox) in-process: Celery in eager mode."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _ics(message) -> str:
    content = message.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def schedule(world, **kwargs):
    kwargs.setdefault("user", world.users[Role.COORDINATOR])
    kwargs.setdefault("kind", MeetingKind.CASE_CONFERENCE)
    kwargs.setdefault("municipality", world.mun_a)
    kwargs.setdefault("starts_at", next_week_at(10))
    kwargs.setdefault("ends_at", next_week_at(12))
    kwargs.setdefault("place", "Sala 1, Testna ulica 1")
    return services.meeting_schedule(**kwargs)


@pytest.mark.django_db
def test_scheduling_invites_chair_supervisor_institutions_and_the_victim(world, run_tasks,
                                                                         django_capture_on_commit_callbacks):
    chair = world.users[Role.CASEWORKER]
    supervisor = world.users[Role.SUPERVISOR]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world, chair=chair, supervisor=supervisor, institutions=[world.police_a],
                           outside=[services.Outside("Testna Primer", "zrtva.primer@example.test", InviteeRole.VICTIM)])
    invitees = {(i.user_id, i.institution_id, i.role) for i in meeting.invitees.all()}
    assert (chair.pk, None, InviteeRole.MEMBER) in invitees
    assert (supervisor.pk, None, InviteeRole.SUPERVISOR) in invitees
    assert (None, world.police_a.pk, InviteeRole.MEMBER) in invitees
    outside = meeting.invitees.get(role=InviteeRole.VICTIM)
    assert outside.name == "Testna Primer" and outside.email == "zrtva.primer@example.test"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email FROM conferences_meetinginvitee WHERE id = %s", [outside.pk])
        raw = cursor.fetchone()
    assert "Primer" not in raw[0] and "example.test" not in raw[1]  # stored encrypted
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([chair.email, supervisor.email, world.police_a.email, "zrtva.primer@example.test"])
    for message in mail.outbox:
        assert "Testna Primer" not in message.body
        assert message.attachments[0][2].startswith("text/calendar; method=REQUEST")
    victim_mail = next(m for m in mail.outbox if m.to == ["zrtva.primer@example.test"])
    assert "/conferences/meetings/" not in victim_mail.body  # no link she cannot use
    assert set(meeting.invitees.values_list("sent_sequence", flat=True)) == {0}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        ({"ends_at": next_week_at(9)}, "ends_at"),
        ({"starts_at": timezone.now() - timedelta(days=1), "ends_at": timezone.now() - timedelta(hours=22)}, "starts_at"),
        ({"place": ""}, "place"),
        ("institution_b", "institutions"),
        ("chair_b", "chair"),
        ("people_b", "people"),
        ({"municipality": None}, "municipality"),
        ({"kind": MeetingKind.COORDINATION_GROUP}, "area"),
    ],
)
def test_bad_scheduling_input_names_the_field_and_saves_nothing(world, change, field):
    other = world.users["other_municipality"]
    if change == "institution_b":
        change = {"institutions": [world.police_a, world.csr_b]}
    elif change == "chair_b":
        change = {"chair": other[Role.CASEWORKER]}
    elif change == "people_b":
        change = {"people": [other[Role.COORDINATOR]]}
    with pytest.raises(ValidationError) as error:
        schedule(world, **change)
    assert field in error.value.message_dict
    assert not Meeting.objects.exists() and not MeetingInvitee.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_of_another_municipality_cannot_schedule_here(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, user=world.users["other_municipality"][Role.COORDINATOR])
    assert "municipality" in error.value.message_dict


@pytest.mark.django_db
def test_the_form_shows_errors_on_the_fields_and_saves_nothing(world, verified_client):
    client = verified_client(world.users[Role.COORDINATOR])
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(reverse("conferences:meeting_create"), {
        "kind": "case_conference", "municipality": world.mun_a.pk, "date": day, "start_time": "12:00",
        "end_time": "11:00", "place": "Sala", "chair": world.users["other_municipality"][Role.CASEWORKER].pk,
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert "The meeting must end after it starts." in form.errors["end_time"]
    assert "chair" in form.errors
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_the_form_schedules_and_warns_about_double_booking(world, verified_client, django_capture_on_commit_callbacks,
                                                            run_tasks):
    chair = world.users[Role.CASEWORKER]
    earlier = schedule(world, chair=chair)
    client = verified_client(world.users[Role.COORDINATOR])
    start = timezone.localtime(earlier.starts_at)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("conferences:meeting_create"), {
            "kind": "supervision", "municipality": world.mun_a.pk, "date": start.date().isoformat(),
            "start_time": "11:00", "end_time": "13:00", "online_url": "https://meet.example.test/abc",
            "people": [chair.pk],
        }, follow=True)
    assert response.status_code == 200
    later = Meeting.objects.exclude(pk=earlier.pk).get()
    assert response.redirect_chain[-1][0] == reverse("conferences:meeting_detail", kwargs={"pk": later.pk})
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings and chair.get_full_name() in warnings[0]
    assert services.booking_conflicts(later) == [chair]
    # Back to back is not a conflict.
    not_overlapping = schedule(world, chair=chair, starts_at=earlier.starts_at - timedelta(hours=1),
                               ends_at=earlier.starts_at)
    assert services.booking_conflicts(not_overlapping) == []


@pytest.mark.django_db
def test_reschedule_and_cancel_raise_the_sequence_and_tell_everyone(world, run_tasks, django_capture_on_commit_callbacks):
    coordinator = world.users[Role.COORDINATOR]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world, institutions=[world.police_a, world.csr_a])
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_update(user=coordinator, meeting=meeting, starts_at=next_week_at(13),
                                          ends_at=next_week_at(14), place="Sala 2", expected_version=meeting.version)
    assert meeting.sequence == 1 and len(mail.outbox) == 2
    assert all("SEQUENCE:1" in _ics(m) and "METHOD:REQUEST" in _ics(m) for m in mail.outbox)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(user=coordinator, meeting=meeting, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                                place="Sala 2", chair=world.users[Role.CASEWORKER])
    # Only the new chair hears of it: time and place are unchanged.
    assert [m.to for m in mail.outbox] == [[world.users[Role.CASEWORKER].email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_cancel(user=coordinator, meeting=meeting, reason="Testni razlog")
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 2
    assert len(mail.outbox) == 3
    assert all(m.attachments[0][2].startswith("text/calendar; method=CANCEL") for m in mail.outbox)
    with pytest.raises(ValidationError):
        services.meeting_cancel(user=coordinator, meeting=meeting)


@pytest.mark.django_db
def test_reschedule_with_a_stale_version_is_refused(world):
    from apps.core.locking import VersionConflict

    meeting = schedule(world)
    services.meeting_update(user=world.users[Role.COORDINATOR], meeting=meeting, starts_at=next_week_at(11),
                            ends_at=next_week_at(12), place="Sala 3", expected_version=1)
    with pytest.raises(VersionConflict):
        services.meeting_update(user=world.users[Role.COORDINATOR], meeting=meeting, starts_at=next_week_at(15),
                                ends_at=next_week_at(16), place="Sala 4", expected_version=1)
    meeting.refresh_from_db()
    assert meeting.place == "Sala 3"


@pytest.mark.django_db
def test_removed_invitee_gets_a_cancellation_and_others_nothing(world, run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world, institutions=[world.police_a, world.csr_a])
    mail.outbox.clear()
    police = meeting.invitees.get(institution=world.police_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitee_remove(user=world.users[Role.COORDINATOR], meeting=meeting, invitee_id=police.pk)
    assert [m.to for m in mail.outbox] == [[world.police_a.email]]
    assert "no longer expected" in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][2].startswith("text/calendar; method=CANCEL")
    assert not meeting.invitees.filter(institution=world.police_a).exists()


@pytest.mark.django_db
def test_answers_by_the_person_or_for_the_institution(world, verified_client):
    meeting = schedule(world, people=[world.users[Role.SUPERVISOR]], institutions=[world.police_a])
    own = meeting.invitees.get(user=world.users[Role.SUPERVISOR])
    police = meeting.invitees.get(institution=world.police_a)
    client = verified_client(world.users["police_caseworker"])
    page = client.get(reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk}))
    assert [i.pk for i, _f in page.context["answer_forms"]] == [police.pk]
    response = client.post(reverse("conferences:meeting_respond", kwargs={"pk": meeting.pk}),
                           {"invitee": police.pk, "response": "declined", "note": "Dežurstvo"})
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.response == InvitationResponse.DECLINED and police.response_note == "Dežurstvo"
    # Someone else's invitation cannot be answered.
    response = client.post(reverse("conferences:meeting_respond", kwargs={"pk": meeting.pk}),
                           {"invitee": own.pk, "response": "accepted"})
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.response == InvitationResponse.PENDING
    # Another municipality does not even see the meeting.
    other = verified_client(world.users["other_municipality"][Role.COORDINATOR])
    assert other.get(reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk})).status_code == 404


@pytest.mark.django_db
def test_agenda_add_by_number_reorder_and_remove(world, verified_client):
    coordinator = world.users[Role.COORDINATOR]
    meeting = schedule(world)
    cases = [make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER]) for _ in range(3)]
    client = verified_client(coordinator)
    for case in cases:
        response = client.post(reverse("conferences:agenda_add", kwargs={"pk": meeting.pk}),
                               {"number": case.number.lower(), "section": "review", "planned_minutes": 15})
        assert response.status_code == 302
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    assert [i.case_id for i in items] == [c.pk for c in cases]
    response = client.post(reverse("conferences:agenda_move", kwargs={"pk": meeting.pk, "item_pk": items[2].pk}),
                           {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="agenda"' in response.content.decode()
    order = list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("case_id", flat=True))
    assert order == [cases[0].pk, cases[2].pk, cases[1].pk]
    client.post(reverse("conferences:agenda_remove", kwargs={"pk": meeting.pk, "item_pk": items[0].pk}))
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2
    # A case of another municipality, or an unknown number: the same message, nothing added.
    other_case = make_case(institution=world.csr_b, opened_by=world.users["other_municipality"][Role.CASEWORKER])
    for number in (other_case.number, "NEMA-2026-99999", cases[1].number):
        response = client.post(reverse("conferences:agenda_add", kwargs={"pk": meeting.pk}),
                               {"number": number, "section": "other", "planned_minutes": 15})
        assert response.status_code == 400
        assert response.context["agenda_form"].errors["number"]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


@pytest.mark.django_db
def test_agenda_shows_only_visible_cases_and_counts_the_rest(world, verified_client):
    meeting = schedule(world, institutions=[world.csr_a, world.police_a])
    csr_case = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
    police_case = make_case(institution=world.police_a, opened_by=world.users["police_caseworker"])
    AgendaItemFactory(meeting=meeting, case=police_case, section="new", position=1)
    AgendaItemFactory(meeting=meeting, case=csr_case, section="review", position=2)
    body = verified_client(world.users[Role.CASEWORKER]).get(
        reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk})).content.decode()
    assert csr_case.number in body and police_case.number not in body
    assert "1 further case on this agenda is not shown" in body
    coordinator_body = verified_client(world.users[Role.COORDINATOR]).get(
        reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk})).content.decode()
    assert coordinator_body.index(police_case.number) < coordinator_body.index(csr_case.number)  # new before review
    assert "further case" not in coordinator_body


@pytest.mark.django_db
def test_coordinator_of_a_member_municipality_schedules_the_area_group(world):
    from tests.conferences.factories import AreaFactory

    prosecutor = member(Role.CASEWORKER, world.police_a)
    area = AreaFactory(municipality=world.mun_b, municipalities=[world.mun_a], institutions=[world.csr_b])
    meeting = schedule(world, kind=MeetingKind.COORDINATION_GROUP, area=area, municipality=None, chair=prosecutor,
                       institutions=[world.csr_b, world.police_a])
    assert meeting.municipality == world.mun_b and meeting.area == area
    from tests.factories import InstitutionFactory

    outsider = InstitutionFactory()
    with pytest.raises(ValidationError) as error:
        schedule(world, kind=MeetingKind.COORDINATION_GROUP, area=area, institutions=[outsider])
    assert "institutions" in error.value.message_dict


def _seed(world, n_meetings: int, n_items: int, offset: int = 0):
    coordinator = world.users[Role.COORDINATOR]
    meetings = []
    for i in range(n_meetings):
        meeting = MeetingFactory(municipality=world.mun_a, created_by=coordinator, chair=coordinator,
                                 starts_at=next_week_at(8 + i % 8, days=7 + offset + i),
                                 ends_at=next_week_at(9 + i % 8, days=7 + offset + i))
        InviteeFactory(meeting=meeting, user=None, institution=world.csr_a)
        meetings.append(meeting)
    for _ in range(n_items):
        case = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
        AgendaItemFactory(meeting=meetings[0], case=case)
    return meetings


@pytest.mark.django_db
def test_list_and_detail_query_counts_do_not_grow(world, verified_client, django_assert_max_num_queries):
    client = verified_client(world.users[Role.COORDINATOR])
    meetings = _seed(world, 2, 1)
    list_url = reverse("conferences:meeting_list")
    detail_url = reverse("conferences:meeting_detail", kwargs={"pk": meetings[0].pk})
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_list:
        assert client.get(list_url).status_code == 200
    with CaptureQueriesContext(connection) as small_detail:
        assert client.get(detail_url).status_code == 200
    _seed(world, 12, 0, offset=2)  # on other days: no booking conflicts in either state
    for _ in range(10):
        AgendaItemFactory(meeting=meetings[0], case=make_case(institution=world.csr_a,
                                                              opened_by=world.users[Role.CASEWORKER]))
    with django_assert_max_num_queries(len(small_list)):
        response = client.get(list_url)
    assert len(response.context["meetings"]) == 14
    with django_assert_max_num_queries(len(small_detail)):
        response = client.get(detail_url)
    assert len(response.context["agenda"].items) == 11
