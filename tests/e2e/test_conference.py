"""Nikola, coordinator of the centre for social work in Kragujevac, schedules a case conference in
the browser, puts three cases on its agenda and reorders them, records the minutes (the draft also
saves itself while he types), approves them and downloads them as a PDF; Jovana, caseworker of the
centre, finds the action item in her work queue and reports it done; Nikola's action-item list
shows it done; a coordinator of Kraljevo gets a 404 for the meeting."""
import re
import subprocess
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.conferences.choices import ActionStatus, MeetingStatus, MinutesStatus
from apps.conferences.models import ActionItem, AgendaItem, Meeting, MeetingInvitee, Minutes

from .conftest import ARTIFACTS
from .fixtures_cases import log_in
from .fixtures_conferences import build_conference_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PLACE = "Sala za sastanke CSR-a, Ulica Primer 1, Kragujevac (test)"
AGENDA_REASON = "Ponovljeno nasilje, žrtva traži zaštitu (test)"
DISCUSSION = "Policija je izvestila o dve intervencije; dom zdravlja prati žrtvu (test)."
DECISIONS = "Odlučeno: hitna kućna poseta i razgovor sa detetom u školi (test)."
ACTION_TEXT = "Kućna poseta porodici i razgovor sa žrtvom (test)"
COMPLETION_NOTE = "Poseta obavljena, žrtva je bezbedna; dogovoren sledeći razgovor (test)."
ALSO_PRESENT = "Pedagoškinja škole, po pozivu predsedavajućeg (test)"
MORE_DECISIONS = "Škola javlja izostanke deteta (test)."


def new_page(browser, live_server):
    """A second browser (own cookies) with the settings of the ``page`` fixture."""
    context = browser.new_context(base_url=live_server.url, locale="sr-Latn-RS", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def submit(page, button_selector: str) -> None:
    """Click a submit button and wait for the page the server answers with (a redirect may land
    on the same address, so the URL alone does not tell)."""
    with page.expect_navigation():
        page.click(button_selector)


def pdf_text(path) -> str:
    """The text of a PDF with whitespace collapsed (a line break in a table cell becomes a space)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60)
    return " ".join(out.stdout.decode("utf-8").split())


def test_coordinator_runs_a_case_conference_caseworker_completes_the_action(page, browser, live_server, screenshot):
    world = build_conference_world()
    case1, case2, case3 = world.cases
    coordinator = world.users["kragujevac.coordinator"]
    caseworker = world.users["kragujevac.caseworker"]
    started = time.monotonic()
    day = timezone.localdate() + timedelta(days=7)

    # --- Nikola schedules the conference: next week, 10:00-11:30, he chairs; police and health invited
    log_in(page, "kragujevac.coordinator", world.devices["kragujevac.coordinator"])
    page.goto(reverse("conferences:meeting_create"))
    assert page.input_value("#id_kind") == "case_conference", "a case conference is the default kind"
    assert page.input_value("#id_municipality") == str(world.kragujevac.pk), "his only municipality is preselected"
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "11:30")
    page.fill("#id_place", PLACE)
    page.select_option("#id_chair", str(coordinator.pk))
    page.check(f"input[name=institutions][value='{world.police.pk}']")
    page.check(f"input[name=institutions][value='{world.health.pk}']")
    screenshot(page, "01-schedule-form")
    page.click("main .form-page form button[type=submit]")
    page.wait_for_url(re.compile(r"/conferences/meetings/\d+/$"))
    assert not page.locator("main .field.has-error").count()

    meeting = Meeting.objects.get(municipality=world.kragujevac)
    meeting_path = reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk})
    assert page.url.endswith(meeting_path)
    starts = timezone.localtime(meeting.starts_at)
    assert (starts.date(), starts.strftime("%H:%M")) == (day, "10:00")
    assert timezone.localtime(meeting.ends_at).strftime("%H:%M") == "11:30"
    assert meeting.place == PLACE
    assert meeting.chair_id == coordinator.pk
    assert meeting.status == MeetingStatus.SCHEDULED
    invited_institutions = set(
        MeetingInvitee.objects.filter(meeting=meeting, institution__isnull=False, user__isnull=True)
        .values_list("institution_id", flat=True)
    )
    assert invited_institutions == {world.police.pk, world.health.pk}
    invitees = page.locator("#invitees tbody").inner_text()
    assert world.police.name in invitees and world.health.name in invitees
    assert world.school.name not in invitees
    assert PLACE in page.locator("main section.card dl.facts").inner_text()

    # --- three cases on the agenda by number, then the third one moved up -----------------------
    rows = page.locator("#agenda table.agenda tbody tr")
    for n, case in enumerate(world.cases, start=1):
        page.fill("#id_number", case.number.lower())  # typed carelessly: the number is matched case-insensitively
        page.fill("#id_reason", AGENDA_REASON if case == case1 else "")
        page.click("#agenda form.agenda-add button[type=submit]")
        expect(rows).to_have_count(n)
        expect(rows.nth(n - 1)).to_contain_text(case.number)
    assert AGENDA_REASON in rows.nth(0).inner_text()

    # The third case goes up one place (htmx swaps the agenda in place).
    rows.nth(2).locator(f"form[action$='/agenda/{AgendaItem.objects.get(meeting=meeting, case=case3).pk}/move/'] "
                        "input[name=direction][value=up] ~ button").click()
    expect(rows.nth(1)).to_contain_text(case3.number)
    expect(rows.nth(2)).to_contain_text(case2.number)
    expect(rows.nth(0)).to_contain_text(case1.number)
    order = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id").values_list("case_id", flat=True))
    assert order == [case1.pk, case3.pk, case2.pk], "the new order is stored"
    page.reload()
    expect(rows).to_have_count(3)
    assert [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(3)] == [
        case1.number, case3.number, case2.number
    ], "the order survives a reload"
    screenshot(page, "02-meeting-agenda")

    # The test does not wait for the meeting day: the meeting is moved into the past directly in the
    # database, as if next week had come (approving minutes needs the meeting to have started).
    starts_at = timezone.now() - timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90))

    # --- the minutes: attendance, the first case's part, an action item for the centre ----------
    minutes_path = reverse("conferences:minutes", kwargs={"pk": meeting.pk})
    page.goto(minutes_path)
    chair_invitee = MeetingInvitee.objects.get(meeting=meeting, user=coordinator)
    police_invitee = MeetingInvitee.objects.get(meeting=meeting, institution=world.police)
    health_invitee = MeetingInvitee.objects.get(meeting=meeting, institution=world.health)
    page.select_option(f"select[name=attended_{chair_invitee.pk}]", "yes")
    page.select_option(f"select[name=attended_{police_invitee.pk}]", "yes")
    page.select_option(f"select[name=attended_{health_invitee.pk}]", "no")
    page.fill("#id_attendance_note", ALSO_PRESENT)
    submit(page, "section[aria-labelledby=attendance-title] form button[type=submit]")
    assert not page.locator("main .field.has-error").count()
    attended = dict(MeetingInvitee.objects.filter(meeting=meeting).values_list("pk", "attended"))
    assert attended == {chair_invitee.pk: True, police_invitee.pk: True, health_invitee.pk: False}
    assert Minutes.objects.get(meeting=meeting).attendance_note == ALSO_PRESENT

    item1 = AgendaItem.objects.get(meeting=meeting, case=case1)
    item_path = reverse("conferences:minutes_item", kwargs={"pk": meeting.pk, "item_pk": item1.pk})
    page.click(f"article#item-{item1.pk} a[href='{item_path}']")
    page.wait_for_url(f"**{item_path}")
    page.check("#id_discussed")
    page.fill("#id_discussion", DISCUSSION)
    page.fill("#id_decisions", DECISIONS)
    page.fill("#id_next_review_on", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.click(f"form[action='{item_path}'] button[type=submit]")
    page.wait_for_url(re.compile(re.escape(minutes_path) + r"#item-\d+$"))
    item_part = page.locator(f"article#item-{item1.pk}")
    expect(item_part).to_contain_text(DISCUSSION)
    expect(item_part).to_contain_text(DECISIONS)

    page.goto(item_path)
    due = timezone.localdate() + timedelta(days=14)
    page.fill("#id_description", ACTION_TEXT)
    page.select_option("#id_owner_institution", str(world.csr.pk))
    page.select_option("#id_responsible", str(caseworker.pk))
    page.fill("#id_due_on", due.isoformat())
    page.click("form[action$='/actions/'] button[type=submit]")
    expect(page.locator("main a[href^='/conferences/actions/']", has_text=ACTION_TEXT)).to_have_count(1)
    action = ActionItem.objects.get(meeting=meeting)
    assert (action.case_id, action.owner_institution_id, action.responsible_id, action.due_on) == (
        case1.pk, world.csr.pk, caseworker.pk, due
    )
    assert action.status == ActionStatus.OPEN

    # The draft saves itself: Nikola adds to the decisions and leaves without pressing Save.
    autosave_path = reverse("conferences:minutes_item_autosave", kwargs={"pk": meeting.pk, "item_pk": item1.pk})
    with page.expect_response(lambda r: r.url.endswith(autosave_path) and r.request.method == "POST") as answer:
        page.fill("#id_decisions", DECISIONS + " " + MORE_DECISIONS)
    assert answer.value.status == 200
    expect(page.locator("#item-autosave")).to_have_text(re.compile(r"\d{2}:\d{2}"))
    screenshot(page, "03a-case-part-saved-automatically")
    assert AgendaItem.objects.get(pk=item1.pk).decisions == DECISIONS + " " + MORE_DECISIONS

    page.goto(minutes_path)
    expect(item_part).to_contain_text(MORE_DECISIONS)
    expect(item_part.locator(f"a[href='/conferences/actions/{action.pk}/']")).to_have_count(1)
    screenshot(page, "03-minutes-draft")

    # --- Nikola chairs, so he approves (the page asks for confirmation first) -------------------
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    submit(page, "form[action$='/minutes/approve/'] button[type=submit]")
    page.remove_listener("dialog", accept)
    assert len(questions) == 1, "approving asks for confirmation"
    expect(page.locator("form[action$='/minutes/approve/']")).to_have_count(0)
    expect(page.locator("main header .badge-ok")).to_have_count(1)
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_by_id == coordinator.pk
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD, "approved minutes mark the meeting held"
    assert not page.locator(f"a[href='{item_path}']").count(), "approved minutes are locked"
    screenshot(page, "04-minutes-approved")

    # --- the PDF: the three case numbers in agenda order and the minutes' own words -------------
    with page.expect_download() as download_info:
        page.click(f"a[href='{reverse('conferences:minutes_pdf', kwargs={'pk': meeting.pk})}']")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / "test_conference-minutes.pdf"
    download.save_as(str(pdf_path))
    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf_path)
    positions = [text.find(case.number) for case in (case1, case3, case2)]
    assert -1 not in positions, f"every case number is in the PDF: {positions}"
    assert positions == sorted(positions), "the PDF lists the cases in agenda order"
    for words in (DECISIONS, DISCUSSION, ACTION_TEXT, ALSO_PRESENT, world.csr.name):
        assert words in text, f"{words!r} is in the PDF"

    # --- Jovana (another browser) finds the action item in her work queue and reports it done --
    context2, page2 = new_page(browser, live_server)
    try:
        log_in(page2, "kragujevac.caseworker", world.devices["kragujevac.caseworker"])
        page2.goto(reverse("cases:work_queue"))
        queue = page2.locator("section[aria-labelledby=wq-conference-actions]")
        complete_path = reverse("conferences:action_complete", kwargs={"pk": action.pk})
        row = queue.locator("tbody tr", has=page2.locator(f"a[href='{complete_path}']"))
        expect(row).to_have_count(1)
        expect(row).to_contain_text(case1.number)
        expect(row).to_contain_text(ACTION_TEXT)
        expect(row).to_contain_text(world.csr.name)
        screenshot(page2, "05-work-queue")
        row.locator(f"a[href='{complete_path}']").click()
        page2.wait_for_url(f"**{complete_path}")
        page2.fill("#id_completion_note", COMPLETION_NOTE)
        page2.click(f"form[action='{complete_path}'] button[type=submit]")
        detail_path = reverse("conferences:action_detail", kwargs={"pk": action.pk})
        page2.wait_for_url(f"**{detail_path}")
        expect(page2.locator("main")).to_contain_text(COMPLETION_NOTE)
        expect(page2.locator(f"form[action='{complete_path}']")).to_have_count(0)
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert action.completed_by_id == caseworker.pk
        assert action.completion_note == COMPLETION_NOTE
        screenshot(page2, "06-action-done")
        page2.goto(reverse("cases:work_queue"))
        expect(page2.locator("section[aria-labelledby=wq-conference-actions]")).to_have_count(0)
    finally:
        context2.close()

    # --- Nikola's action-item list: done, no longer open -----------------------------------------
    actions_path = reverse("conferences:actions")
    action_link = f"main table a[href='/conferences/actions/{action.pk}/']"
    page.goto(f"{actions_path}?status=done")
    expect(page.locator(action_link)).to_have_count(1)
    expect(page.locator(action_link)).to_have_text(ACTION_TEXT)
    page.goto(f"{actions_path}?status=open")
    expect(page.locator(action_link)).to_have_count(0)
    page.goto(f"{actions_path}?status=done")
    screenshot(page, "07-actions-done")

    # --- a coordinator of Kraljevo: the meeting, its minutes and the action do not exist for him -
    context3, page3 = new_page(browser, live_server)
    try:
        log_in(page3, "kraljevo.coordinator", world.devices["kraljevo.coordinator"])
        response = page3.goto(meeting_path)
        assert response.status == 404
        assert PLACE not in page3.content() and case1.number not in page3.content()
        screenshot(page3, "08-kraljevo-404")
        for path in (minutes_path, reverse("conferences:minutes_pdf", kwargs={"pk": meeting.pk}),
                     reverse("conferences:action_detail", kwargs={"pk": action.pk})):
            assert page3.request.get(path).status == 404, path
        page3.goto(reverse("conferences:meeting_list"))
        assert PLACE not in page3.locator("main").inner_text()
    finally:
        context3.close()

    elapsed = time.monotonic() - started
    print(f"\nThe case conference took {elapsed:.1f} s of browser time")
    assert elapsed < 180
