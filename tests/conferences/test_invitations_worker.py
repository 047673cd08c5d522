"""A real Celery worker delivers a meeting invitation through a real SMTP server, with a calendar file."""
import time

import pytest
from icalendar import Calendar

from apps.conferences.models import MeetingInvitee
from apps.conferences.services import meetings as services
from apps.core import tenancy
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from tests.conferences.factories import next_week_at
from tests.conftest_celery import celery_worker, smtp_server  # noqa: F401 - fixtures
from tests.factories import InstitutionFactory, MunicipalityFactory, member

pytestmark = [pytest.mark.celery, pytest.mark.timeout(240)]


def test_invitation_arrives_with_a_parseable_calendar_attachment(celery_worker, smtp_server):  # noqa: F811
    municipality = MunicipalityFactory(name="Testgrad Radnik")
    csr = InstitutionFactory(municipality=municipality, type=InstitutionType.CSR, name="CSR Testgrad Radnik")
    police = InstitutionFactory(municipality=municipality, type=InstitutionType.POLICE, name="Policija Testgrad Radnik",
                                email="policija.radnik@test.kzn.example")
    coordinator = member(Role.COORDINATOR, csr)

    # Scheduled in the coordinator's context, as a request does: the worker sends in it.
    with tenancy.user_context(coordinator):
        meeting = services.meeting_schedule(
            user=coordinator, kind="case_conference", municipality=municipality, starts_at=next_week_at(10),
            ends_at=next_week_at(11), place="Sala Radnik", institutions=[police],
        )
        assert smtp_server.messages == []  # nothing leaves before the commit

    [received] = smtp_server.wait_for(1, timeout=90)
    assert received.rcpt_tos == ["policija.radnik@test.kzn.example"]
    parts = [p for p in received.message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    cal = Calendar.from_ical(parts[0].get_payload(decode=True))
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Belgrade"
    assert "Sala Radnik" in received.body
    deadline = time.monotonic() + 30
    while MeetingInvitee.objects.get(meeting=meeting).sent_sequence is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert MeetingInvitee.objects.get(meeting=meeting).sent_sequence == 0
