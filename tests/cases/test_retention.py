"""Retention: the daily dry run proposes exactly the closed cases past their municipality's period
and changes nothing; the coordinator confirms on the page; anonymising removes what identifies a
person and keeps every figure the statistics count."""
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone

from apps.cases.choices import CaseStatus, RetentionStatus, ViolenceForm
from apps.cases.models import (
    Attachment,
    Case,
    CaseNote,
    CasePerson,
    Incident,
    Referral,
    RetentionRun,
)
from apps.cases.services import retention
from apps.core.choices import Role
from tests.cases.factories_measures import make_case, plan, plan_measure, victim
from tests.cases.factories_records import attachment_row, incident, note

TODAY = date(2026, 12, 7)


def closed_case(world, *, years_ago: float, municipality="a"):
    staff = world.users[Role.CASEWORKER] if municipality == "a" else world.users["other_municipality"][Role.CASEWORKER]
    institution = world.csr_a if municipality == "a" else world.csr_b
    case = make_case(institution=institution, opened_by=staff, reported_at=timezone.now() - timedelta(days=int(365.25 * years_ago) + 30))
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=timezone.now() - timedelta(days=int(365.25 * years_ago)),
        summary="Izmišljen opis događaja (demo)",
    )
    person = victim(case, first_name="Demo", last_name="Primerović")
    CasePerson.objects.filter(pk=person.pk).update(birth_date=date(1980, 5, 5), phone="+381 60 111 22 33",
                                                  address="Izmišljena 5 (demo)")
    incident(case, forms=[ViolenceForm.PHYSICAL, ViolenceForm.PSYCHOLOGICAL], recorded_by=staff, description="Opis (demo)")
    note(case, author=staff, institution=institution, text="Beleška o razgovoru (demo)")
    attachment_row(case, uploaded_by=staff, institution=institution)
    plan_measure(plan(case, created_by=staff), owner=institution, deadline=TODAY)
    Referral.objects.create(municipality=case.municipality, case=case, from_institution=institution,
                            to_institution=institution, to_municipality_id=case.municipality_id,
                            reason="Razlog (demo)", sent_by=staff)
    return Case.objects.get(pk=case.pk)


def figures(municipality):
    """What the statistics count: cases by status and year of closure, victims by sex and year of
    birth, forms of violence, referrals and plan measures."""
    cases = Case.objects.filter(municipality=municipality)
    return {
        "cases": Counter((c.status, c.closed_at.year if c.closed_at else None) for c in cases),
        "persons": Counter(CasePerson.objects.filter(municipality=municipality)
                           .values_list("role", "sex", "birth_year", "relationship_to_victim")),
        "forms": sorted(Incident.objects.filter(municipality=municipality).values_list("forms", flat=True)),
        "referrals": Referral.objects.filter(municipality=municipality).aggregate(n=Count("id"))["n"],
        "incidents": Incident.objects.filter(municipality=municipality).count(),
    }


@pytest.fixture
def cases(world):
    old = closed_case(world, years_ago=11)
    recent = closed_case(world, years_ago=9)
    other = closed_case(world, years_ago=11, municipality="b")
    # The year of birth is kept when the exact date goes: make it explicit before comparing.
    CasePerson.objects.filter(birth_date__isnull=False).update(birth_year=1980)
    return old, recent, other


def test_the_dry_run_proposes_exactly_the_cases_past_retention_and_changes_nothing(world, cases, mailoutbox):
    old, recent, other = cases
    before = figures(world.mun_a)
    run = retention.propose(world.mun_a, today=TODAY)
    assert run.case_ids == [old.pk] and run.status == RetentionStatus.PROPOSED
    assert run.cutoff == date(2016, 12, 7) and run.retention_years == 10
    assert figures(world.mun_a) == before
    assert CasePerson.objects.get(case=old).first_name == "Demo"
    # A municipality with a shorter period of its own.
    world.mun_a.retention_years = 5
    world.mun_a.save()
    run = retention.propose(world.mun_a, today=TODAY)
    assert sorted(run.case_ids) == sorted([old.pk, recent.pk])
    assert RetentionRun.objects.filter(municipality=world.mun_a, status=RetentionStatus.PROPOSED).count() == 1
    assert retention.propose(world.mun_b, today=TODAY).case_ids == [other.pk]


def test_the_coordinator_confirms_and_the_cases_are_anonymised_without_changing_any_figure(world, cases, login, django_capture_on_commit_callbacks):
    old, recent, _other = cases
    stored = Attachment.objects.get(case=old).file.name
    assert default_storage.exists(stored)
    before = figures(world.mun_a)
    run = retention.propose(world.mun_a, today=TODAY)
    client = login(world.users[Role.COORDINATOR])
    page = client.get(f"/cases/retention/{run.pk}/")
    assert page.status_code == 200 and old.number in page.content.decode()
    response = client.post(f"/cases/retention/{run.pk}/", {"decision": "confirm", "version": run.version})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RetentionStatus.CONFIRMED and run.confirmed_by == world.users[Role.COORDINATOR]
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.anonymise_run(run.pk) == 1
    run.refresh_from_db()
    assert run.status == RetentionStatus.DONE and run.anonymised == 1
    person = CasePerson.objects.get(case=old)
    assert (person.first_name, person.last_name, person.jmbg, person.phone, person.address, person.birth_date) == \
        ("—", "—", "", "", "", None)
    assert person.birth_year == 1980
    assert not CaseNote.objects.filter(case=old).exists() and not Attachment.objects.filter(case=old).exists()
    assert not default_storage.exists(stored)
    old.refresh_from_db()
    assert old.summary == "" and old.anonymised_at is not None
    assert Incident.objects.get(case=old).description == ""
    assert Referral.objects.get(case=old).reason == "—"
    assert figures(world.mun_a) == before
    # The recent case is untouched.
    assert CasePerson.objects.get(case=recent).first_name == "Demo"
    assert CaseNote.objects.filter(case=recent).exists()
    # Deciding twice is refused with a message, nothing changes.
    page = client.post(f"/cases/retention/{run.pk}/", {"decision": "cancel", "version": run.version}, follow=True)
    assert "already decided" in page.content.decode()


def test_a_case_reopened_after_the_proposal_is_left_out(world, cases):
    old, _recent, _other = cases
    run = retention.propose(world.mun_a, today=TODAY)
    retention.confirm(run, user=world.users[Role.COORDINATOR], version=run.version)
    Case.objects.filter(pk=old.pk).update(status=CaseStatus.ASSESSMENT, closed_at=None)
    assert retention.anonymise_run(run.pk) == 0
    assert CasePerson.objects.get(case=old).first_name == "Demo"


def test_only_the_municipalitys_coordinators_see_the_proposals(world, cases, login):
    run_a = retention.propose(world.mun_a, today=TODAY)
    run_b = retention.propose(world.mun_b, today=TODAY)
    coordinator = login(world.users[Role.COORDINATOR])
    listing = coordinator.get("/cases/retention/").content.decode()
    assert f"/cases/retention/{run_a.pk}/" in listing and f"/cases/retention/{run_b.pk}/" not in listing
    assert coordinator.get(f"/cases/retention/{run_b.pk}/").status_code == 404
    assert login(world.users[Role.CASEWORKER]).get(f"/cases/retention/{run_a.pk}/").status_code == 404


def test_the_minutes_texts_about_an_anonymised_case_go_with_it(world, cases):
    from apps.conferences.models import AgendaItem
    from tests.conferences.factories import AgendaItemFactory, MeetingFactory

    old, recent, _other = cases
    held = MeetingFactory(municipality=world.mun_a, created_by=world.users[Role.COORDINATOR])
    item_old = AgendaItemFactory(meeting=held, case=old, discussion="Razgovor o Demo Primerović (demo)")
    item_recent = AgendaItemFactory(meeting=held, case=recent, discussion="Razgovor (demo)")
    retention.anonymise_cases([old.pk])
    assert AgendaItem.objects.get(pk=item_old.pk).discussion == ""
    assert AgendaItem.objects.get(pk=item_recent.pk).discussion == "Razgovor (demo)"
