"""The event pages end to end in the test client: planning, attendance, certificates, refusals shown
on the form, the version conflict, PDFs, exports, the targets beside the conference targets and the
calendar feed listing events."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.conferences.services.invitations import feed_create
from apps.core.choices import Role
from apps.core.models import AuditEntry
from apps.events import hooks
from apps.events.models import Certificate, Event, Participant, PublicPageSetting

from .helpers import held, plan


def _form(**extra):
    day = timezone.localdate() + timedelta(days=9)
    data = {"kind": "training", "title": "Obuka stranica (test)", "date": day.isoformat(), "start_time": "09:00",
            "end_time": "15:00", "place": "Sala 2", "hours": "6", "target_groups": ["csr", "police"]}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_coordinator_plans_records_attendance_and_issues_certificates(world, login, run_tasks,
                                                                      django_capture_on_commit_callbacks):
    coordinator = world.users[Role.COORDINATOR]
    caseworker = world.users[Role.CASEWORKER]
    client = login(coordinator)
    assert client.get(reverse("events:event_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:event_create"), _form(municipality=world.mun_a.pk,
                                                                     people=[caseworker.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Obuka stranica (test)")
    assert [m.to for m in mail.outbox] == [[caseworker.email]]
    assert AuditEntry.objects.filter(object_type="events.event", object_id=str(event.pk), action="create").exists()
    # An outside participant, then attendance is refused before the event.
    client.post(reverse("events:participant_add", args=[event.pk]),
                {"name": "Spoljna Učesnica", "institution_name": "NVO", "function": "savetnica", "language": "sr-cyrl"})
    outside = Participant.objects.get(event=event, name="Spoljna Učesnica")
    response = client.post(reverse("events:attendance", args=[event.pk]), {f"attended_{outside.pk}": "on"},
                           follow=True)
    assert "Attendance can be recorded only once the event has happened." in response.content.decode()
    held(event)
    staff_row = Participant.objects.get(event=event, user=caseworker)
    client.post(reverse("events:attendance", args=[event.pk]),
                {f"attended_{outside.pk}": "on", f"hours_{outside.pk}": "5,5"})
    outside.refresh_from_db()
    staff_row.refresh_from_db()
    assert outside.attended is True and str(outside.hours) == "5.5" and staff_row.attended is False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:certificates_issue", args=[event.pk]), follow=True)
    assert Certificate.objects.filter(event=event).count() == 1
    page = response.content.decode()
    assert "Issuing 1 certificates" in page
    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "Certificates: 1 of 1 · Done" in page and "1 issued; 1 attended." in page
    certificate = Certificate.objects.get(event=event)
    assert certificate.language == "sr-cyrl"
    pdf = client.get(reverse("events:certificate_pdf", args=[event.pk, certificate.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    for name in ("sign_in_pdf", "attendance_pdf"):
        response = client.get(reverse(f"events:{name}", args=[event.pk]))
        assert response.status_code == 200 and response.content[:4] == b"%PDF"
    csv = client.get(reverse("events:attendance_export", args=[event.pk, "csv"])).content.decode()
    assert "Spoljna Učesnica" in csv and certificate.code in csv
    xlsx = client.get(reverse("events:attendance_export", args=[event.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    # The caseworker sees the event but not its attendance controls, and cannot change it.
    other = login(caseworker)
    assert other.get(reverse("events:event_detail", args=[event.pk])).status_code == 200
    assert other.post(reverse("events:attendance", args=[event.pk]), {}).status_code == 404


@pytest.mark.django_db
def test_refusals_on_the_form_and_version_conflict(world, login):
    client = login(world.users[Role.COORDINATOR])
    response = client.post(reverse("events:event_create"), _form(municipality=world.mun_a.pk, start_time="15:00",
                                                                 end_time="09:00"))
    assert response.status_code == 200 and "The event must end after it starts." in response.content.decode()
    response = client.post(reverse("events:event_create"), _form(kind="inter_municipal", municipality=world.mun_a.pk))
    assert "An inter-municipal meeting needs the coordination area" in response.content.decode()
    event = plan(world)
    stale = {**_form(title="Prva izmena"), "version": event.version}
    assert client.post(reverse("events:event_edit", args=[event.pk]), stale).status_code == 302
    response = client.post(reverse("events:event_edit", args=[event.pk]), {**stale, "title": "Druga izmena"})
    assert response.status_code == 200 and "Someone else saved this record" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Prva izmena"


@pytest.mark.django_db
def test_other_municipality_gets_404(world, login):
    event = plan(world)
    client = login(world.users["other_municipality"][Role.COORDINATOR])
    for name in ("event_detail", "event_edit", "sign_in_pdf"):
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404
    assert event.title not in client.get(reverse("events:event_list")).content.decode()


@pytest.mark.django_db
def test_targets_beside_the_conference_targets_and_export(world, login):
    event = held(plan(world, kind="round_table", title="Okrugli sto (test)"))
    Event.objects.filter(pk=event.pk).update(status="held")
    client = login(world.users[Role.OFFICIAL])
    page = client.get(reverse("conferences:targets")).content.decode()
    assert "Programme events" in page and "Public round table" in page
    csv = client.get(reverse("events:targets_export", args=["csv"])).content.decode()
    assert "Testgrad A,2025-2027,Public round table,1,1" in csv.replace("\r", "")
    assert "Testgrad B" not in csv
    assert login(world.users[Role.CASEWORKER]).get(reverse("events:targets_export", args=["csv"])).status_code == 404


@pytest.mark.django_db
def test_the_calendar_feed_lists_events_too(world, client):
    caseworker = world.users[Role.CASEWORKER]
    event = plan(world, staff=[caseworker])
    _feed, token = feed_create(user=caseworker)
    body = client.get(reverse("conferences:calendar_feed", args=[token])).content.decode()
    assert event.uid in body and "METHOD:PUBLISH" in body


@pytest.mark.django_db
def test_public_page_is_off_by_default_and_shows_no_person(world, client, login):
    event = held(plan(world, kind="round_table", title="Okrugli sto javni (test)",
                      public_summary="Predstavljen plan (test)"))
    Event.objects.filter(pk=event.pk).update(status="held")
    url = reverse("events:public_page", args=[world.mun_a.slug])
    assert client.get(url).status_code == 404
    login(world.users[Role.COORDINATOR]).post(reverse("events:public_page_toggle"),
                                              {"municipality": world.mun_a.pk, "enabled": "on"})
    assert PublicPageSetting.objects.get(municipality=world.mun_a).enabled
    client.logout()
    page = client.get(url).content.decode()
    assert "Okrugli sto javni (test)" in page and "Predstavljen plan (test)" in page
    assert world.users[Role.COORDINATOR].get_full_name() not in page


@pytest.mark.django_db
def test_the_questionnaire_link_point(world, login):
    def provider(user, event):
        return [hooks.QuestionnaireLink("Upitnik pre obuke (test)", f"/surveys/x/{event.pk}/")]

    hooks.register_questionnaires(provider)
    try:
        event = plan(world)
        page = login(world.users[Role.COORDINATOR]).get(reverse("events:event_detail", args=[event.pk])).content.decode()
        assert "Upitnik pre obuke (test)" in page
    finally:
        hooks.questionnaire_providers.remove(provider)


@pytest.mark.django_db
def test_home_shows_the_next_event_to_coordinators(world, login):
    event = plan(world, title="Sledeća obuka (test)")
    assert event.title in login(world.users[Role.COORDINATOR]).get("/").content.decode()
    assert event.title not in login(world.users["other_municipality"][Role.COORDINATOR]).get("/").content.decode()
