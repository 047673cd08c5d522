"""Case-core pages through the browser's eyes (Django test client): the list with its tabs, filters,
search and exports; opening a case; the case page with its team, staff and "who opened" panel;
editing with version conflicts; the status workflow; and 404 for another municipality's case."""
from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.cases.choices import CaseStatus, ClosureReason, PersonRole, TeamRole, Visibility
from apps.cases.models import Case, CaseAssignment, CaseParticipant, CaseStatusChange
from apps.cases.views import case as case_views
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType
from tests.cases.factories import add_person, assess, english, institution, open_case, staff  # noqa: F401
from tests.cases.factories_records import incident, make_case, note, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def login():
    """A separate, signed-in (second factor verified) client per user; pages in English (the msgids)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def _login(user):
        client = Client()
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        client.cookies["kzn_language"] = "en"
        return client

    return _login


@pytest.fixture
def cw(world):
    return world.users[Role.CASEWORKER]


@pytest.fixture
def other_case(world):
    """A case of municipality B, with a person, a team member and an assignment."""
    user_b = world.users["other_municipality"][Role.CASEWORKER]
    case = open_case(user_b, lead=world.csr_b, summary="Testni slučaj B")
    add_person(user_b, case, first_name="Vesna", last_name="Drugopštinska")
    return case


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def search(client, text, scope="mine", **filters):
    """Post the filter form as the page does and follow the redirect (the text never goes in the URL)."""
    response = client.post(f"/cases/?scope={scope}", {"q": text, **filters})
    assert response.status_code == 302
    if text:
        assert text not in unquote(response["Location"])
    return client.get(response["Location"])


def rows(response) -> str:
    """The table body of the list (the search box repeats what was typed)."""
    page = html(response)
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


# --- the list -----------------------------------------------------------------------------------


def test_list_tabs_by_role(world, login, cw):
    page = html(login(cw).get("/cases/"))
    assert "My cases" in page and "My institution" in page and "Shared with me" in page
    assert "All cases" not in page
    coordinator = html(login(world.users[Role.COORDINATOR]).get("/cases/"))
    assert "All cases" in coordinator


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.INSTITUTION_ADMIN])
def test_roles_without_case_access_see_no_case(world, login, cw, role):
    case = open_case(cw)
    for scope in ("mine", "institution", "all", "shared"):
        page = html(login(world.users[role]).get(f"/cases/?scope={scope}"))
        assert case.number not in page
    assert login(world.users[role]).get(f"/cases/{case.pk}/").status_code == 404


def test_list_rows_show_the_case_facts(world, login, cw):
    case = open_case(cw)
    incident(case, forms=["physical"], recorded_by=cw)
    assess(cw, case, immediate_danger=True)
    Case.objects.filter(pk=case.pk).update(is_repeat=True)
    page = html(login(cw).get("/cases/?scope=mine"))
    assert case.number in page
    assert "Reported" in page and "Immediate danger" in page and "Repeat case" in page
    assert world.csr_a.name in page
    assert timezone.localtime(case.reported_at).strftime("%d.%m.%Y") in page


def test_list_never_shows_another_municipality_in_any_tab(world, login, cw, other_case):
    mine = open_case(cw)
    for user in (cw, world.users[Role.COORDINATOR], world.users["police_caseworker"], world.users[Role.SUPERVISOR]):
        client = login(user)
        for scope in ("mine", "institution", "all", "shared"):
            page = html(client.get(f"/cases/?scope={scope}"))
            assert other_case.number not in page
            assert "Drugopštinska" not in page and world.csr_b.name not in page
        found = rows(search(client, "Drugopštinska", scope="all"))
        assert other_case.number not in found
        found = rows(search(client, other_case.number, scope="all"))
        assert other_case.number not in found
    assert mine.number in html(login(cw).get("/cases/?scope=mine"))


def test_restricted_case_is_listed_only_for_assigned_staff(world, login, cw):
    restricted = open_case(cw, is_restricted=True)
    assert restricted.number in html(login(cw).get("/cases/?scope=mine"))
    coordinator = login(world.users[Role.COORDINATOR])
    for scope in ("mine", "institution", "all"):
        assert restricted.number not in html(coordinator.get(f"/cases/?scope={scope}"))
    assert coordinator.get(f"/cases/{restricted.pk}/").status_code == 404


@pytest.mark.parametrize("typed", ["Ђорђевић", "Djordjevic", "đorđević", "DJORDJEVIĆ Milica"])
def test_search_finds_the_person_in_any_script(world, login, cw, typed):
    found = open_case(cw)
    person(found, "Milica", "Đorđević")
    other = open_case(cw)
    person(other, "Testna", "Petrović")
    page = html(search(login(cw), typed))
    assert found.number in page
    assert other.number not in page


def test_search_by_case_number_and_tab_narrows_results(world, login, cw):
    case = open_case(cw)
    police_case = open_case(world.users["police_caseworker"])
    coordinator = login(world.users[Role.COORDINATOR])
    page = html(search(coordinator, police_case.number, scope="all"))
    assert police_case.number in page and case.number not in page
    # The CSR caseworker's "mine" tab does not hold the police case.
    assert police_case.number not in rows(search(login(cw), police_case.number, scope="mine"))


def test_filters_by_status_risk_dates_and_institution(world, login, cw):
    now = timezone.now()
    old = open_case(cw, reported_at=now - timedelta(days=40))
    new = open_case(cw, reported_at=now - timedelta(days=1))
    Case.objects.filter(pk=old.pk).update(status=CaseStatus.MONITORING)
    client = login(cw)
    page = html(search(client, "", status=CaseStatus.MONITORING))
    assert old.number in page and new.number not in page
    since = timezone.localdate() - timedelta(days=10)
    page = html(search(client, "", reported_from=since.strftime("%d.%m.%Y")))
    assert new.number in page and old.number not in page
    page = html(search(client, "", institution=world.police_a.pk))
    assert new.number not in page and old.number not in page


def test_bad_filters_are_shown_on_their_fields(world, login, cw):
    client = login(cw)
    mine = open_case(cw)
    response = client.post("/cases/?scope=mine", {"reported_from": "31.02.2026"})
    assert response.status_code == 200
    assert response.context["form"].errors["reported_from"]
    assert mine.number in rows(response)  # the unfiltered list stays under the message
    response = client.post("/cases/?scope=mine", {"reported_from": "20.11.2026", "reported_to": "01.11.2026"})
    assert "The end of the period is before its start." in response.context["form"].errors["reported_to"]
    # An institution of another municipality cannot be chosen by id.
    response = client.post("/cases/?scope=mine", {"institution": world.csr_b.pk})
    assert response.context["form"].errors["institution"]
    assert world.csr_b.name not in response.content.decode()


def test_next_page_with_an_opaque_cursor(world, login, cw, monkeypatch):
    monkeypatch.setattr(case_views, "PAGE_SIZE", 2)
    now = timezone.now()
    cases = [make_case(institution=world.csr_a, opened_by=cw, reported_at=now - timedelta(hours=i + 1)) for i in range(5)]
    client = login(cw)
    seen = []
    url = "/cases/?scope=institution"
    for _ in range(3):
        response = client.get(url)
        page = html(response)
        seen.extend(c.number for c in cases if c.number in page)
        url = response.context["next_url"]
        if not url:
            break
        assert "cursor=" in url
    assert seen == [c.number for c in cases]
    assert not url
    damaged = client.get("/cases/?scope=institution&cursor=bm9wZQ")
    assert damaged.status_code == 200
    assert "The page link is damaged" in damaged.content.decode()


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_the_page(world, login, cw, django_assert_max_num_queries):
    client = login(cw)
    for _i in range(5):
        case = make_case(institution=world.csr_a, opened_by=cw)
        incident(case, forms=["physical", "economic"], recorded_by=cw)
    client.get("/cases/?scope=institution")  # warm the session and caches
    five = _list_queries(client, "/cases/?scope=institution")
    for _i in range(25):
        case = make_case(institution=world.csr_a, opened_by=cw)
        incident(case, forms=["psychological"], recorded_by=cw)
    thirty = _list_queries(client, "/cases/?scope=institution")
    assert thirty == five
    with django_assert_max_num_queries(20):
        client.get("/cases/?scope=institution")


def test_export_csv_and_xlsx_hold_no_person_names(world, login, cw):
    case = open_case(cw)
    person(case, "Jovana", "Izvoznić")
    restricted = open_case(cw, is_restricted=True)
    client = login(cw)
    # The search text is only a filter: it goes nowhere near the file name or the URL.
    list_page = search(client, "Izvoznić")
    assert case.number in rows(list_page)
    key = list_page.context["export_csv_url"].split("f=")[1]
    response = client.get(f"/cases/export/?format=csv&scope=mine&f={key}")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "Izvoz" not in disposition and "Jovana" not in disposition and disposition.endswith('.csv"')
    text = response.content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    assert csv_rows[0][0] == "Case number"
    assert [r[0] for r in csv_rows[1:]] == [case.number]
    assert "Jovana" not in text and "Izvozni" not in text
    response = client.get("/cases/export/?format=xlsx&scope=mine")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert case.number in values and restricted.number not in values
    assert not any("Jovana" in v or "Izvozni" in v for v in values)
    assert "Izvoz" not in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=cw).count() == 2
    assert client.get("/cases/export/?format=pdf").status_code == 400


def test_export_never_includes_another_municipality(world, login, other_case):
    coordinator = login(world.users[Role.COORDINATOR])
    response = coordinator.get("/cases/export/?format=csv&scope=all")
    assert other_case.number not in response.content.decode("utf-8-sig")


# --- opening a case ---------------------------------------------------------------------------------


def test_open_a_case_and_see_the_next_step(world, login, cw):
    client = login(cw)
    page = html(client.get("/cases/new/"))
    assert world.csr_a.name in page and world.police_a.name not in page and world.csr_b.name not in page
    reported = timezone.localtime() - timedelta(hours=3)
    response = client.post(
        "/cases/new/",
        {
            "lead_institution": world.csr_a.pk,
            "reported_at": reported.strftime("%Y-%m-%dT%H:%M"),
            "summary": "Prijava telefonom, testni slučaj.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.lead_institution == world.csr_a and case.opened_by == cw and not case.is_restricted
    page = html(client.get(response["Location"]))
    assert case.number in page
    assert "Next step: add the victim." in page
    assert CaseAssignment.objects.filter(case=case, user=cw, team_role=TeamRole.CASE_MANAGER).exists()


def test_open_a_case_with_bad_input_saves_nothing(world, login, cw):
    client = login(cw)
    future = timezone.localtime() + timedelta(days=2)
    response = client.post(
        "/cases/new/", {"lead_institution": world.csr_a.pk, "reported_at": future.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 200
    assert "The report time cannot be in the future." in response.context["form"].errors["reported_at"]
    response = client.post("/cases/new/", {"lead_institution": world.csr_b.pk, "reported_at": "27.11.2025 10:00"})
    assert response.context["form"].errors["lead_institution"]
    response = client.post("/cases/new/", {"lead_institution": world.csr_a.pk, "reported_at": "yesterday"})
    assert response.context["form"].errors["reported_at"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.INSTITUTION_ADMIN, Role.SUPERVISOR])
def test_only_caseworkers_and_coordinators_open_cases(world, login, role):
    client = login(world.users[role])
    assert client.get("/cases/new/").status_code == 404
    assert client.post("/cases/new/", {"lead_institution": world.csr_a.pk}).status_code == 404
    assert not Case.objects.exists()


# --- the case page ------------------------------------------------------------------------------------


def test_case_page_header_sections_team_and_timeline(world, login, cw):
    case = open_case(cw, summary="Testni sažetak slučaja")
    add_person(cw, case, first_name="Ana", last_name="Testović")
    client = login(cw)
    page = html(client.get(f"/cases/{case.pk}/"))
    for text in (case.number, "Testni sažetak slučaja", "Change status", "Edit", "Propose for a case conference",
                 "Case team", "Assigned staff", "Timeline", "Case reported", "Person added", world.csr_a.name):
        assert text in page, text
    assert "Next step: add the victim." not in page
    assert page.index('id="persons"') < page.index('id="incidents"') < page.index('id="timeline"')
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_type="cases.case", object_id=str(case.pk), actor=cw
    ).exists()


def test_case_page_query_count_is_bounded(world, login, cw, django_assert_max_num_queries):
    case = open_case(cw)
    for i in range(4):
        add_person(cw, case, first_name="Osoba", last_name=f"Testna{i}", role=PersonRole.CHILD)
    client = login(cw)
    client.get(f"/cases/{case.pk}/")
    # One query per table of the case (shared by sections, side panel and timeline), not per row.
    with django_assert_max_num_queries(40):
        assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_timeline_partial_for_htmx(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    partial = client.get(f"/cases/{case.pk}/timeline/", HTTP_HX_REQUEST="true")
    body = html(partial)
    assert "<html" not in body and 'id="timeline"' in body and "Case reported" in body
    full = html(client.get(f"/cases/{case.pk}/timeline/"))
    assert "<html" in full and "Case reported" in full


def test_team_and_staff_forms_open_on_demand_inside_the_side_panel(world, login, cw):
    """The case page links to the team and staff forms instead of building them (a large centre's
    staff select is hundreds of options); htmx loads the form alone into the panel."""
    case = open_case(cw)
    colleague = staff(world.csr_a)
    client = login(cw)
    page = html(client.get(f"/cases/{case.pk}/"))
    panel = page.split('id="team"')[1]
    assert f'hx-get="/cases/{case.pk}/team/add/"' in panel and f'hx-get="/cases/{case.pk}/staff/assign/"' in panel
    assert 'name="assignee"' not in page and 'name="institution"' not in panel
    partial = client.get(f"/cases/{case.pk}/staff/assign/", HTTP_HX_REQUEST="true")
    body = html(partial)
    assert "<html" not in body and 'name="assignee"' in body and colleague.get_full_name() in body
    assert f'action="/cases/{case.pk}/staff/assign/"' in body
    assert "HX-Request" in partial["Vary"]
    team = html(client.get(f"/cases/{case.pk}/team/add/", HTTP_HX_REQUEST="true"))
    assert "<html" not in team and 'name="institution"' in team and world.police_a.name in team
    # Without htmx the same links open the form pages.
    assert "<html" in html(client.get(f"/cases/{case.pk}/staff/assign/"))
    # Someone who only has the case shared with them gets neither the links nor the forms (staff names).
    outsider = staff(world.csr_b)
    from apps.cases.models import CaseUserGrant
    from apps.core.grants import grant_object_permission

    grant_object_permission(
        grant_model=CaseUserGrant, obj=case, codename="view_case", user=outsider, granted_by=cw, reason="Upućivanje (test)"
    )
    shared = login(outsider)
    assert "/staff/assign/" not in html(shared.get(f"/cases/{case.pk}/"))
    assert shared.get(f"/cases/{case.pk}/staff/assign/", HTTP_HX_REQUEST="true").status_code == 403
    assert shared.get(f"/cases/{case.pk}/team/add/").status_code == 403
    assert shared.post(f"/cases/{case.pk}/staff/assign/", {"assignee": colleague.pk, "team_role": "member"}).status_code == 403


def test_own_institution_notes_stay_out_of_another_institutions_timeline(world, login, cw):
    police = world.users["police_caseworker"]
    case = open_case(cw)
    CaseParticipant.objects.create(municipality=case.municipality, case=case, institution=world.police_a, added_by=cw)
    note(case, author=cw, institution=world.csr_a, visibility=Visibility.OWN_INSTITUTION, text="Savetovanje: interno")
    own = html(login(cw).get(f"/cases/{case.pk}/timeline/", HTTP_HX_REQUEST="true"))
    assert "Note or contact" in own
    theirs = html(login(police).get(f"/cases/{case.pk}/timeline/", HTTP_HX_REQUEST="true"))
    assert "Note or contact" not in theirs and "Savetovanje" not in theirs


def test_who_opened_panel_only_for_the_lead_institution(world, login, cw):
    police = world.users["police_caseworker"]
    case = open_case(cw)
    CaseParticipant.objects.create(municipality=case.municipality, case=case, institution=world.police_a, added_by=cw)
    police_page = html(login(police).get(f"/cases/{case.pk}/"))
    assert "Who opened this case" not in police_page
    lead_page = html(login(cw).get(f"/cases/{case.pk}/"))
    assert "Who opened this case" in lead_page
    readers = lead_page.split('id="readers"')[1]
    assert police.get_full_name() in readers and world.police_a.name in readers


def test_shared_case_shows_no_team_actions(world, login, cw):
    from apps.cases.models import CaseUserGrant
    from apps.core.grants import grant_object_permission

    case = open_case(cw)
    outsider = staff(world.csr_b)
    grant_object_permission(
        grant_model=CaseUserGrant, obj=case, codename="view_case", user=outsider, granted_by=cw, reason="Upućivanje (test)"
    )
    client = login(outsider)
    assert case.number in html(client.get("/cases/?scope=shared"))
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "Change status" not in page and "Propose for a case conference" not in page


# --- editing and conflicts ------------------------------------------------------------------------


def test_edit_saves_through_the_service(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    page = html(client.get(f"/cases/{case.pk}/edit/"))
    assert 'name="version"' in page
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_type="cases.case", object_id=str(case.pk), details__view="edit"
    ).exists()
    response = client.post(f"/cases/{case.pk}/edit/", {"version": case.version, "summary": "Novi testni sažetak",
                                                        "lead_institution": world.csr_a.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Novi testni sažetak" and case.version == 2


def test_second_of_two_concurrent_saves_is_refused_with_what_changed(world, login, cw):
    colleague = staff(world.csr_a)
    case = open_case(cw, summary="Prvobitni opis")
    first, second = login(cw), login(colleague)
    version = case.version
    assert html(first.get(f"/cases/{case.pk}/edit/")) and html(second.get(f"/cases/{case.pk}/edit/"))
    assert first.post(f"/cases/{case.pk}/edit/", {"version": version, "summary": "Opis koleginice",
                                                  "lead_institution": world.csr_a.pk}).status_code == 302
    response = second.post(f"/cases/{case.pk}/edit/", {"version": version, "summary": "Moj opis",
                                                       "lead_institution": world.csr_a.pk})
    body = html(response)
    assert "Someone else saved this record while you were editing it" in body
    conflict = response.context["conflict"]
    assert "summary" in conflict.changed_fields
    assert "Summary" in body and "Opis koleginice" in body  # the label and the value stored now
    assert "Moj opis" in body  # what the user typed is kept in the form
    case.refresh_from_db()
    assert case.summary == "Opis koleginice"
    # The form now carries the stored version: saving again is a deliberate overwrite.
    assert response.context["form"].data["version"] == str(case.version)


def test_only_the_lead_or_a_coordinator_sees_lead_and_restriction_fields(world, login, cw):
    police = world.users["police_caseworker"]
    case = open_case(cw)
    CaseParticipant.objects.create(municipality=case.municipality, case=case, institution=world.police_a, added_by=cw)
    form = login(police).get(f"/cases/{case.pk}/edit/").context["form"]
    assert "is_restricted" not in form.fields and "lead_institution" not in form.fields
    assert "is_restricted" in login(cw).get(f"/cases/{case.pk}/edit/").context["form"].fields


def test_restricting_with_the_edit_form(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    response = client.post(f"/cases/{case.pk}/edit/", {"version": case.version, "summary": "",
                                                       "lead_institution": world.csr_a.pk, "is_restricted": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_restricted
    assert "Restricted: assigned staff only" in html(client.get(f"/cases/{case.pk}/"))


def test_new_lead_of_another_sector_needs_consent_or_a_reason_under_immediate_danger(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    data = {"version": case.version, "summary": "", "lead_institution": world.police_a.pk}
    response = client.post(f"/cases/{case.pk}/edit/", data)
    assert response.status_code == 200
    assert "has not given valid consent" in " ".join(response.context["form"].errors["lead_institution"])
    assert Case.objects.get(pk=case.pk).lead_institution == world.csr_a
    add_person(cw, case)
    assess(cw, case, immediate_danger=True)
    case.refresh_from_db()
    data["version"] = case.version
    response = client.post(f"/cases/{case.pk}/edit/", data)
    assert response.context["form"].errors["override_reason"]
    assert '<textarea name="override_reason"' in response.content.decode()
    response = client.post(f"/cases/{case.pk}/edit/", {**data, "override_reason": "Policija preuzima hitno"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.lead_institution == world.police_a


# --- status ----------------------------------------------------------------------------------------


def test_status_offers_only_allowed_moves_and_needs_a_closure_reason(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    form = client.get(f"/cases/{case.pk}/status/").context["form"]
    offered = {value for value, _label in form.fields["to_status"].choices}
    assert offered == {CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION, CaseStatus.CLOSED}
    response = client.post(f"/cases/{case.pk}/status/", {"version": case.version, "to_status": CaseStatus.MONITORING})
    assert response.status_code == 200 and response.context["form"].errors["to_status"]
    response = client.post(f"/cases/{case.pk}/status/", {"version": case.version, "to_status": CaseStatus.CLOSED})
    assert "Choose why the case is closed." in response.context["form"].errors["closure_reason"]
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED
    response = client.post(
        f"/cases/{case.pk}/status/",
        {"version": case.version, "to_status": CaseStatus.CLOSED, "closure_reason": ClosureReason.SAFETY_ACHIEVED},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_reason == ClosureReason.SAFETY_ACHIEVED
    page = html(client.get(f"/cases/{case.pk}/"))
    assert "This case is closed." in page and "Reopen the case" in page
    form = client.get(f"/cases/{case.pk}/status/").context["form"]
    assert [v for v, _label in form.fields["to_status"].choices] == [CaseStatus.ASSESSMENT]
    response = client.post(f"/cases/{case.pk}/status/", {"version": case.version, "to_status": CaseStatus.ASSESSMENT})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT and case.closure_reason == ""
    assert CaseStatusChange.objects.filter(case=case).count() == 3


def test_stale_status_change_is_refused(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    assert client.post(f"/cases/{case.pk}/status/", {"version": 1, "to_status": CaseStatus.ASSESSMENT}).status_code == 302
    response = client.post(f"/cases/{case.pk}/status/", {"version": 1, "to_status": CaseStatus.ACTIVE_PROTECTION})
    assert "Someone else saved this record" in html(response)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSMENT


# --- team and staff ---------------------------------------------------------------------------------


def test_adding_another_sector_needs_consent_or_immediate_danger_with_a_reason(world, login, cw):
    police = world.users["police_caseworker"]
    school = institution(world, InstitutionType.SCHOOL, "Testna škola")
    case = open_case(cw)
    client = login(cw)
    response = client.post(f"/cases/{case.pk}/team/add/", {"institution": school.pk})
    assert response.status_code == 200
    assert "has not given valid consent" in " ".join(response.context["form"].errors["institution"])
    assert not CaseParticipant.objects.filter(case=case, institution=school).exists()
    add_person(cw, case)
    assess(cw, case, immediate_danger=True)
    response = client.post(f"/cases/{case.pk}/team/add/", {"institution": school.pk})
    assert response.context["form"].errors["override_reason"]
    assert 'name="override_reason"' in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/team/add/", {"institution": school.pk, "override_reason": "Dete u neposrednoj opasnosti"}
    )
    assert response.status_code == 302
    participant = CaseParticipant.objects.get(case=case, institution=school)
    assert participant.consent_override_reason == "Dete u neposrednoj opasnosti"
    lead_page = html(client.get(f"/cases/{case.pk}/"))
    assert "Testna škola" in lead_page and "Dete u neposrednoj opasnosti" in lead_page
    CaseParticipant.objects.create(municipality=case.municipality, case=case, institution=world.police_a, added_by=cw)
    police_page = html(login(police).get(f"/cases/{case.pk}/"))
    assert "Joined without the victim" in police_page and "Dete u neposrednoj opasnosti" not in police_page


def test_team_add_offers_only_this_municipalitys_institutions(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    page = html(client.get(f"/cases/{case.pk}/team/add/"))
    assert world.police_a.name in page and world.csr_b.name not in page
    response = client.post(f"/cases/{case.pk}/team/add/", {"institution": world.csr_b.pk})
    assert response.context["form"].errors["institution"]


def test_remove_from_team_and_assign_unassign(world, login, cw):
    ngo = institution(world, InstitutionType.SAFE_HOUSE, "Testna sigurna kuća")
    case = open_case(cw)
    client = login(cw)
    assert client.post(f"/cases/{case.pk}/team/add/", {"institution": ngo.pk}).status_code == 302
    colleague = staff(ngo)
    response = client.post(f"/cases/{case.pk}/staff/assign/", {"assignee": colleague.pk, "team_role": TeamRole.MEMBER})
    assert response.status_code == 302
    assignment = CaseAssignment.objects.get(case=case, user=colleague, ended_at__isnull=True)
    outsider = staff(world.csr_b)
    response = client.post(f"/cases/{case.pk}/staff/assign/", {"assignee": outsider.pk, "team_role": TeamRole.MEMBER})
    assert response.status_code == 200 and response.context["form"].errors["assignee"]
    assert client.post(f"/cases/{case.pk}/staff/{assignment.pk}/unassign/").status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    participant = CaseParticipant.objects.get(case=case, institution=ngo)
    assert client.post(f"/cases/{case.pk}/team/{participant.pk}/remove/").status_code == 302
    participant.refresh_from_db()
    assert participant.ended_at is not None
    lead = CaseParticipant.objects.get(case=case, institution=world.csr_a)
    response = client.post(f"/cases/{case.pk}/team/{lead.pk}/remove/", follow=True)
    assert "The lead institution cannot leave the team" in response.content.decode()


def test_propose_for_conference(world, login, cw):
    case = open_case(cw)
    client = login(cw)
    assert client.post(f"/cases/{case.pk}/propose-conference/").status_code == 302
    case.refresh_from_db()
    assert case.proposed_for_conference_at is not None and case.proposed_for_conference_by == cw
    assert "Proposed for a case conference" in html(client.get(f"/cases/{case.pk}/"))


# --- isolation --------------------------------------------------------------------------------------


def _urls(case):
    participant = CaseParticipant.objects.filter(case=case).first()
    assignment = CaseAssignment.objects.filter(case=case).first()
    base = f"/cases/{case.pk}"
    gets = [f"{base}/", f"{base}/edit/", f"{base}/status/", f"{base}/team/add/", f"{base}/staff/assign/", f"{base}/timeline/"]
    posts = {
        f"{base}/edit/": {"version": case.version, "summary": "Upad"},
        f"{base}/status/": {"version": case.version, "to_status": CaseStatus.CLOSED, "closure_reason": ClosureReason.OTHER},
        f"{base}/team/add/": {"institution": participant.institution_id},
        f"{base}/team/{participant.pk}/remove/": {},
        f"{base}/staff/assign/": {"assignee": assignment.user_id},
        f"{base}/staff/{assignment.pk}/unassign/": {},
        f"{base}/propose-conference/": {},
    }
    return gets, posts


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.OFFICIAL, Role.INSTITUTION_ADMIN])
def test_another_municipalitys_case_is_404_on_every_url(world, login, other_case, role):
    client = login(world.users[role])
    gets, posts = _urls(other_case)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    other_case.refresh_from_db()
    assert other_case.summary == "Testni slučaj B" and other_case.status == CaseStatus.REPORTED
    assert other_case.proposed_for_conference_at is None
    assert CaseAssignment.objects.filter(case=other_case, ended_at__isnull=True).count() == 1


def test_anonymous_users_go_to_the_login_page(world, cw, client):
    case = open_case(cw)
    for url in ("/cases/", "/cases/new/", "/cases/export/?format=csv", f"/cases/{case.pk}/", f"/cases/{case.pk}/timeline/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_list_rows_follow_the_reader_language_and_script(world, login, cw):
    """The rows' fixed words are built once per language: each language still gets its own."""
    make_case(institution=world.csr_a, opened_by=cw, status=CaseStatus.ACTIVE_PROTECTION)
    client = login(cw)
    pages = {}
    for language in ("en", "sr-latn", "sr-cyrl", "en"):
        client.cookies["kzn_language"] = language
        pages[language] = client.get("/cases/?scope=institution").content.decode()
    assert 'data-label="Lead institution"' in pages["en"] and "Active protection" in pages["en"]
    assert 'data-label="Vodeća institucija"' in pages["sr-latn"] and "Aktivna zaštita" in pages["sr-latn"]
    assert 'data-label="Водећа институција"' in pages["sr-cyrl"] and "Активна заштита" in pages["sr-cyrl"]
    assert "Lead institution" not in pages["sr-cyrl"] and "Vodeć" not in pages["sr-cyrl"]
