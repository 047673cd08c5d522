"""The iCalendar files parsed back with ``icalendar``: same UID, rising SEQUENCE, METHOD, TZID, no personal data."""
from __future__ import annotations

import pytest
from django.core import mail
from icalendar import Calendar

from apps.conferences import ics
from apps.conferences.choices import InviteeRole, MeetingKind
from apps.conferences.services import meetings as services
from apps.core.choices import Role
from tests.cases.factories import english  # noqa: F401
from tests.cases.factories_measures import make_case
from tests.conferences.factories import AgendaItemFactory, next_week_at

from .test_meetings import _ics, run_tasks, schedule  # noqa: F401 - fixture


def _parse(text) -> tuple[Calendar, object]:
    cal = Calendar.from_ical(text)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return cal, events[0]


@pytest.mark.django_db
def test_invitation_update_and_cancellation_keep_the_uid_and_raise_the_sequence(
    world, run_tasks, django_capture_on_commit_callbacks  # noqa: F811
):
    coordinator = world.users[Role.COORDINATOR]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world, institutions=[world.police_a],
                           outside=[services.Outside("Testna Primer", "zrtva.primer@example.test", InviteeRole.VICTIM)])
    case = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
    AgendaItemFactory(meeting=meeting, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(user=coordinator, meeting=meeting, starts_at=next_week_at(14), ends_at=next_week_at(15),
                                place="Sala 5")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(user=coordinator, meeting=meeting)
    police_mail = [m for m in mail.outbox if m.to == [world.police_a.email]]
    assert len(police_mail) == 3
    parsed = [_parse(_ics(m)) for m in police_mail]
    methods = [str(cal["METHOD"]) for cal, _e in parsed]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert {str(event["UID"]) for _c, event in parsed} == {meeting.uid}
    sequences = [int(event["SEQUENCE"]) for _c, event in parsed]
    assert sequences == [0, 1, 2]
    for cal, event in parsed:
        assert event["DTSTART"].params["TZID"] == "Europe/Belgrade"
        assert event["DTEND"].params["TZID"] == "Europe/Belgrade"
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Belgrade"]
        assert "DTSTAMP" in event
        assert str(event["ORGANIZER"]).startswith("mailto:")
        assert str(event["ATTENDEE"]) == f"mailto:{world.police_a.email}"
    _cal, updated = parsed[1]
    assert updated["DTSTART"].dt.hour == 14 and str(updated["LOCATION"]) == "Sala 5"
    assert str(parsed[2][1]["STATUS"]) == "CANCELLED"
    # No case data and no person's data anywhere in what was sent.
    for message in mail.outbox:
        text = _ics(message) + message.body + message.subject
        for secret in (case.number, "Testna Primer", coordinator.get_full_name(), coordinator.email):
            assert secret not in text


@pytest.mark.django_db
def test_the_ics_names_only_its_recipient_and_the_kind(world):
    meeting = schedule(world, kind=MeetingKind.SUPERVISION, online_url="https://meet.example.test/x", place="")
    cal, event = _parse(ics.invitation_ics(meeting, attendee="primalac@example.test"))
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["SUMMARY"]) == f"Expert / supervision meeting · {world.mun_a.name}"
    assert str(event["LOCATION"]) == "https://meet.example.test/x"
    assert str(event["URL"]).endswith(f"/conferences/meetings/{meeting.pk}/")
    attendees = event.get("ATTENDEE")
    assert str(attendees) == "mailto:primalac@example.test"
