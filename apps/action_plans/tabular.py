"""Tables to and from files: CSV (UTF-8 with BOM, semicolons, as Serbian spreadsheets expect) and XLSX.

Amounts go out as exact numbers (Decimal; in XLSX numeric cells with two decimals) and text cells are
safe against formula injection. Reading gives every row as a dict by column letter and header.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from apps.cases.exports import safe_cell

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, Decimal | int):
        return value
    return safe_cell(value)


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([f"{v:.2f}" if isinstance(v, Decimal) else _cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: list[list], title: str = "Sheet") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([safe_cell(h) for h in headers])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(fmt: str, headers, rows, title="Sheet") -> tuple[bytes, str]:
    if fmt == "xlsx":
        return to_xlsx(headers, rows, title), XLSX_TYPE
    return to_csv(headers, rows), CSV_TYPE


class UnreadableFile(ValueError):
    """The upload is neither a readable XLSX nor a CSV."""


def read_rows(name: str, data: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """(headers, [(row number as the spreadsheet shows it, cells)]) of the first sheet or the CSV."""
    if name.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - any failure of the reader means "not an XLSX"
            raise UnreadableFile(str(error)) from None
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1250")
            except UnicodeDecodeError:
                raise UnreadableFile("encoding") from None
        sample = text[:2000]
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return [], []
    headers = ["" if h is None else str(h).strip() for h in rows[0]]
    body = [(index + 2, list(r)) for index, r in enumerate(rows[1:])
            if any(c not in (None, "") and str(c).strip() for c in r)]
    return headers, body


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)
