"""Shared pieces of the survey models: texts in the three languages."""
from __future__ import annotations

from django.utils import translation

from apps.core.text import to_cyrillic

LANGS = ("sr-latn", "sr-cyrl", "en")


def tr(texts, lang: str | None = None) -> str:
    """The text of ``texts`` ({"sr-latn": ..., "sr-cyrl": ..., "en": ...}) in ``lang`` (the active
    language by default): Cyrillic falls back to the transliterated Latin text, English to Latin."""
    if not isinstance(texts, dict):
        return str(texts or "")
    lang = (lang or translation.get_language() or "sr-latn").lower()
    value = texts.get(lang, "")
    if value:
        return value
    latin = texts.get("sr-latn", "")
    if lang == "sr-cyrl":
        return to_cyrillic(latin)
    return latin or texts.get("en", "")


def three(latin: str, cyrillic: str = "", english: str = "") -> dict:
    """A text in the three languages as stored. The Cyrillic text is kept only where it says more than the
    transliterated Latin (an override): left empty it follows the Latin text when that changes."""
    latin, cyrillic, english = (latin or "").strip(), (cyrillic or "").strip(), (english or "").strip()
    if cyrillic and cyrillic == to_cyrillic(latin):
        cyrillic = ""
    return {"sr-latn": latin, "sr-cyrl": cyrillic, "en": english}
