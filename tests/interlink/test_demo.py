"""The sandbox on the demo data: the Lazarevac police machine account, its sample file of 20 reports
landed on the right cases, the unsure one waiting, the sandbox token working."""
import pytest

from apps.cases import demo as case_demo
from apps.interlink import demo
from apps.interlink.choices import Decision, RecordStatus
from apps.interlink.models import InboundRecord, MachineAccount
from tests.cases.test_demo import _demo_context

from .conftest import client_for


@pytest.fixture
def seeded(db):
    context = _demo_context(("lazarevac",))
    case_demo.seed(context)
    demo.seed(context)
    return context


def test_the_sample_file_lands_on_the_right_cases_and_one_waits(seeded):
    records = {r.external_id: r for r in InboundRecord.objects.all()}
    assert len(records) == 17  # 20 rows: two repeats and a second version of a record
    assert records["PU-LAZ-2026-1005"].version == 2 and records["PU-LAZ-2026-1005"].created_rows.get("emergency")
    cyrillic, latin = records["PU-LAZ-2026-1013"], records["PU-LAZ-2026-1001"]
    assert cyrillic.decision == Decision.JOINED_AUTO and cyrillic.case_id == latin.case_id
    waiting = [r.external_id for r in records.values() if r.status == RecordStatus.QUEUED]
    assert waiting == ["PU-LAZ-2026-1017"]
    assert len({r.case_id for r in records.values() if r.case_id}) == 15


def test_seeding_again_adds_nothing_and_the_sandbox_token_reads_the_records(seeded):
    demo.seed(seeded)
    assert MachineAccount.objects.count() == 1 and InboundRecord.objects.count() == 17
    response = client_for(demo.SANDBOX_TOKEN).get("/api/v1/interlink/records/?external_id=PU-LAZ-2026-1013")
    assert response.status_code == 200
    assert response.json()["results"][0]["decision"] == "joined_auto"
