"""Police reports over the API: idempotent upsert by (institution, kind, external id, version), matching
to cases, the queue, undo."""
import pytest

from apps.cases.models import Case, CasePerson, EmergencyMeasure, Incident
from apps.core.models import AuditEntry
from apps.interlink.choices import Decision, RecordStatus
from apps.interlink.models import InboundRecord
from apps.interlink.services.queue import record_assign, record_undo

from .conftest import client_for, report, when

URL = "/api/v1/interlink/police-reports/"


@pytest.mark.django_db
def test_a_report_opens_a_case_led_by_the_centre_with_the_police_on_the_team(machines):
    client = client_for(machines.a.secret)
    response = client.post(URL, report(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "landed" and body["decision"] == "opened_auto" and body["outcome"] == "created"
    case = Case.objects.get(number=body["case_number"])
    assert case.lead_institution == machines.world.csr_a
    assert set(case.participants.values_list("institution_id", flat=True)) >= {machines.world.csr_a.pk, machines.world.police_a.pk}
    assert Incident.objects.filter(case=case).count() == 1
    assert CasePerson.objects.filter(case=case).count() == 2
    # Audited as the account's own user, like a person of the police station.
    assert AuditEntry.objects.filter(actor=machines.a.account.user, object_type="cases.case").exists()


@pytest.mark.django_db
def test_the_same_record_twice_changes_nothing_and_an_older_version_is_refused(machines):
    client = client_for(machines.a.secret)
    sent = report(version=2)
    assert client.post(URL, sent, format="json").status_code == 201
    again = client.post(URL, sent, format="json")
    assert again.status_code == 200 and again.json()["outcome"] == "unchanged"
    assert Case.objects.count() == 1 and Incident.objects.count() == 1
    older = client.post(URL, {**sent, "version": 1}, format="json")
    assert older.status_code == 409 and "version" in older.json()["errors"]
    changed_same_version = {**sent, "incident": {**sent["incident"], "forms": ["psychological"]}}
    assert client.post(URL, changed_same_version, format="json").status_code == 409


@pytest.mark.django_db
def test_a_newer_version_adds_the_emergency_measure_it_brings(machines):
    client = client_for(machines.a.secret)
    client.post(URL, report(), format="json")
    measure = {"kind": "removal", "order_number": "HM-1/26", "delivered_at": when(1)}
    response = client.post(URL, report(version=2, measure=measure), format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "updated"
    assert EmergencyMeasure.objects.filter(order_number="HM-1/26").count() == 1
    assert InboundRecord.objects.get().version == 2


@pytest.mark.django_db
def test_a_malformed_record_names_every_field_and_saves_nothing(machines):
    bad = report()
    bad["incident"]["forms"] = ["punching"]
    bad["persons"][0]["birth_date"] = "12.04.1988"
    bad["persons"][1]["jmbg"] = "1234567890123"
    response = client_for(machines.a.secret).post(URL, bad, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"incident.forms", "persons[0].birth_date", "persons[1].jmbg"}
    assert not InboundRecord.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
def test_a_cyrillic_name_joins_the_case_of_the_same_persons_in_latin(machines):
    client = client_for(machines.a.secret)
    first = client.post(URL, report("PU-1"), format="json").json()
    cyrillic = report(
        "PU-2",
        victim={"first_name": "Милица", "last_name": "Примеровић", "birth_date": "1988-04-12"},
        perpetrator={"first_name": "Петар", "last_name": "Примеровић", "birth_date": "1985-09-30"},
    )
    second = client.post(URL, cyrillic, format="json").json()
    assert second["decision"] == "joined_auto" and second["case_number"] == first["case_number"]
    assert CasePerson.objects.count() == 2  # the persons were recognised, not added again
    record = InboundRecord.objects.get(external_id="PU-2")
    assert record.explanation["reason"] == "above_threshold" and record.explanation["candidates"][0]["score"] >= 0.85


@pytest.mark.django_db
def test_an_unsure_match_waits_for_a_person_who_sees_only_cases_she_may_see(machines):
    client = client_for(machines.a.secret)
    client.post(URL, report("PU-1"), format="json")
    # The same names with no dates of birth: not sure enough to join by itself.
    unsure = report("PU-3", victim={"first_name": "Milica", "last_name": "Primerovic"},
                    perpetrator={"first_name": "Petar", "last_name": "Primerovic"})
    body = client.post(URL, unsure, format="json").json()
    assert body["status"] == "queued" and body["case_number"] is None
    record = InboundRecord.objects.get(external_id="PU-3")
    caseworker = machines.world.users["police_caseworker"]
    case = Case.objects.get()
    record_assign(user=caseworker, record=record, case_id=case.pk)
    record.refresh_from_db()
    assert record.status == RecordStatus.LANDED and record.decision == Decision.JOINED_BY_PERSON
    assert Incident.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_an_automatic_decision_can_be_undone_and_the_record_waits_again(machines):
    client = client_for(machines.a.secret)
    client.post(URL, report("PU-1"), format="json")
    record = InboundRecord.objects.get()
    case = record.case
    record_undo(user=machines.world.users["police_caseworker"], record=record, reason="pogrešno")
    record.refresh_from_db()
    case.refresh_from_db()
    assert record.status == RecordStatus.QUEUED and record.case is None
    assert case.status == "closed" and not Incident.objects.filter(case=case).exists()
    assert [h["event"] for h in record.explanation["history"]] == ["landed", "undone"]


@pytest.mark.django_db
def test_a_token_without_the_scope_is_refused(world):
    from .conftest import make_account

    machine = make_account(world.police_a, scopes=["events:read"])
    assert client_for(machine.secret).post(URL, report(), format="json").status_code == 403
