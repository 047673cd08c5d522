"""Serbian text in two scripts: script- and diacritics-insensitive keys ('Đorđević' = 'Djordjevic' =
'Ђорђевић') and Latin-to-Cyrillic transliteration."""
from __future__ import annotations

import re
import unicodedata

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s",
}
_LAT_SPECIAL = {"đ": "dj", "ž": "z", "č": "c", "ć": "c", "š": "s", "dž": "dz"}
_SPACES = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """Lower-case ASCII key: Cyrillic transliterated, diacritics folded, punctuation as single spaces."""
    if not text:
        return ""
    s = text.lower()
    s = "".join(_CYR_TO_LAT.get(ch, ch) for ch in s)
    for src, dst in _LAT_SPECIAL.items():
        s = s.replace(src, dst)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _SPACES.sub(" ", s).strip()


_DIGRAPHS = {"Lj": "Љ", "LJ": "Љ", "lj": "љ", "Nj": "Њ", "NJ": "Њ", "nj": "њ", "Dž": "Џ", "DŽ": "Џ", "dž": "џ"}
_LAT_TO_CYR = dict(
    zip(
        "ABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠabvgdđežzijklmnoprstćufhcčš",
        "АБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШабвгдђежзијклмнопрстћуфхцчш",
        strict=True,
    )
)


def to_cyrillic(text: str) -> str:
    """Serbian Latin to Cyrillic, letter by letter (the digraphs lj, nj, dž first); anything else kept."""
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _DIGRAPHS:
            out.append(_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LAT_TO_CYR.get(text[i], text[i]))
        i += 1
    return "".join(out)
