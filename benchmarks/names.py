"""Name pools for generated persons: common first names and obviously generated surnames (a root,
an infix and a suffix: "Đorđević", "Petranski"...), each in Latin and Cyrillic with its search key."""
from __future__ import annotations

from apps.core.text import search_key, to_cyrillic

FEMALE = [
    "Jelena", "Marija", "Ana", "Milica", "Ivana", "Snežana", "Dragana", "Jovana", "Tijana", "Svetlana",
    "Gordana", "Vesna", "Maja", "Nataša", "Biljana", "Danijela", "Ljiljana", "Mirjana", "Zorica", "Tamara",
    "Nevena", "Katarina", "Sanja", "Jasmina", "Branka", "Đurđa", "Željka", "Slađana", "Nada", "Teodora",
]
MALE = [
    "Marko", "Nikola", "Stefan", "Miloš", "Dragan", "Zoran", "Goran", "Dejan", "Nenad", "Milan",
    "Aleksandar", "Ivan", "Vladimir", "Srđan", "Predrag", "Bojan", "Dušan", "Željko", "Saša", "Miroslav",
    "Slobodan", "Đorđe", "Nemanja", "Uroš", "Vuk", "Luka", "Petar", "Branislav", "Živko", "Radovan",
]
_ROOTS = [
    "Đorđ", "Petr", "Jovan", "Nikol", "Stojan", "Marink", "Pavl", "Stank", "Živk", "Lazar",
    "Mil", "Radovan", "Kost", "Tomaš", "Vasilj", "Đurđ", "Čol", "Ćir", "Šarč", "Žark",
    "Bogdan", "Vuk", "Rist", "Dragut", "Luk", "Simon", "Mark", "Andrij", "Bošk", "Ljub",
    "Njeg", "Dž", "Gaj", "Filip", "Trif", "Savk", "Obrad", "Ilij", "Matej", "Cvetk",
]
_INFIXES = ["", "ov", "an", "ar", "in"]
_SUFFIXES = ["ević", "ić", "ski"]

def surnames() -> list[str]:
    """The generated surnames (600), in a fixed order."""
    return [f"{root}{infix}{suffix}" for root in _ROOTS for infix in _INFIXES for suffix in _SUFFIXES]


def pool(names: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(Latin, Cyrillic, search key) lists for a list of names."""
    return list(names), [to_cyrillic(n) for n in names], [search_key(n) for n in names]
