"""The OpenAPI schema describes what the interlinking API sends to a machine token (the general check
in tests/api uses people's tokens, which these routes refuse)."""
import pytest

from apps.interlink.files import COLUMNS
from apps.interlink.services.events import emit
from apps.interlink.services.imports import import_start
from tests.api.test_schema_matches_responses import errors_of, validator_for

from .conftest import client_for, report


@pytest.fixture(scope="module")
def spec():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.django_db
def test_every_interlink_answer_matches_its_schema(spec, machines):
    client = client_for(machines.a.secret)
    client.post("/api/v1/interlink/police-reports/", report("S-1"), format="json")
    client.post("/api/v1/interlink/webhooks/", {"url": "https://primer.test/hook", "secret": "s" * 30,
                                                 "event_types": ["referral.changed"]}, format="json")
    emit(machines.a.account, "k", "referral.changed", {"case_number": "TST-1"})
    csv = ",".join(COLUMNS["police_report"]).encode() + b"\n"
    import_start(account=machines.a.account, kind="police_report", name="prazan.csv", data=csv)
    paths = [p for p, ops in spec["paths"].items() if p.startswith("/api/v1/interlink/") and "get" in ops]
    assert len(paths) == 8
    problems = []
    for path in [p for p in paths if "{" not in p]:
        response = client.get(path)
        assert response.status_code == 200, path
        problems += errors_of(validator_for(spec, path), response.json())
        rows = response.json()["results"]
        assert rows, path
        detail = path + "{id}/"
        response = client.get(path + f"{rows[0]['id']}/")
        assert response.status_code == 200, detail
        problems += errors_of(validator_for(spec, detail), response.json())
    assert not problems, problems
