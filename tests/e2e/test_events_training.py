"""Marko, coordinator in Lazarevac, plans a training in the browser and invites Jelena (caseworker)
and an outside participant; after the training he records attendance and hours, switches to
Cyrillic and issues the certificates, which are read back with pdftotext in Latin and Cyrillic; the
public verification page (anonymous) confirms a code with the event, date and validity only. He
then revokes one certificate with a reason (the public page says "revoked") and issues it again
with a new code."""
import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.events.models import Certificate, Event, Participant

from .conftest import ARTIFACTS
from .fixtures_cases import build_case_world, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
TITLE = "Napredni seminar: procena rizika (test)"


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60)
    return " ".join(out.stdout.decode("utf-8").split())


def test_coordinator_plans_a_training_records_attendance_and_issues_certificates(page, browser, live_server,
                                                                                 screenshot, monkeypatch, settings,
                                                                                 tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The certificate and invitation tasks run in the request's process here (a worker is not part of this
    # test): Celery in eager mode, which the outbox honours when it queues them after the commit.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    world = build_case_world()
    caseworker = world.users["lazarevac.caseworker"]
    log_in(page, "lazarevac.coordinator", world.devices["lazarevac.coordinator"])

    page.goto("/events/new/?kind=training")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.fill("#id_title", TITLE)
    page.fill("#id_date", tomorrow.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "15:00")
    page.fill("#id_place", "Sala za obuke, Lazarevac (test)")
    page.fill("#id_facilitators", "Trenerka Test")
    page.fill("#id_topics", "Procena rizika; hitne mere")
    page.fill("#id_hours", "6")
    page.check("input[name=target_groups][value=csr]")
    page.check("input[name=target_groups][value=police]")
    page.select_option("#id_people", str(caseworker.pk))
    screenshot(page, "plan-form")
    submit(page, "main form button[type=submit]")
    event = Event.objects.get(title=TITLE)
    assert page.url.endswith(f"/events/{event.pk}/")
    assert page.locator("h1").inner_text() == TITLE

    page.click("text=Dodaj učesnika")
    page.fill("#participants #id_name", "Петар Тест-Пример")
    page.fill("#participants #id_institution_name", "Школа „Пример“ (тест)")
    page.fill("#participants #id_function", "педагог")
    page.select_option("#participants #id_language", "sr-cyrl")
    submit(page, "#participants form[action$='/participants/add/'] button[type=submit]")
    assert "Петар Тест-Пример" in page.locator("#participants table").inner_text()
    screenshot(page, "planned")

    # The training took place (two days ago).
    start = timezone.now() - timedelta(days=2)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=6))
    page.reload()
    outside = Participant.objects.get(event=event, name="Петар Тест-Пример")
    staff = Participant.objects.get(event=event, user=caseworker)
    page.check(f"input[name=attended_{outside.pk}]")
    page.check(f"input[name=attended_{staff.pk}]")
    page.fill(f"input[name=hours_{staff.pk}]", "5,5")
    submit(page, "#save-attendance")
    staff.refresh_from_db()
    assert staff.attended and str(staff.hours) == "5.5"
    screenshot(page, "attendance")

    page.select_option("#language-select", "sr-cyrl")
    page.wait_for_function("document.documentElement.lang === 'sr-Cyrl'")
    submit(page, "#certificates form button[type=submit]")
    page.wait_for_selector("#certificate-run progress")
    assert CYRILLIC.search(page.locator("#certificates").inner_text())
    page.reload()
    assert Certificate.objects.filter(event=event).count() == 2
    screenshot(page, "certificates-cyrillic")

    texts = {}
    for certificate in Certificate.objects.filter(event=event):
        with page.expect_download() as info:
            page.evaluate(f"() => {{ const a = document.createElement('a'); a.href = '/events/{event.pk}/certificates/"
                          f"{certificate.pk}.pdf'; a.download = 'c.pdf'; document.body.appendChild(a); a.click(); }}")
        path = ARTIFACTS / f"certificate-{certificate.language}.pdf"
        info.value.save_as(path)
        texts[certificate.language] = pdf_text(path)
    assert "Потврда о похађању" in texts["sr-cyrl"] and "Петар Тест-Пример" in texts["sr-cyrl"]
    assert "Potvrda o pohađanju" in texts["sr-latn"] and caseworker.get_full_name() in texts["sr-latn"]
    assert "5,5" in texts["sr-latn"] or "5.5" in texts["sr-latn"]

    code = Certificate.objects.get(event=event, language="sr-cyrl").code
    anonymous = browser.new_context(base_url=live_server.url, locale="sr-Latn-RS", viewport={"width": 390, "height": 844})
    public = anonymous.new_page()
    public.goto(f"/events/verify/{code}/")
    body = public.locator("main").inner_text()
    assert TITLE in body and "Петар" not in body and caseworker.get_full_name() not in body
    screenshot(public, "verify-phone")
    anonymous.close()

    # A certificate issued with the wrong hours: revoked with a reason, then issued again.
    revoked = Certificate.objects.get(event=event, language="sr-cyrl")
    page.click(f"a[href$='/certificates/{revoked.pk}/revoke/']")
    page.fill("#id_reason", "Погрешно уписани сати (тест)")
    screenshot(page, "revoke-cyrillic")
    submit(page, "main form button[type=submit]")
    assert "Погрешно уписани сати (тест)" in page.locator("#certificates").inner_text()
    submit(page, "#certificates form button[type=submit]")
    page.reload()
    renewed = Certificate.objects.get(participant=revoked.participant, revoked_at__isnull=True)
    assert renewed.code != revoked.code
    anonymous = browser.new_context(base_url=live_server.url, locale="sr-Latn-RS")
    public = anonymous.new_page()
    public.goto(f"/events/verify/{revoked.code}/")
    assert "Potvrda je opozvana." in public.locator("main").inner_text()
    public.goto(f"/events/verify/{renewed.code}/")
    assert "Potvrda je važeća." in public.locator("main").inner_text()
    anonymous.close()

