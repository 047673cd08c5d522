"""Script- and diacritics-insensitive text keys: 'Đorđević' = 'Djordjevic' = 'Ђорђевић'."""
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
