"""Proposed case forms of a municipality's name, for institution names such as "Osnovni sud u Nišu".

Serbian declines place names; the rules below cover the usual shapes (Niš, Kragujevac,
Loznica, Smederevska Palanka, Kraljevo, Novi Sad, Gornji Milanovac). They are proposals the
admin confirms or corrects once; irregular names (Šabac -> u Šapcu, Lučani -> u Lučanima) are
written by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

from apps.core.text import to_cyrillic

LOCATIVE, GENITIVE = "loc", "gen"

# Palatal consonants: a masculine adjective ending after them takes -em/-eg (Gornji -> Gornjem).
_PALATAL = ("j", "č", "ć", "š", "ž", "đ")
# Sibilarisation before the locative -i of feminine nouns: Palanka -> Palanci, Banja stays.
_SIBILANT = {"k": "c", "g": "z", "h": "s"}


@dataclass(frozen=True)
class NameForms:
    """A municipality's name in the cases institution names need, in both scripts."""

    name: str
    name_cyrl: str
    locative: str
    locative_cyrl: str
    genitive: str
    genitive_cyrl: str

    def pattern_values(self, cyrillic: bool) -> dict[str, str]:
        """Values for the placeholders of the standard institution names."""
        if cyrillic:
            return {"name": self.name_cyrl, "loc": self.locative_cyrl, "gen": self.genitive_cyrl}
        return {"name": self.name, "loc": self.locative, "gen": self.genitive}


def _noun(word: str, case: str) -> str:
    lower = word.lower()
    if lower.endswith("a"):  # feminine: Loznica, Zvezdara, Ćuprija, Palanka
        stem = word[:-1]
        if case == GENITIVE:
            return stem + "e"
        if stem[-1:].lower() in _SIBILANT:
            stem = stem[:-1] + _SIBILANT[stem[-1].lower()]
        return stem + "i"
    if lower.endswith(("o", "e")):  # neuter: Kraljevo, Užice, Vranje
        return word[:-1] + ("a" if case == GENITIVE else "u")
    if lower.endswith("i"):  # plural (Lučani, Karlovci): irregular, left for the admin
        return word
    stem = word
    if len(word) > 3 and lower.endswith(("ac", "ak")):  # the fleeting a: Kragujevac -> Kragujevcu
        stem = word[:-2] + word[-1]
    return stem + ("a" if case == GENITIVE else "u")


def _adjective(word: str, case: str) -> str:
    lower = word.lower()
    if lower.endswith("a"):  # Smederevska, Velika, Bela
        return word[:-1] + ("e" if case == GENITIVE else "oj")
    if lower.endswith(("i", "o", "e")):  # Novi, Gornji, Savski; Novo
        stem = word[:-1]
        soft = stem.lower().endswith(_PALATAL)
        if case == GENITIVE:
            return stem + ("eg" if soft else "og")
        return stem + ("em" if soft else "om")
    return word


def decline(name: str, case: str) -> str:
    """A proposal for ``name`` (Latin script) in the locative or the genitive; a part in brackets
    ("Niš (grad)") is kept as written."""
    head, bracket, tail = name.partition("(")
    words = head.split()
    if not words:
        return name.strip()
    declined = " ".join([_adjective(w, case) for w in words[:-1]] + [_noun(words[-1], case)])
    return f"{declined} {bracket}{tail}".strip() if bracket else declined


def propose_forms(
    *, name: str, name_cyrl: str = "", locative: str = "", locative_cyrl: str = "", genitive: str = "",
    genitive_cyrl: str = "",
) -> NameForms:
    """The forms as given, each missing one proposed (Latin from the name, Cyrillic from the Latin)."""
    name = name.strip()
    locative = locative.strip() or decline(name, LOCATIVE)
    genitive = genitive.strip() or decline(name, GENITIVE)
    return NameForms(
        name=name,
        name_cyrl=name_cyrl.strip() or to_cyrillic(name),
        locative=locative,
        locative_cyrl=locative_cyrl.strip() or to_cyrillic(locative),
        genitive=genitive,
        genitive_cyrl=genitive_cyrl.strip() or to_cyrillic(genitive),
    )
