"""CSV and XLSX of the compliance tables and the self-assessment results (figures only)."""
from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(rows: list[list], name: str, fmt: str) -> HttpResponse:
    """``rows`` (the first one the header) as a CSV (UTF-8 with BOM, for spreadsheets) or an XLSX file."""
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        for row in rows:
            sheet.append([("" if v is None else v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def cell_text(cell) -> str:
    """A figure as shown: "< 5" when suppressed, else on time / due (share %)."""
    if cell.hidden:
        return "< 5"
    if not cell.due:
        return ""
    return f"{cell.on_time}/{cell.due} ({cell.share}%)"
