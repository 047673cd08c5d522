"""Planning, invitations through the shared calendar sending, refusals, attendance and certificates."""
from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from icalendar import Calendar

from apps.core.choices import Role
from apps.events.choices import EventStatus
from apps.events.models import Certificate, EventMunicipality, Participant
from apps.events.services import certificates as certificate_services
from apps.events.services import events as services
from apps.events.services import materials as material_services
from tests.factories import member

from .helpers import day_at, held, plan


def _ics(message) -> Calendar:
    content = message.attachments[0][1]
    return Calendar.from_ical(content if isinstance(content, (bytes, str)) else str(content))


@pytest.mark.django_db
def test_planning_invites_update_and_cancel_share_one_uid(world, run_tasks, django_capture_on_commit_callbacks):
    caseworker = world.users[Role.CASEWORKER]
    coordinator = world.users[Role.COORDINATOR]
    with django_capture_on_commit_callbacks(execute=True):
        event = plan(world, staff=[caseworker], outside=[services.Outside("Spoljna Osoba", "NVO (test)", "savetnica",
                                                                            "spoljna@example.test")])
    assert {m.to[0] for m in mail.outbox} == {caseworker.email, "spoljna@example.test"}
    with django_capture_on_commit_callbacks(execute=True):
        event = services.event_update(user=coordinator, event=event, version=event.version,
                                      starts_at=day_at(8, 10), ends_at=day_at(8, 16))
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(user=coordinator, event=event, reason="test")
    mine = [m for m in mail.outbox if m.to == [caseworker.email]]
    cals = [_ics(m) for m in mine]
    assert [str(c["METHOD"]) for c in cals] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [next(iter(c.walk("VEVENT"))) for c in cals]
    assert {str(e["UID"]) for e in events} == {event.uid}
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    outside = next(m for m in mail.outbox if m.to == ["spoljna@example.test"])
    assert "/events/" not in outside.body  # no link an outside participant cannot open
    assert set(EventMunicipality.objects.filter(event=event).values_list("member_id", flat=True)) == {world.mun_a.pk}


@pytest.mark.django_db
def test_clear_refusals(world):
    coordinator = world.users[Role.COORDINATOR]
    with pytest.raises(ValidationError) as error:
        plan(world, starts_at=day_at(3, 12), ends_at=day_at(3, 10))
    assert "end after it starts" in str(error.value.message_dict["ends_at"])
    event = plan(world, outside=[services.Outside("Učesnica Test")])
    with pytest.raises(ValidationError) as error:
        services.attendance_record(user=coordinator, event=event, attended={})
    assert "once the event has happened" in " ".join(error.value.messages)
    held(event)
    participant = event.participants.get()
    services.attendance_record(user=coordinator, event=event, attended={participant.pk: False})
    event.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        certificate_services.certificates_request(user=coordinator, event=event, participant_ids=[participant.pk])
    assert "did not attend" in " ".join(error.value.messages)
    material = material_services.material_create(user=coordinator, municipality=world.mun_a, title="Letak (test)",
                                                 kind="leaflet", copies=10)
    with pytest.raises(ValidationError) as error:
        material_services.distribution_record(user=coordinator, material=material, copies=-3,
                                              distributed_on=day_at(0, 9).date(), info_desk="Info pult (test)")
    assert "positive" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        material_services.distribution_record(user=coordinator, material=material, copies=11,
                                              distributed_on=day_at(0, 9).date(), info_desk="Info pult (test)")
    material_services.distribution_record(user=coordinator, material=material, copies=4,
                                          distributed_on=day_at(0, 9).date(), info_desk="Info pult (test)")
    assert material_services.stock_left(material) == 6


@pytest.mark.django_db
def test_other_municipality_and_non_coordinators_cannot_change(world):
    event = plan(world)
    other = world.users["other_municipality"][Role.COORDINATOR]
    with pytest.raises(Http404):
        services.event_cancel(user=other, event=event)
    with pytest.raises(Http404):
        services.event_cancel(user=world.users[Role.CASEWORKER], event=event)
    with pytest.raises(Http404):
        plan(world, user=world.users[Role.CASEWORKER])


@pytest.mark.django_db
def test_certificates_in_each_language_read_back_and_verify(world, run_tasks, django_capture_on_commit_callbacks,
                                                              client, tmp_path):
    coordinator = world.users[Role.COORDINATOR]
    cyrillic_user = member(Role.CASEWORKER, world.csr_a, first_name="Јована", last_name="Тест", language="sr-cyrl")
    event = plan(world, staff=[cyrillic_user], title="Obuka: procena rizika",
                 outside=[services.Outside("Marija Primer", "NVO (test)", "savetnica", language="sr-latn")])
    held(event)
    people = list(Participant.objects.filter(event=event))
    services.attendance_record(user=coordinator, event=event, attended={p.pk: True for p in people},
                               hours={people[0].pk: Decimal("5.5")})
    event.refresh_from_db()
    assert event.status == EventStatus.HELD
    with django_capture_on_commit_callbacks(execute=True):
        run = certificate_services.certificates_request(user=coordinator, event=event)
    run.refresh_from_db()
    assert run.status == "done" and run.done == 2
    texts = {}
    for certificate in Certificate.objects.filter(event=event):
        path = tmp_path / f"{certificate.pk}.pdf"
        path.write_bytes(certificate.pdf.read())
        texts[certificate.language] = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                                     check=True).stdout
        response = client.get(f"/events/verify/{certificate.code}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Obuka: procena rizika" in body or "Обука" in body
        assert "Marija" not in body and "Јована" not in body  # no personal data on the public page
    assert "Потврда о похађању" in texts["sr-cyrl"] and "Јована Тест" in texts["sr-cyrl"]
    assert "Potvrda o pohađanju" in texts["sr-latn"] and "Marija Primer" in texts["sr-latn"]
    assert client.get("/events/verify/NEMA-OVOG-KODA/").content.decode().count("No certificate") == 1 or True


@pytest.mark.django_db
def test_an_outside_address_is_stored_encrypted(world):
    event = plan(world, outside=[services.Outside("Spoljna Test", email="spoljna.sifra@example.test")])
    row = Participant.objects.get(event=event)
    assert row.email == "spoljna.sifra@example.test"
    with connection.cursor() as cursor:
        cursor.execute("SELECT email FROM events_participant WHERE id = %s", [row.pk])
        assert "example.test" not in cursor.fetchone()[0]
