"""CSV and XLSX of the suppressed results (apps/surveys/results.py: the same rows as the page and the
API), the coordinators' raw export (audited, no free text) and the poster and card PDF."""
from __future__ import annotations

import csv
import io

import segno
from django.template.loader import render_to_string
from openpyxl import Workbook
from weasyprint import HTML


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def xlsx_bytes(rows: list[list], title: str = "Results") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """The QR code drawn by the platform (segno, as the two-factor QR): no outside service sees the link."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#111", light="#fff", omitsize=False)


def poster_pdf(url: str, *, card: bool = False) -> bytes:
    html = render_to_string("surveys/pdf/poster.html", {"url": url, "qr": qr_svg(url), "card": card})
    return HTML(string=html).write_pdf()


def results_pdf(collection, results) -> bytes:
    """The suppressed results as a PDF: the same template part as the page (surveys/_results.html)."""
    html = render_to_string("surveys/pdf/results.html", {"collection": collection, "results": results})
    return HTML(string=html).write_pdf()
