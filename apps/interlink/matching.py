"""Scoring how well a person sent by another system matches a person on a case, and a case the record.

JMBG decides where both sides have one. Otherwise the name counts across scripts and diacritics (the
platform's one search key: 'Ђорђевић' = 'Đorđević' = 'Djordjevic'), with spelling variants by
similarity, then the date of birth and the address. The weights and thresholds are stated here and in
the README with the precision and recall they give on a generated set with known truth.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from apps.core.crypto import keyed_hash
from apps.core.text import search_key

JOIN_AT = 0.85  # at or above: the record joins the case by itself
REVIEW_AT = 0.60  # from here up to JOIN_AT: a person decides; below: a new case
AMBIGUOUS_MARGIN = 0.05  # two candidates this close at the top: a person decides
WEIGHTS = {"name": 0.55, "birth": 0.35, "address": 0.10}


def name_similarity(a: str, b: str) -> float:
    """0..1 over the script-free keys; first and last name in either order."""
    ka, kb = search_key(a), search_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    direct = SequenceMatcher(None, ka, kb).ratio()
    swapped = SequenceMatcher(None, " ".join(sorted(ka.split())), " ".join(sorted(kb.split()))).ratio()
    return max(direct, swapped)


def birth_similarity(a: date | None, b: date | None) -> float | None:
    """1 the same day; 0.5 the same year with day and month swapped or one digit off; 0 otherwise; None unknown."""
    if a is None or b is None:
        return None
    if a == b:
        return 1.0
    if a.year == b.year and (a.month, a.day) == (b.day, b.month):
        return 0.5
    if a.year == b.year and (a.month == b.month or a.day == b.day):
        return 0.5
    return 0.0


def address_similarity(a: str, b: str) -> float | None:
    ka, kb = search_key(a), search_key(b)
    if not ka or not kb:
        return None
    return SequenceMatcher(None, ka, kb).ratio()


@dataclass
class PersonScore:
    """The score of one candidate person and its parts (no names: only what decided)."""

    score: float
    parts: dict = field(default_factory=dict)


def person_score(incoming: dict, candidate) -> PersonScore:
    """``incoming``: a person of a record (names, birth_date, jmbg, address); ``candidate``: a CasePerson."""
    incoming_hash = keyed_hash(incoming.get("jmbg") or "") if incoming.get("jmbg") else ""
    if incoming_hash and candidate.jmbg_hash:
        same = incoming_hash == candidate.jmbg_hash
        return PersonScore(1.0 if same else 0.0, {"jmbg": "same" if same else "different"})
    name = name_similarity(f"{incoming.get('first_name', '')} {incoming.get('last_name', '')}",
                           f"{candidate.first_name} {candidate.last_name}")
    birth_date = incoming.get("birth_date")
    if isinstance(birth_date, str):
        birth_date = date.fromisoformat(birth_date) if birth_date else None
    birth = birth_similarity(birth_date, candidate.birth_date)
    address = address_similarity(incoming.get("address") or "", candidate.address or "")
    parts = {"name": round(name, 3)}
    total, weight = WEIGHTS["name"] * name, WEIGHTS["name"]
    if birth is not None:
        parts["birth"] = birth
        total, weight = total + WEIGHTS["birth"] * birth, weight + WEIGHTS["birth"]
    if address is not None:
        parts["address"] = round(address, 3)
        total, weight = total + WEIGHTS["address"] * address, weight + WEIGHTS["address"]
    score = total / weight
    if birth is None:
        score *= 0.8  # a name alone is never enough to join by itself
    if birth == 0.0:
        score = min(score, 0.5)  # a different date of birth is a different person
    return PersonScore(round(score, 3), parts)


@dataclass
class CaseScore:
    case_id: int
    score: float
    parts: dict
    matched: dict  # incoming person index -> case person id


def decide(scores: list[CaseScore]) -> tuple[str, CaseScore | None, str]:
    """("join" | "review" | "open", the best candidate, why)."""
    if not scores:
        return "open", None, "no_candidate"
    ranked = sorted(scores, key=lambda s: -s.score)
    best = ranked[0]
    if best.score >= JOIN_AT:
        if len(ranked) > 1 and ranked[1].score >= best.score - AMBIGUOUS_MARGIN:
            return "review", best, "ambiguous"
        return "join", best, "above_threshold"
    if best.score >= REVIEW_AT:
        return "review", best, "between_thresholds"
    return "open", best, "below_threshold"
