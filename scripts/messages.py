"""Translations: extract, fill Cyrillic from Latin, compile, or check.

    python scripts/messages.py          # makemessages, sr_Cyrl from sr_Latn, en = msgid, compile
    python scripts/messages.py --check  # every entry translated, none fuzzy, .mo files up to date

Serbian Cyrillic is produced from the Serbian Latin catalog by transliteration (placeholders,
HTML tags and foreign names are left as they are); the Latin catalog is the one translators edit.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.core.text import to_cyrillic  # noqa: E402  (the project root is on the path from here)

LOCALE = ROOT / "locale"
LANGS = ("sr_Latn", "sr_Cyrl", "en")

# Parts never transliterated: placeholders, tags, entities, URLs, e-mail addresses, words with
# letters Serbian does not use (foreign names), and all-caps acronyms kept as written.
PROTECT = re.compile(
    r"(%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]+>|&[a-z]+;|https?://\S+|\S+@\S+"
    r"|\b[\w-]*[qwxyQWXY][\w-]*\b|\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b|\bPDF\b|\bCSV\b|\bXLSX\b|\bAPI\b|\bQR\b|\bOTP\b|\bHTML\b|\bURL\b|\bJMBG\b"
    # file and column names, formats, protocol words and examples that stay as typed
    r"|--as\b|\.csv\b|\.ya?ml\b|\bmemberships\[\]\.role\b|\bsmederevska-palanka\b"
    r"|\b(?:ASCII|UTF-8|Aegis|Google|Authenticator|LAZ|NIS|email|first_name|last_name|size_class|role|institution_id"
    r"|institutions?|municipality|admins?|caseworker|PNG|JPEG|GIF|TIFF|ETag|If-Match|GET|incoming|Djordjevic|Đorđević)\b"
    r"|\bcase-\d+-\d+\b)"
)

# Unit abbreviations whose Cyrillic form is not their letter-by-letter transliteration: the hour is
# "h" in Latin (the SI symbol) but "ч" (час) in Cyrillic, never "х". Only a standalone word matches.
UNITS = {"h": "ч"}
_UNIT_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, UNITS)) + r")(?![\w-])")


def _segment(text: str) -> str:
    out = []
    pos = 0
    for match in _UNIT_RE.finditer(text):
        out.append(to_cyrillic(text[pos : match.start()]))
        out.append(UNITS[match.group(1)])
        pos = match.end()
    out.append(to_cyrillic(text[pos:]))
    return "".join(out)


def latin_to_cyrillic(text: str) -> str:
    """Serbian Latin to Cyrillic, leaving protected parts untouched and writing units the Cyrillic way."""
    out = []
    pos = 0
    for match in PROTECT.finditer(text):
        out.append(_segment(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_segment(text[pos:]))
    return "".join(out)


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def extract() -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.dev")
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location",
            "--ignore", ".venv/*", "--ignore", "var/*", "--ignore", "tests/*", "--ignore", "scripts/*"]
    for lang in LANGS:
        args += ["-l", lang]
    subprocess.run(args, check=True, cwd=ROOT, env=env)


def fill() -> None:
    import polib

    latin = polib.pofile(str(_po("sr_Latn")))
    by_id = {(e.msgctxt, e.msgid): e for e in latin}
    cyr = polib.pofile(str(_po("sr_Cyrl")), wrapwidth=79)
    # gettext has no template for this locale name: give it Serbian's three plural forms.
    cyr.metadata["Language"] = "sr_Cyrl"
    cyr.metadata["Plural-Forms"] = latin.metadata["Plural-Forms"]
    cyr.metadata_is_fuzzy = False
    for entry in cyr:
        src = by_id.get((entry.msgctxt, entry.msgid))
        if src is None or not src.translated():
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {k: latin_to_cyrillic(v) for k, v in src.msgstr_plural.items()}
        else:
            entry.msgstr = latin_to_cyrillic(src.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    cyr.save()
    en = polib.pofile(str(_po("en")))
    for entry in en:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    en.save()


def normalise() -> None:
    """Wrap lines as gettext itself does (as makemessages writes them), so diffs stay small."""
    for lang in LANGS:
        po = _po(lang)
        subprocess.run(["msgcat", "-o", f"{po}.tmp", str(po)], check=True)
        os.replace(f"{po}.tmp", po)


def compile_all() -> None:
    for lang in LANGS:
        po = _po(lang)
        subprocess.run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


def check() -> int:
    problems = []
    for lang in LANGS:
        po = _po(lang)
        if not po.exists():
            problems.append(f"{po} is missing")
            continue
        stats = subprocess.run(
            ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True, text=True,
        )
        if stats.returncode or "untranslated" in stats.stderr or "fuzzy" in stats.stderr:
            problems.append(f"{po}: {stats.stderr.strip()}")
        with tempfile.NamedTemporaryFile(suffix=".mo") as tmp:
            subprocess.run(["msgfmt", "-o", tmp.name, str(po)], check=True)
            if Path(tmp.name).read_bytes() != po.with_suffix(".mo").read_bytes():
                problems.append(f"{po.with_suffix('.mo')} is out of date: run `make messages`")
    for p in problems:
        print(p)
    return 1 if problems else 0


def main() -> int:
    if "--check" in sys.argv:
        return check()
    extract()
    fill()
    normalise()
    compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
