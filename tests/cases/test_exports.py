"""Case exports: the agreed columns only, never personal data or restricted cases, safe cells."""
import csv
import io
from datetime import datetime

import pytest
from django.utils import timezone, translation

from apps.cases.choices import CaseStatus, Priority, RiskLevel, ViolenceForm
from apps.cases.exports import export_cases_csv, export_cases_xlsx, safe_cell
from apps.cases.models import Case
from apps.core.choices import AuditAction
from apps.core.models import AuditEntry
from tests.factories import InstitutionFactory

from .factories_records import assign, incident, make_case, note, person

JMBG = "0101990710005"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def data(world):
    csr_user = world.users["caseworker"]
    reported = timezone.make_aware(datetime(2026, 11, 27, 0, 30))  # just after midnight in Belgrade
    case = make_case(
        institution=world.csr_a, opened_by=csr_user, reported_at=reported, number="LAZ-2026-00042",
        status=CaseStatus.ACTIVE_PROTECTION, risk_level=RiskLevel.HIGH, priority=Priority.IMMEDIATE, is_repeat=True,
        summary="Opis slučaja sa ličnim podacima",
    )
    assign(case, csr_user, institution=world.csr_a)
    person(case, "Jelena", "Testović", jmbg=JMBG, address="Testna ulica 1", phone="+381600000000")
    incident(case, forms=[ViolenceForm.PSYCHOLOGICAL, ViolenceForm.PHYSICAL], recorded_by=csr_user)
    note(case, author=csr_user, institution=world.csr_a, text="Poverljiva beleška")
    plain = make_case(institution=world.csr_a, opened_by=csr_user, number="LAZ-2026-00043",
                      reported_at=timezone.make_aware(datetime(2026, 3, 5, 12, 0)))
    restricted = make_case(institution=world.csr_a, opened_by=csr_user, number="LAZ-2026-00044", is_restricted=True)
    assign(restricted, csr_user, institution=world.csr_a)
    elsewhere = make_case(institution=world.csr_b, opened_by=world.users["other_municipality"]["caseworker"],
                          number="LAZ-2026-00045")
    return {"case": case, "plain": plain, "restricted": restricted, "elsewhere": elsewhere}


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def test_csv_has_the_agreed_columns(world, data):
    rows = read_csv(export_cases_csv(world.users["caseworker"], scope="institution"))
    assert rows[0] == [
        "Case number", "Status", "Risk level", "Priority", "Lead institution", "Reported", "Forms of violence",
        "Repeat case",
    ]
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {"LAZ-2026-00042", "LAZ-2026-00043"}
    assert by_number["LAZ-2026-00042"] == [
        "LAZ-2026-00042", "Active protection", "High", "Immediate (24 hours)", world.csr_a.name, "27.11.2026",
        "Physical; Psychological", "Yes",
    ]
    assert by_number["LAZ-2026-00043"][2] == ""
    assert by_number["LAZ-2026-00043"][5] == "05.03.2026"
    assert by_number["LAZ-2026-00043"][7] == "No"


def test_no_personal_data_notes_or_summary_in_either_format(world, data):
    user = world.users["caseworker"]
    csv_text = export_cases_csv(user, scope="institution").decode("utf-8-sig")
    values, _sheet = read_xlsx(export_cases_xlsx(user, scope="institution"))
    xlsx_text = " ".join(str(v) for row in values for v in row if v is not None)
    for text in (csv_text, xlsx_text):
        for secret in ("Jelena", "Testović", JMBG, "Testna ulica", "+381600000000", "Poverljiva", "Opis slučaja"):
            assert secret not in text


def test_restricted_cases_are_never_exported_even_for_assigned_staff(world, data):
    user = world.users["caseworker"]
    # The assigned caseworker sees the restricted case in "my cases"...
    numbers = [r[0] for r in read_csv(export_cases_csv(user, scope="mine"))[1:]]
    assert numbers == ["LAZ-2026-00042"]
    # ...and even a queryset that holds it explicitly leaves it out.
    rows = read_csv(export_cases_csv(user, queryset=Case.objects.filter(pk=data["restricted"].pk)))
    assert rows[1:] == []
    values, _sheet = read_xlsx(export_cases_xlsx(user, queryset=Case.objects.all()))
    assert "LAZ-2026-00044" not in [row[0] for row in values]


def test_a_queryset_cannot_widen_what_the_user_sees(world, data):
    rows = read_csv(export_cases_csv(world.users["caseworker"], queryset=Case.objects.all()))
    assert {r[0] for r in rows[1:]} == {"LAZ-2026-00042", "LAZ-2026-00043"}
    assert read_csv(export_cases_csv(world.users["official"], queryset=Case.objects.all()))[1:] == []


def test_filters_apply(world, data):
    rows = read_csv(export_cases_csv(world.users["coordinator"], scope="all", form=ViolenceForm.PHYSICAL))
    assert [r[0] for r in rows[1:]] == ["LAZ-2026-00042"]


@pytest.mark.parametrize("value", ["=1+1", "+381", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_get_a_quote(value):
    assert safe_cell(value) == "'" + value


def test_plain_cells_are_left_alone():
    assert safe_cell("LAZ-2026-00042") == "LAZ-2026-00042"
    assert safe_cell(None) == ""
    assert safe_cell("Centar = CSR") == "Centar = CSR"


def test_control_characters_cannot_hide_a_formula():
    assert safe_cell("\x01=HYPERLINK(1)") == "'=HYPERLINK(1)"


@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.invalid","klik")', "+Ustanova", "-Ustanova", "@Ustanova"])
def test_formula_injection_through_a_name_is_neutralised(world, name):
    evil = InstitutionFactory(municipality=world.mun_a, name=name)
    user = world.users["coordinator"]
    make_case(institution=evil, opened_by=user, number="LAZ-2026-00099")
    rows = read_csv(export_cases_csv(user, scope="all"))
    assert rows[1][4] == "'" + name
    values, sheet = read_xlsx(export_cases_xlsx(user, scope="all"))
    assert values[1][4] == "'" + name
    assert sheet.cell(row=2, column=5).data_type == "s"


def test_xlsx_has_the_same_rows_as_csv(world, data):
    user = world.users["caseworker"]
    csv_rows = read_csv(export_cases_csv(user, scope="institution"))
    values, _sheet = read_xlsx(export_cases_xlsx(user, scope="institution"))
    assert [[("" if v is None else str(v)) for v in row] for row in values] == csv_rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_audited_once_with_the_row_count(world, data, fmt):
    user = world.users["caseworker"]
    export = export_cases_csv if fmt == "csv" else export_cases_xlsx
    export(user, scope="institution", status=CaseStatus.ACTIVE_PROTECTION)
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == user
    assert entry.object_type == "cases.case"
    assert entry.details["rows"] == 1
    assert entry.details["format"] == fmt
    assert entry.details["filters"] == ["status"]
    assert entry.municipality_id == world.mun_a.pk
