"""PDFs of events (WeasyPrint, DejaVu fonts, no remote fetch): the sign-in sheet before the event,
the attendance record after it, and the certificates, in the reader's or participant's language.

Certificates are rendered many to one document per language (one page each) and split into one
file per participant with pypdf: one layout pass for 200 certificates instead of 200.
"""
from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from apps.conferences.pdf import local_url_fetcher

HTML_LANG = {"en": "en", "sr-cyrl": "sr-Cyrl"}


def _render(template: str, context: dict, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(template, {**context, "language": language,
                                           "html_lang": HTML_LANG.get(language, "sr-Latn"),
                                           "generated_at": timezone.localtime()})
        return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_url_fetcher()).write_pdf()


def _host(event, language: str) -> str:
    if event.area_id:
        return event.area.display_name(language)
    return event.municipality.display_name(language)


def sign_in_sheet(event, participants, language: str) -> bytes:
    """The sheet participants sign at the door (names, institution, function; a blank signature)."""
    return _render("events/pdf/sign_in.html", {"event": event, "participants": participants,
                                               "host": _host(event, language), "blank_rows": range(8)}, language)


def attendance_record(event, participants, language: str) -> bytes:
    """Who attended and for how many hours, after the event."""
    attended = [p for p in participants if p.attended]
    return _render("events/pdf/attendance.html", {"event": event, "participants": participants,
                                                  "attended_count": len(attended), "host": _host(event, language)},
                   language)


def certificates(event, certificates_, language: str) -> list[bytes]:
    """One PDF per certificate (all of one language), rendered as one document and split by page."""
    if not certificates_:
        return []
    verify_base = settings.SITE_URL.rstrip("/")
    document = _render("events/pdf/certificates.html", {"event": event, "certificates": certificates_,
                                                        "host": _host(event, language), "verify_base": verify_base},
                       language)
    reader = PdfReader(io.BytesIO(document))
    if len(reader.pages) != len(certificates_):
        raise ValueError("Each certificate must fit on one page.")
    files = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
        files.append(out.getvalue())
    return files
