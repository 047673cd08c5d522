"""CSV and XLSX files of records: one row per record, columns named in docs/interlink/; a file is
checked whole and refused whole, every error named by row and column."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .choices import RecordKind
from .formats import LIST_SEPARATOR, RecordErrors, check

MAX_BYTES = 40 * 1024 * 1024
MAX_ROWS = 50_000

PERSON_FIELDS = ("first_name", "last_name", "sex", "birth_date", "jmbg", "address")
PERSON_COLUMNS = [f"{who}_{field}" for who in ("victim", "perpetrator") for field in PERSON_FIELDS] + [
    "perpetrator_relationship"
]
COLUMNS = {
    RecordKind.POLICE_REPORT: [
        "external_id", "version", "occurred_at", "reported_at", "place_type", "police_event_number", "forms",
        "injuries", "weapon_involved", "children_present", "description", *PERSON_COLUMNS,
        "immediate_danger", "risk_yes", "measure_kind", "measure_order_number", "measure_delivered_at",
    ],
    RecordKind.EMERGENCY_ORDER: [
        "external_id", "version", "report_external_id", "kind", "order_number", "delivered_at", *PERSON_COLUMNS,
    ],
    RecordKind.COURT_DECISION: [
        "external_id", "version", "decision_type", "court", "decision_number", "order_number", "proposed_at",
        "decided_at", "extended", "kind", "decision_date", "valid_from", "valid_until", "distance_m", *PERSON_COLUMNS,
    ],
}
REQUIRED_COLUMNS = ("external_id", "version")
INCIDENT = {"occurred_at", "reported_at", "place_type", "police_event_number", "forms", "injuries",
            "weapon_involved", "children_present", "description"}
MEASURE = {"measure_kind": "kind", "measure_order_number": "order_number", "measure_delivered_at": "delivered_at"}


class FileErrors(Exception):
    """Every problem of a file: [{"row": n, "field": column, "message": text}]."""

    def __init__(self, errors: list[dict]):
        super().__init__("invalid file")
        self.errors = errors


def _cell(value):
    if isinstance(value, datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(name: str, data: bytes) -> tuple[list[str], list[list]]:
    """The header and the rows of a CSV (UTF-8, comma or semicolon) or XLSX file."""
    if len(data) > MAX_BYTES:
        raise FileErrors([{"row": 0, "field": "", "message": _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}}])
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # a broken workbook is refused, named as such
            raise FileErrors([{"row": 0, "field": "", "message": _("The file is not a readable XLSX workbook.")}]) from exc
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileErrors([{"row": 0, "field": "", "message": _("Save the CSV file as UTF-8.")}]) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    else:
        raise FileErrors([{"row": 0, "field": "", "message": _("Send a CSV or XLSX file.")}])
    rows = [row for row in rows if any(c not in ("", None) for c in row)]
    if not rows:
        raise FileErrors([{"row": 0, "field": "", "message": _("The file is empty.")}])
    header = [str(h).strip().lower() for h in rows[0]]
    return header, rows[1:]


def _split(value) -> list[str]:
    return [part.strip() for part in str(value or "").split(LIST_SEPARATOR) if part.strip()]


def row_to_record(kind: str, values: dict) -> dict:
    """The nested record of the documented JSON format from one row's columns."""
    record: dict = {"external_id": values.get("external_id"), "version": values.get("version")}
    persons = []
    for who in ("victim", "perpetrator"):
        person = {field: values.get(f"{who}_{field}", "") for field in PERSON_FIELDS}
        if who == "perpetrator":
            person["relationship_to_victim"] = values.get("perpetrator_relationship", "")
        if any(v not in ("", None) for v in person.values()) or who == "victim":
            persons.append({"role": who, **person})
    if persons and not any(v not in ("", None) for k, v in persons[0].items() if k != "role"):
        persons = persons[1:]
    record["persons"] = persons
    if kind == RecordKind.POLICE_REPORT:
        incident = {key: values.get(key, "") for key in INCIDENT}
        incident["forms"] = _split(values.get("forms"))
        record["incident"] = incident
        yes = _split(values.get("risk_yes"))
        if yes or values.get("immediate_danger") not in ("", None):
            record["risk"] = {"immediate_danger": values.get("immediate_danger", ""), "items": dict.fromkeys(yes, "yes")}
        measure = {target: values.get(column, "") for column, target in MEASURE.items()}
        record["emergency_measure"] = measure if any(v not in ("", None) for v in measure.values()) else None
    else:
        for column in COLUMNS[kind]:
            if column not in record and not column.startswith(("victim_", "perpetrator_")):
                record[column] = values.get(column, "")
    return record


_PERSON_PATH = re.compile(r"^persons\[(\d+)\]\.(\w+)$")


def _column_of(path: str, record: dict) -> str:
    """The column a record field came from (for naming the error)."""
    match = _PERSON_PATH.match(path)
    if match:
        index, field = int(match.group(1)), match.group(2)
        persons = record.get("persons") or []
        who = persons[index]["role"] if index < len(persons) else "victim"
        return "perpetrator_relationship" if field == "relationship_to_victim" else f"{who}_{field}"
    if path.startswith("incident."):
        return path.split(".", 1)[1]
    if path.startswith("risk.items"):
        return "risk_yes"
    if path.startswith("risk."):
        return path.split(".", 1)[1]
    if path.startswith("emergency_measure."):
        return {v: k for k, v in MEASURE.items()}.get(path.split(".", 1)[1], path)
    if path in ("persons", "incident", "record"):
        return "victim_first_name" if path == "persons" else ""
    return path.lstrip(".")


def parse_file(kind: str, name: str, data: bytes) -> list[dict]:
    """The checked records of the file, in order; FileErrors with every problem (nothing is kept)."""
    header, rows = read_table(name, data)
    errors: list[dict] = []
    known = set(COLUMNS[kind])
    for column in header:
        if column and column not in known:
            errors.append({"row": 1, "field": column, "message": _("Unknown column.")})
    for column in REQUIRED_COLUMNS:
        if column not in header:
            errors.append({"row": 1, "field": column, "message": _("The column is missing.")})
    if len(rows) > MAX_ROWS:
        errors.append({"row": 0, "field": "", "message": _("At most %(max)d rows per file.") % {"max": MAX_ROWS}})
    if errors:
        raise FileErrors(errors)
    records = []
    for number, row in enumerate(rows, start=2):
        values = {column: row[i] if i < len(row) else "" for i, column in enumerate(header) if column}
        raw = row_to_record(kind, values)
        try:
            record = check(kind, raw)
        except RecordErrors as exc:
            for path, messages in exc.errors.items():
                errors.extend({"row": number, "field": _column_of(path, raw), "message": m} for m in messages)
            continue
        records.append(record)
    if errors:
        raise FileErrors(errors)
    return records
