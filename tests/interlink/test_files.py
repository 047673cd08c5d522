"""Files: a malformed file is refused whole with every error by row and column; a good one is imported
in chunks with visible progress."""
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.interlink.choices import ImportStatus
from apps.interlink.files import COLUMNS, FileErrors, parse_file
from apps.interlink.models import ImportRun, InboundRecord
from apps.interlink.services.imports import import_chunk_run, import_start

from .conftest import client_for, when

HEADER = COLUMNS["police_report"]
OCCURRED, REPORTED = when(3), when(2)


def _row(n, **over):
    row = dict.fromkeys(HEADER, "")
    row.update({"external_id": f"F-{n}", "version": "1", "occurred_at": OCCURRED, "reported_at": REPORTED,
                "forms": "physical|psychological", "victim_first_name": "Ana", "victim_last_name": f"Primerić{n}",
                "victim_birth_date": f"1990-01-0{n % 9 + 1}", "perpetrator_first_name": "Marko",
                "perpetrator_last_name": f"Primerić{n}", "perpetrator_relationship": "spouse", "risk_yes": "prior_violence"})
    row.update(over)
    return row


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_malformed_file_names_every_error_by_row_and_column():
    data = _csv([_row(1), _row(2, forms="hitting", victim_birth_date="31.02.1990"), _row(3, version="x")])
    with pytest.raises(FileErrors) as caught:
        parse_file("police_report", "izvestaj.csv", data)
    assert {(e["row"], e["field"]) for e in caught.value.errors} == {
        (3, "forms"), (3, "victim_birth_date"), (4, "version")}


@pytest.mark.django_db
def test_the_upload_refuses_a_bad_file_whole_and_saves_nothing(machines):
    data = _csv([_row(1), _row(2, occurred_at="sutra")])
    response = client_for(machines.a.secret).post(
        "/api/v1/interlink/imports/", {"kind": "police_report", "file": SimpleUploadedFile("r.csv", data)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 3 and response.json()["errors"][0]["field"] == "occurred_at"
    assert not ImportRun.objects.exists() and not InboundRecord.objects.exists()


@pytest.mark.django_db
def test_a_good_file_is_imported_in_chunks_with_progress(machines, monkeypatch, django_capture_on_commit_callbacks):
    from apps.interlink.services import imports

    monkeypatch.setattr(imports, "CHUNK", 2)
    rows = [_row(n) for n in range(1, 6)] + [_row(1)]  # the last row repeats the first: unchanged
    with django_capture_on_commit_callbacks(execute=False):
        run = import_start(account=machines.a.account, kind="police_report", name="r.csv", data=_csv(rows))
    assert run.total == 6 and run.status == ImportStatus.PENDING
    assert import_chunk_run(run.pk) is True
    run.refresh_from_db()
    assert run.processed == 2 and run.status == ImportStatus.RUNNING and run.percent == 33
    while import_chunk_run(run.pk):
        pass
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE and run.counts["created"] == 5 and run.counts["unchanged"] == 1
    assert InboundRecord.objects.count() == 5 and run.rows == ""
