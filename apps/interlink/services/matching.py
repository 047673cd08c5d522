"""Finding the candidate cases of a record among the cases the machine account may reach.

Only cases its institution takes part in count (the same ``visible_to`` as for a person of that
institution): a person known from a case the institution may not see is not a candidate; the case the
record opens then carries the cases app's own repeat flag, which those who may see both cases see.
"""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from apps.cases.choices import CaseStatus, PersonRole
from apps.cases.models import CasePerson
from apps.core.crypto import keyed_hash
from apps.core.text import search_key

from ..matching import CaseScore, person_score

# A case closed longer than this before the event is history: the record is a new case (a repeat).
CLOSED_CASE_WINDOW = timedelta(days=30)
MATCHED_PERSON_AT = 0.8  # a person of the record counts as already on the case from this score


def _moment(record: dict):
    if "incident" in record:
        return record["incident"].get("occurred_at")
    return record.get("occurred_at")


def candidates_for(user, municipality_id: int, record: dict) -> list[CaseScore]:
    """Every reachable case holding a person like the record's victim or perpetrator, scored."""
    persons = [p for p in record.get("persons") or [] if p.get("role") in (PersonRole.VICTIM, PersonRole.PERPETRATOR)]
    if not persons:
        return []
    condition = Q()
    for person in persons:
        if person.get("jmbg"):
            condition |= Q(jmbg_hash=keyed_hash(person["jmbg"]))
        key = search_key(f"{person['first_name']} {person['last_name']}")
        if key:
            condition |= Q(name_key__trigram_similar=key)
    rows = list(
        CasePerson.objects.visible_to(user, "view")
        .filter(condition, municipality_id=municipality_id, role__in=[PersonRole.VICTIM, PersonRole.PERPETRATOR])
        .select_related("case")[:200]
    )
    moment = _moment(record)
    by_case: dict[int, list] = {}
    for row in rows:
        case = row.case
        if case.status == CaseStatus.CLOSED and (
            moment is None or case.closed_at is None or case.closed_at < moment - CLOSED_CASE_WINDOW
        ):
            continue
        by_case.setdefault(case.pk, []).append(row)
    scores = []
    for case_id, case_persons in by_case.items():
        parts, matched, total = {}, {}, 0.0
        for person in persons:
            best, best_row = None, None
            for row in case_persons:
                if row.role != person["role"]:
                    continue
                scored = person_score(person, row)
                if best is None or scored.score > best.score:
                    best, best_row = scored, row
            value = best.score if best else 0.0
            total += value
            parts[person["role"]] = {"score": value, **(best.parts if best else {})}
            if best is not None and value >= MATCHED_PERSON_AT:
                matched[str(index_of(record, person))] = best_row.pk
        scores.append(CaseScore(case_id=case_id, score=round(total / len(persons), 3), parts=parts, matched=matched))
    return scores


def index_of(record: dict, person: dict) -> int:
    """The person's position in the record (the matched map names persons by it)."""
    for index, candidate in enumerate(record.get("persons") or []):
        if candidate is person:
            return index
    return -1
