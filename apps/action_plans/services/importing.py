"""Importing a budget table (XLSX or CSV) into a plan: every row checked first, every error named by
row and column, and nothing saved unless every row is right."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Activity, BudgetLine, Plan
from ..tabular import UnreadableFile, column_letter, read_rows
from .budget import _clean_values, known_codes, line_errors
from .common import AuditAction, audit, ensure_editable

# column key -> accepted headers (as a finance office writes them, in Latin or Cyrillic, or English)
COLUMNS = {
    "activity": ("aktivnost", "активност", "activity"),
    "year": ("godina", "година", "year"),
    "programme": ("program", "програм", "programme"),
    "programme_activity": ("programska aktivnost", "програмска активност", "programme activity", "projekat"),
    "function": ("funkcija", "функција", "function"),
    "konto": ("konto", "конто", "ekonomska klasifikacija"),
    "source": ("izvor", "извор", "izvor finansiranja", "source"),
    "donor": ("donator", "донатор", "donor"),
    "description": ("opis", "опис", "description"),
    "planned": ("planirano", "планирано", "planned"),
    "amended": ("rebalans", "ребаланс", "amended"),
    "committed": ("preuzete obaveze", "преузете обавезе", "committed"),
}
REQUIRED = ("activity", "year", "programme", "programme_activity", "function", "konto", "source", "planned")
SAMPLE_HEADERS = ["aktivnost", "godina", "program", "programska aktivnost", "funkcija", "konto", "izvor",
                  "donator", "opis", "planirano", "rebalans", "preuzete obaveze"]
AMOUNT_TEXT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$|^-?\d+(,\d{1,2})?$")


@dataclass
class ImportError_:
    row: int
    column: str
    header: str
    message: str

    def __str__(self):
        return _("Row %(row)s, column %(column)s (%(header)s): %(message)s") % {
            "row": self.row, "column": self.column, "header": self.header, "message": self.message}


class ImportRefused(ValidationError):
    """The table has errors; nothing was saved. ``errors`` lists them by row and column."""

    def __init__(self, errors: list[ImportError_]):
        self.errors = errors
        super().__init__([str(e) for e in errors])


def parse_amount(value) -> Decimal | None:
    """An exact amount from a cell: a number, "150000.50", or the Serbian "150.000,50"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest decimal that is this float: no binary noise
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if AMOUNT_TEXT.match(text):
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _map_headers(headers: list[str]) -> tuple[dict[str, int], list[ImportError_]]:
    positions, errors = {}, []
    wanted = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    for index, header in enumerate(headers):
        key = wanted.get(header.lower().strip())
        if key and key not in positions:
            positions[key] = index
    for key in REQUIRED:
        if key not in positions:
            errors.append(ImportError_(1, "—", COLUMNS[key][0], _("this column is missing.")))
    return positions, errors


@dataclass
class _Row:
    """One row of the table being checked; its errors go to the table's list."""

    number: int
    cells: list
    positions: dict
    headers: list
    errors: list

    def cell(self, key):
        index = self.positions.get(key)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def err(self, key, message) -> None:
        index = self.positions.get(key, 0)
        header = self.headers[index] if index < len(self.headers) else key
        self.errors.append(ImportError_(self.number, column_letter(index), header, str(message)))

    def check(self, activities: dict, codes_by_year: dict) -> tuple[Activity, dict] | None:
        values: dict = {}
        activity = activities.get(_text(self.cell("activity")))
        if activity is None:
            self.err("activity", _("no activity numbered “%(n)s” in this plan (write goal.measure.activity, e.g. 1.2.3).")
                     % {"n": _text(self.cell("activity"))})
        try:
            values["year"] = int(_text(self.cell("year")))
        except ValueError:
            self.err("year", _("enter the year as four digits."))
        for key in ("programme", "programme_activity", "function", "konto", "source", "donor", "description"):
            values[key] = _text(self.cell(key))
        for key in ("planned", "amended", "committed"):
            try:
                values[key] = parse_amount(self.cell(key))
            except ValueError:
                self.err(key, _("“%(v)s” is not an amount in dinars.") % {"v": _text(self.cell(key))})
                values[key] = Decimal("0")
        if values.get("committed") is None:
            values["committed"] = Decimal("0")
        if activity is None or "year" not in values:
            return None
        values = _clean_values(values)
        year = values["year"]
        if year not in codes_by_year:
            codes_by_year[year] = known_codes(year)
        for field, messages in line_errors(activity, values, codes_by_year[year]).items():
            for message in messages:
                self.err(field, message)
        return activity, values


def check_table(plan: Plan, name: str, data: bytes) -> tuple[list[tuple[Activity, dict]], list[ImportError_]]:
    """Every row of the table as (activity, values), and every error by row and column."""
    try:
        headers, body = read_rows(name, data)
    except UnreadableFile:
        return [], [ImportError_(1, "—", "—", _("the file is neither an XLSX workbook nor a CSV table."))]
    if not headers:
        return [], [ImportError_(1, "—", "—", _("the table has no rows."))]
    positions, errors = _map_headers(headers)
    if errors:
        return [], errors
    if not body:
        return [], [ImportError_(2, "—", "—", _("the table has no rows."))]
    activities = {
        f"{a.measure.goal.number}.{a.measure.number}.{a.number}": a
        for a in Activity.objects.filter(plan=plan).select_related("measure__goal", "plan")
    }
    codes_by_year: dict[int, dict] = {}
    parsed = []
    for row_number, cells in body:
        row = _Row(row_number, cells, positions, headers, errors)
        checked = row.check(activities, codes_by_year)
        if checked is not None:
            parsed.append(checked)
    return parsed, errors


@transaction.atomic
def import_budget(*, user, plan: Plan, name: str, data: bytes) -> list[BudgetLine]:
    """Add the table's lines to the plan, all or none."""
    ensure_editable(plan)
    rows, errors = check_table(plan, name, data)
    if errors:
        raise ImportRefused(errors)
    lines = [BudgetLine(municipality_id=plan.municipality_id, plan=plan, activity=activity, **values)
             for activity, values in rows]
    for line in lines:
        line.full_clean()
    BudgetLine.objects.bulk_create(lines)
    audit(AuditAction.CREATE, user, plan, plan, imported_lines=len(lines), file=name[:100])
    return lines
