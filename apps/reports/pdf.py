"""The monthly report as a PDF (WeasyPrint; the system's DejaVu fonts; the URL fetcher that refuses
every remote resource), in the reader's language and script, from a run's snapshot: the protected
figures as shown, so a PDF never holds a count the dashboard hides."""
from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from apps.conferences.pdf import local_url_fetcher
from apps.municipalities.models import Municipality

from .snapshots import tables_from_snapshot

HTML_LANG = {"en": "en", "sr-cyrl": "sr-Cyrl"}


def render_report(snapshot: dict, municipality: Municipality | None, language: str) -> bytes:
    """The report of one snapshot in ``language`` (``municipality`` None: the national report)."""
    with translation.override(language):
        name = municipality.display_name(language) if municipality is not None else str(_("All municipalities"))
        tables, months = tables_from_snapshot(snapshot)
        html = render_to_string("reports/pdf/monthly.html", {
            "snapshot": snapshot, "tables": tables, "months": months,
            "municipality_name": name, "language": language, "national": municipality is None,
            "html_lang": HTML_LANG.get(language, "sr-Latn"), "generated_at": timezone.localtime(),
        })
        return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_url_fetcher()).write_pdf()
