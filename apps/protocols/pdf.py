"""The PDF of an adopted protocol version (WeasyPrint), in the reader's language and script, with the
look of the minutes PDF; nothing is fetched from the network (the minutes' local URL fetcher)."""
from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from apps.conferences.pdf import local_url_fetcher

from .selectors.protocols import steps_by_sector


def version_pdf(version, *, request=None, language: str | None = None) -> bytes:
    """The adopted version as a PDF."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("protocols/pdf/version.html", {
            "version": version, "protocol": version.protocol, "sectors": steps_by_sector(version),
            "html_lang": {"en": "en", "sr-cyrl": "sr-Cyrl"}.get(language, "sr-Latn"), "municipality": version.protocol.municipality,
        })
        return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_url_fetcher()).write_pdf()
