"""Every case-record resource of the API stays inside the user's scope: another municipality's
rows are 404 on read, absent from lists and cannot be referenced by id when creating."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases.models import (
    Attachment,
    Case,
    CaseNote,
    CasePerson,
    Consent,
    EmergencyMeasure,
    Incident,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
    RiskAssessment,
)
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from tests.security.matrix import OTHER, OWN, SAME
from tests.security.matrix_cases_api import BODIES, PDF_BYTES

# prefix -> (kind in cw.cases_made, model, body key in BODIES)
RESOURCES = {
    "case-persons": ("person", CasePerson, "case-person"),
    "incidents": ("incident", Incident, "incident"),
    "risk-assessments": ("risk", RiskAssessment, "risk-assessment"),
    "consents": ("consent", Consent, "consent"),
    "emergency-measures": ("emergency", EmergencyMeasure, "emergency-measure"),
    "breaches": ("breach", MeasureBreach, "breach"),
    "protective-measures": ("protective", ProtectiveMeasure, "protective-measure"),
    "plans": ("plan", ProtectionPlan, "plan"),
    "plan-measures": ("plan_measure", PlanMeasure, "plan-measure"),
    "referrals": ("referral", Referral, "referral"),
    "notes": ("note", CaseNote, "note"),
    "attachments": ("attachment", Attachment, None),
}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", list(RESOURCES))
def test_lists_and_reads_stay_in_scope(cw, api_as, prefix):
    kind, _model, _body = RESOURCES[prefix]
    row = {scope: cw.cases_made[scope][kind] for scope in (OWN, SAME, OTHER)}
    caseworker = api_as(cw.base.users[Role.CASEWORKER])
    coordinator = api_as(cw.base.users[Role.COORDINATOR])

    seen = ids(caseworker.get(f"/api/v1/{prefix}/"))
    assert row[OWN].pk in seen and row[SAME].pk not in seen and row[OTHER].pk not in seen
    seen = ids(coordinator.get(f"/api/v1/{prefix}/"))
    assert {row[OWN].pk, row[SAME].pk} <= seen and row[OTHER].pk not in seen
    # ?case= narrows; another municipality's case id gives an empty list, not its rows
    assert ids(caseworker.get(f"/api/v1/{prefix}/", {"case": cw.case[OWN].pk})) == {row[OWN].pk}
    assert ids(coordinator.get(f"/api/v1/{prefix}/", {"case": cw.case[OTHER].pk})) == set()

    assert caseworker.get(f"/api/v1/{prefix}/{row[OWN].pk}/").status_code == 200
    assert caseworker.get(f"/api/v1/{prefix}/{row[SAME].pk}/").status_code == 404
    assert coordinator.get(f"/api/v1/{prefix}/{row[SAME].pk}/").status_code == 200
    for client in (caseworker, coordinator):
        assert client.get(f"/api/v1/{prefix}/{row[OTHER].pk}/").status_code == 404
    # the other municipality's own staff do see theirs
    other = api_as(cw.base.users["other_municipality"][Role.CASEWORKER])
    assert other.get(f"/api/v1/{prefix}/{row[OTHER].pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", [p for p, spec in RESOURCES.items() if spec[2]])
def test_a_create_cannot_reference_another_municipalitys_case(cw, api_as, prefix):
    _kind, model, body_key = RESOURCES[prefix]
    client = api_as(cw.base.users[Role.COORDINATOR])
    before = model.objects.count()
    body = BODIES[body_key](cw, OTHER)
    response = client.post(f"/api/v1/{prefix}/", body, format="json")
    assert response.status_code == 400, response.content
    assert model.objects.count() == before
    # the same body for a case of the own municipality is created
    response = client.post(f"/api/v1/{prefix}/", BODIES[body_key](cw, OWN), format="json")
    assert response.status_code == 201, response.content
    assert model.objects.count() == before + 1


@pytest.mark.django_db
def test_an_upload_cannot_target_another_municipalitys_case(cw, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as(cw.base.users[Role.CASEWORKER])
    before = Attachment.objects.count()
    for case, expected in ((cw.case[OTHER], 400), (cw.case[SAME], 400), (cw.case[OWN], 201)):
        upload = SimpleUploadedFile("izvestaj.pdf", PDF_BYTES, "application/pdf")
        response = client.post("/api/v1/attachments/", {"case": case.pk, "file": upload}, format="multipart")
        assert response.status_code == expected, response.content
    assert Attachment.objects.count() == before + 1
    body = response.json()
    assert body["original_name"] == "izvestaj.pdf" and body["content_type"] == "application/pdf"
    assert "file" not in body  # the stored path is never shown


@pytest.mark.django_db
def test_case_list_scopes_filters_and_search(cw, api_as):
    coordinator = api_as(cw.base.users[Role.COORDINATOR])
    caseworker = api_as(cw.base.users[Role.CASEWORKER])
    own, same, other = (cw.case[s].pk for s in (OWN, SAME, OTHER))
    assert ids(caseworker.get("/api/v1/cases/")) == {own}  # "mine": assigned
    assert ids(coordinator.get("/api/v1/cases/", {"scope": "all"})) >= {own, same}
    assert other not in ids(coordinator.get("/api/v1/cases/", {"scope": "all"}))
    assert ids(caseworker.get("/api/v1/cases/", {"scope": "all"})) == {own}  # "all" needs a wide role
    assert ids(caseworker.get("/api/v1/cases/", {"scope": "shared"})) == set()
    # search by name in another script; never the other municipality's case
    assert ids(coordinator.get("/api/v1/cases/", {"q": "Матрица"})) >= {own, same}
    assert other not in ids(coordinator.get("/api/v1/cases/", {"q": "Matrica"}))
    number = cw.case[OTHER].number
    assert ids(coordinator.get("/api/v1/cases/", {"q": number})) == set()
    assert ids(coordinator.get("/api/v1/cases/", {"q": cw.case[OWN].number})) == {own}
    # filters
    assert ids(coordinator.get("/api/v1/cases/", {"scope": "all", "form": "psychological"})) >= {own, same}
    assert ids(coordinator.get("/api/v1/cases/", {"scope": "all", "form": "economic"})) == set()
    assert ids(coordinator.get("/api/v1/cases/", {"scope": "all", "institution": cw.base.police_a.pk})) == {same}
    assert ids(coordinator.get("/api/v1/cases/", {"scope": "all", "status": "closed"})) == set()
    today = timezone.localdate()
    assert ids(coordinator.get("/api/v1/cases/", {"scope": "all", "reported_before": str(today - timedelta(days=2))})) == set()
    response = coordinator.get("/api/v1/cases/", {"status": "nonsense", "reported_after": "27.13.2026"})
    assert response.status_code == 400
    assert "reported_after" in response.json() or "status" in response.json()
    # the list read is audited
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="cases.case", object_id=str(own)).exists()


@pytest.mark.django_db
def test_case_list_keyset_pages(cw, api_as):
    from tests.cases.factories import open_case

    user = cw.base.users[Role.CASEWORKER]
    for hours in range(5, 10):
        open_case(user, reported_at=timezone.now() - timedelta(hours=hours))
    client = api_as(user)
    first = client.get("/api/v1/cases/", {"page_size": 4}).json()
    assert len(first["results"]) == 4 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert client.get("/api/v1/cases/", {"cursor": "broken!"}).status_code == 400


@pytest.mark.django_db
def test_other_institution_staff_and_admins_see_no_case(cw, api_as):
    for user in (cw.base.users[Role.OFFICIAL], cw.base.users[Role.INSTITUTION_ADMIN], cw.base.platform_admin):
        client = api_as(user)
        assert ids(client.get("/api/v1/cases/", {"scope": "all"})) == set()
        assert client.get(f"/api/v1/cases/{cw.case[OWN].pk}/").status_code == 404
        assert ids(client.get("/api/v1/case-persons/")) == set()


@pytest.mark.django_db
def test_jmbg_is_write_only_and_contact_data_only_in_the_detail(cw, api_as):
    from datetime import date

    from tests.cases.factories import make_jmbg

    client = api_as(cw.base.users[Role.CASEWORKER])
    jmbg = make_jmbg(date(1979, 2, 3))
    response = client.post("/api/v1/case-persons/", {
        "case": cw.case[OWN].pk, "role": "victim", "first_name": "Testna", "last_name": "Osoba",
        "jmbg": jmbg, "phone": "060 111 2222", "address": "Izmišljena 7", "confidential_address": True,
    }, format="json")
    assert response.status_code == 201, response.content
    assert jmbg not in response.content.decode()
    body = response.json()
    assert body["jmbg_masked"] == "**********" + jmbg[-3:]
    person_id = body["id"]
    assert CasePerson.objects.get(pk=person_id).jmbg == jmbg  # stored (encrypted) as given
    listed = client.get("/api/v1/case-persons/", {"case": cw.case[OWN].pk}).json()["results"]
    assert all(row["contact"] is None for row in listed) and jmbg not in str(listed)
    detail = client.get(f"/api/v1/case-persons/{person_id}/").json()
    assert detail["contact"]["phone"] == "060 111 2222"
    assert detail["contact"]["address"] == "Izmišljena 7"  # the case manager of the lead institution
    # a coordinator (not assigned) sees the phone, not the confidential address
    detail = api_as(cw.base.users[Role.COORDINATOR]).get(f"/api/v1/case-persons/{person_id}/").json()
    assert detail["contact"]["phone"] == "060 111 2222"
    assert detail["contact"]["address"] == "" and detail["contact"]["address_masked"] is True
    assert "Izmišljena 7" not in str(detail)


@pytest.mark.django_db
def test_own_institution_notes_stay_inside_the_institution(cw, api_as):
    from apps.cases.services.cases import case_add_participant
    from apps.cases.services.notes import note_add

    author = cw.base.users[Role.CASEWORKER]
    case = cw.case[OWN]
    case_add_participant(user=author, case=case, institution=cw.base.police_a)
    private = note_add(user=author, case=case, text="Samo za CSR", visibility="own_institution")
    police = api_as(cw.base.users["police_caseworker"])
    seen = ids(police.get("/api/v1/notes/", {"case": case.pk}))
    assert cw.cases_made[OWN]["note"].pk in seen and private.pk not in seen
    assert police.get(f"/api/v1/notes/{private.pk}/").status_code == 404
    timeline = police.get(f"/api/v1/cases/{case.pk}/timeline/").json()
    assert not any(entry["kind"] == "note" and entry["object_id"] == private.pk for entry in timeline)
    csr = api_as(author)
    assert csr.get(f"/api/v1/notes/{private.pk}/").json()["text"] == "Samo za CSR"
    # the author corrects it; a colleague may not (403: visible, not theirs)
    assert csr.patch(f"/api/v1/notes/{private.pk}/", {"text": "Ispravljeno"}, format="json").status_code == 200
    colleague = api_as(cw.base.users[Role.SUPERVISOR])
    assert colleague.patch(f"/api/v1/notes/{private.pk}/", {"text": "Tuđe"}, format="json").status_code == 403
    private.refresh_from_db()
    assert private.text == "Ispravljeno"


@pytest.mark.django_db
def test_attachment_download_streams_the_file_for_the_team_only(cw, api_as):
    attachment = cw.cases_made[OWN]["attachment"]
    response = api_as(cw.base.users[Role.CASEWORKER]).get(f"/api/v1/attachments/{attachment.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="cases.attachment",
                                     object_id=str(attachment.pk)).exists()
    other = cw.cases_made[OTHER]["attachment"]
    assert api_as(cw.base.users[Role.COORDINATOR]).get(f"/api/v1/attachments/{other.pk}/download/").status_code == 404


@pytest.mark.django_db
def test_incoming_referral_is_answered_by_the_receiving_institution(cw, api_as):
    from tests.factories import member

    referral = cw.cases_made[OWN]["referral"]
    ngo_worker = member(Role.CASEWORKER, cw.case_ngo[OWN])
    client = api_as(ngo_worker)
    assert referral.pk in ids(client.get("/api/v1/referrals/", {"box": "incoming"}))
    assert client.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    # the caseworker who sent it cannot answer for the NGO
    sender = api_as(cw.base.users[Role.CASEWORKER])
    assert sender.post(f"/api/v1/referrals/{referral.pk}/accept/").status_code == 404
    response = client.post(f"/api/v1/referrals/{referral.pk}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    # another municipality's referral is not theirs to answer
    other = cw.cases_made[OTHER]["referral"]
    assert client.post(f"/api/v1/referrals/{other.pk}/decline/", {"decline_reason": "x"}, format="json").status_code == 404
    assert Referral.objects.get(pk=other.pk).status == "sent"


@pytest.mark.django_db
def test_work_queue_and_timeline(cw, api_as):
    client = api_as(cw.base.users[Role.CASEWORKER])
    queue = client.get("/api/v1/work-queue/").json()
    measure_ids = {item["id"] for item in queue["expiring_measures"]}
    assert cw.cases_made[OWN]["emergency"].pk in measure_ids
    assert cw.cases_made[OTHER]["emergency"].pk not in measure_ids
    timeline = client.get(f"/api/v1/cases/{cw.case[OWN].pk}/timeline/")
    assert timeline.status_code == 200
    kinds = {entry["kind"] for entry in timeline.json()}
    assert {"case_reported", "incident", "emergency_measure", "note", "attachment"} <= kinds
    assert client.get(f"/api/v1/cases/{cw.case[OTHER].pk}/timeline/").status_code == 404


@pytest.mark.django_db
def test_case_team_and_staff(cw, api_as):
    client = api_as(cw.base.users[Role.CASEWORKER])
    case = cw.case[OWN]
    response = client.post(f"/api/v1/cases/{case.pk}/team/", {"institution": cw.base.police_a.pk}, format="json")
    assert response.status_code == 201, response.content
    assert cw.base.police_a.pk in {m["institution"] for m in response.json()}
    # another municipality's institution is not a valid choice
    response = client.post(f"/api/v1/cases/{case.pk}/team/", {"institution": cw.base.csr_b.pk}, format="json")
    assert response.status_code == 400 and "institution" in response.json()
    police = api_as(cw.base.users["police_caseworker"])
    assert police.get(f"/api/v1/cases/{case.pk}/").status_code == 200  # the police joined the team
    response = client.post(f"/api/v1/cases/{case.pk}/assign/",
                           {"assignee": cw.base.users["police_caseworker"].pk, "team_role": "member"}, format="json")
    assert response.status_code == 201, response.content
    participant = case.participants.get(institution=cw.base.police_a)
    response = client.post(f"/api/v1/cases/{case.pk}/team/{participant.pk}/remove/")
    assert response.status_code == 200
    assert police.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    response = client.post(f"/api/v1/cases/{case.pk}/propose-conference/")
    assert response.status_code == 200 and response.json()["proposed_for_conference_at"]
    assert Case.objects.get(pk=case.pk).proposed_for_conference_by_id == cw.base.users[Role.CASEWORKER].pk
