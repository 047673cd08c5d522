"""An inter-municipal meeting under row-level security, as coordination-group meetings are: the row
lives in the host municipality and names the coordination area; the area's municipalities are in the
context of their users, so a coordinator of another area municipality reads and runs it and its
participation counts for their municipality; a municipality outside the area reads nothing.
The anonymous verification page reads through the narrow check function (migration events 0003)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from apps.conferences.models import AreaMunicipality
from apps.core import tenancy
from apps.core.choices import Role
from apps.core.models import AuditEntry
from apps.events.choices import EventKind
from apps.events.models import Certificate, Event, Participant
from apps.events.selectors.targets import targets_for
from apps.events.services import events as services
from apps.institutions.choices import InstitutionType
from tests.conferences.factories import AreaFactory
from tests.factories import InstitutionFactory, MunicipalityFactory, member

from .helpers import day_at, held


@pytest.mark.django_db
def test_inter_municipal_meeting_across_the_area_under_rls(world, client):
    member_mun = MunicipalityFactory(name="Testgrad C", name_cyrl="Тестград Ц")
    csr_c = InstitutionFactory(municipality=member_mun, type=InstitutionType.CSR, name="CSR Testgrad C")
    coordinator_c = member(Role.COORDINATOR, csr_c)
    official_c = member(Role.OFFICIAL, csr_c)
    area = AreaFactory(municipality=world.mun_a, name="Testno područje A+C")
    AreaMunicipality.objects.get_or_create(area=area, municipality=member_mun)
    coordinator_a = world.users[Role.COORDINATOR]
    for user in (coordinator_a, coordinator_c, official_c):
        user.refresh_access()
    with tenancy.user_context(coordinator_a):
        event = services.event_plan(user=coordinator_a, area=area, municipality=world.mun_a,
                                    kind=EventKind.INTER_MUNICIPAL, title="Međuopštinski (test)",
                                    starts_at=day_at(5, 10), ends_at=day_at(5, 12), staff=[coordinator_c])
    assert event.municipality_id == world.mun_a.pk and event.area_id == area.pk

    with tenancy.user_context(coordinator_c), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM events_event")
        assert [row[0] for row in cursor.fetchall()] == [event.pk]
        cursor.execute("SELECT member_id FROM events_eventmunicipality ORDER BY member_id")
        assert [row[0] for row in cursor.fetchall()] == sorted([world.mun_a.pk, member_mun.pk])
        # The coordinator of the other area municipality runs it too (as for coordination groups).
        assert Event.objects.visible_to(coordinator_c, "change").filter(pk=event.pk).exists()
        assert Participant.objects.visible_to(coordinator_c).filter(event=event).count() == 1
    outsider = world.users["other_municipality"][Role.COORDINATOR]
    with tenancy.user_context(outsider), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_event")
        assert cursor.fetchone()[0] == 0
        assert not Event.objects.visible_to(outsider).exists()

    # Held: it counts for both municipalities of the area, read by an official of the member.
    held(event)
    Event.objects.filter(pk=event.pk).update(status="held")
    with tenancy.user_context(official_c):
        _period, rows = targets_for(official_c)
    [row] = rows
    figure = next(k for k in row.kinds if k.kind == EventKind.INTER_MUNICIPAL)
    assert row.municipality_id == member_mun.pk and figure.held == 1

    # The anonymous verification page: the narrow check function, event facts only, no audit entry.
    participant = Participant.objects.get(event=event)
    participant.attended = True
    participant.save()
    certificate = Certificate.objects.create(participant=participant, event=event, municipality=world.mun_a,
                                             language="sr-latn", issued_at=event.starts_at)
    before = AuditEntry.objects.count()
    body = client.get(reverse("events:verify_code", args=[certificate.code])).content.decode()
    assert "Međuopštinski (test)" in body and coordinator_c.get_full_name() not in body
    assert "The certificate is valid." in body
    assert AuditEntry.objects.count() == before
