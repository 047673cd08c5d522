"""The institution admin's pages and the matching queue, in the browser's terms."""
import pytest

from apps.core.choices import Role
from apps.interlink.models import InboundRecord, MachineAccount
from tests.factories import member

from .conftest import client_for, report

URL = "/api/v1/interlink/police-reports/"


@pytest.mark.django_db
def test_the_admin_creates_an_account_sees_its_token_once_and_it_works(world, verified_client):
    admin = member(Role.INSTITUTION_ADMIN, world.police_a)
    client = verified_client(admin)
    response = client.post("/interlink/accounts/new/", {"name": "Sistem PU (test)", "scopes": ["police_reports:send"],
                                                        "rate_per_minute": 60})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("kznm_") and secret in response.content.decode()
    account = MachineAccount.objects.get()
    assert account.institution == world.police_a and account.scopes == ["police_reports:send"]
    page = client.get(f"/interlink/accounts/{account.pk}/").content.decode()
    assert secret not in page and secret.split("_")[1] in page  # later only its prefix is shown
    assert client_for(secret).post(URL, report(), format="json").status_code == 201


@pytest.mark.django_db
def test_a_malformed_upload_lists_every_error_by_row_and_column(machines, verified_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(machines.a.admin)
    data = b"external_id,version,occurred_at\nX-1,abc,2026-01-01T10:00:00+01:00\n"
    response = client.post(f"/interlink/accounts/{machines.a.account.pk}/upload/",
                           {"kind": "police_report", "file": SimpleUploadedFile("x.csv", data)})
    assert response.status_code == 200
    errors = {(e["row"], e["field"]) for e in response.context["file_errors"]}
    assert (2, "version") in errors and (2, "forms") in errors and (2, "victim_first_name") in errors
    assert not InboundRecord.objects.exists()


@pytest.mark.django_db
def test_the_queue_shows_a_reviewer_only_candidates_she_may_see(machines, verified_client):
    client = client_for(machines.a.secret)
    client.post(URL, report("PU-1"), format="json")
    client.post(URL, report("PU-2", victim={"first_name": "Milica", "last_name": "Primerovic"},
                            perpetrator={"first_name": "Petar", "last_name": "Primerovic"}), format="json")
    waiting = InboundRecord.objects.get(external_id="PU-2")
    case_number = InboundRecord.objects.get(external_id="PU-1").case.number
    police = verified_client(machines.world.users["police_caseworker"])
    page = police.get(f"/interlink/records/{waiting.pk}/").content.decode()
    assert case_number in page
    listed = police.get("/interlink/records/?status=queued").content.decode()
    assert "PU-2" in listed and "PU-1" not in listed
    centre = member(Role.CASEWORKER, machines.world.csr_a)
    # The centre's caseworker is not staff of the police station: the record is not hers to see.
    assert verified_client(centre).get(f"/interlink/records/{waiting.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_candidate_the_reviewer_may_not_see_is_not_named_nor_offered(machines, verified_client):
    from apps.cases.models import Case

    client = client_for(machines.a.secret)
    client.post(URL, report("PU-1"), format="json")
    case = InboundRecord.objects.get(external_id="PU-1").case
    Case.objects.filter(pk=case.pk).update(is_restricted=True)  # only its assigned staff (the account) see it
    client.post(URL, report("PU-2", victim={"first_name": "Milica", "last_name": "Primerovic"},
                            perpetrator={"first_name": "Petar", "last_name": "Primerovic"}), format="json")
    waiting = InboundRecord.objects.get(external_id="PU-2")
    assert waiting.explanation["candidates"][0]["case"] == case.pk
    response = verified_client(machines.world.users["police_caseworker"]).get(f"/interlink/records/{waiting.pk}/")
    assert response.status_code == 200
    assert case.number not in response.content.decode()
    assert [value for value, _label in response.context["assign"].fields["case"].choices] == [0]
