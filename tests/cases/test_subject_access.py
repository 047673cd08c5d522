"""Subject access and erasure: the export holds the person's records in every municipality and the
records of their cases, but of the other persons only the role; erasure removes what identifies the
person everywhere and nothing else; both are audited with the request's reference."""
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from apps.cases.models import CasePerson
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from tests.cases.factories import add_person, make_jmbg, open_case

BORN = date(1985, 3, 9)
JMBG = make_jmbg(BORN)


@pytest.fixture
def subject(world):
    """The same woman in a case of each municipality, with a perpetrator in the first."""
    a_user, b_user = world.users[Role.CASEWORKER], world.users["other_municipality"][Role.CASEWORKER]
    case_a, case_b = open_case(a_user), open_case(b_user)
    add_person(a_user, case_a, first_name="Demo", last_name="Subjektović", jmbg=JMBG, birth_date=BORN,
               phone="+381 60 123 45 67")
    add_person(b_user, case_b, first_name="Demo", last_name="Subjektović", jmbg=JMBG, birth_date=BORN)
    add_person(a_user, case_a, role="perpetrator", first_name="Treće", last_name="Liceović",
               birth_date=date(1980, 1, 1), relationship_to_victim="spouse")
    return case_a, case_b


def export(*args):
    out = io.StringIO()
    call_command("subject_access", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_export_holds_the_person_in_every_municipality_and_no_third_party(subject):
    case_a, case_b = subject
    data = export("--reference", "DPO-2026-17", "--jmbg", JMBG)
    assert {r["fields"]["case"] for r in data["person_records"]} == {case_a.pk, case_b.pk}
    assert {r["fields"]["phone"] for r in data["person_records"]} >= {"+381 60 123 45 67"}
    assert {c["pk"] for c in data["cases"]} == {case_a.pk, case_b.pk}
    text = json.dumps(data, ensure_ascii=False)
    assert "Liceović" not in text and "Treće" not in text
    assert {"case_id": case_a.pk, "role": "perpetrator"} in data["other_persons_of_the_cases"]
    assert "cases.incident" in data["records"] and "cases.casenote" in data["records"]
    same = export("--reference", "DPO-2026-18", "--first-name", "demo", "--last-name", "SUBJEKTOVIĆ",
                  "--birth-date", BORN.isoformat())
    assert len(same["person_records"]) == 2
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, details__subject_access="DPO-2026-17").exists()


def test_erasure_removes_the_person_everywhere_and_nobody_else(subject):
    with pytest.raises(CommandError, match="add --yes"):
        call_command("erase_person", "--reference", "DPO-2026-19", "--jmbg", JMBG)
    with pytest.raises(CommandError, match="Give the JMBG"):
        call_command("erase_person", "--reference", "DPO-2026-19", "--first-name", "Demo", "--yes")
    out = io.StringIO()
    call_command("erase_person", "--reference", "DPO-2026-19", "--jmbg", JMBG, "--yes", stdout=out)
    assert "2 person records erased" in out.getvalue()
    erased = CasePerson.objects.filter(last_name="—")
    assert erased.count() == 2
    assert all(p.jmbg == "" and p.phone == "" and p.birth_date is None and p.birth_year == 1985 for p in erased)
    assert CasePerson.objects.filter(last_name="Liceović").count() == 1
    assert export("--reference", "DPO-2026-20", "--jmbg", JMBG)["person_records"] == []
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE, details__erasure="DPO-2026-19").exists()
