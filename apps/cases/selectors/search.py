"""Case search by case number and by person name, insensitive to script and diacritics
(Đorđević = Djordjevic = Ђорђевић = DJORDJEVIC), over the cases the user may see only."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db import connections
from django.db.models import Exists, OuterRef, Q

from apps.core.audit import audit_many
from apps.core.choices import AuditAction
from apps.core.text import search_key

from ..models import Case, CasePerson
from ..querysets import granted_case_ids, has_case_grants
from .lists import violence_forms, with_list_data

MAX_RESULTS = 50
MIN_NAME_LENGTH = 2
TRIGRAM_MIN_LENGTH = 4
_NUMBER_CHARS = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass
class SearchResult:
    """A case found, and whether it matched by its number or by a person's name."""

    case: Case
    matched_on: str  # "number" or "person"


@lru_cache(maxsize=1)
def _trigram_installed(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def trigram_available() -> bool:
    """Whether pg_trgm is installed (always in production and CI; the embedded development
    server lacks it, and name search then matches word beginnings only)."""
    return _trigram_installed("default")


def _person_condition(key: str) -> Q | None:
    """Every word of the query matches a word of the name (any order): as its beginning, or, for
    words of four letters or more, as a similar word (a typo or a letter written differently:
    trigram word similarity, which the name key's trigram index serves)."""
    tokens = [t for t in key.split() if t]
    if not tokens or len(key.replace(" ", "")) < MIN_NAME_LENGTH:
        return None
    condition = Q()
    for token in tokens:
        if len(token) >= TRIGRAM_MIN_LENGTH and trigram_available():
            # A word beginning with a token of n >= 4 letters shares all but the token's last trigram
            # with it: word similarity n/(n+1) >= 0.8, above pg_trgm's threshold (0.6). The similarity
            # alone finds the prefixes too, with one scan of the name index instead of two.
            condition &= Q(name_key__trigram_word_similar=token)
        else:
            # search_key only yields [a-z0-9 ], so the token is safe inside a regular expression.
            condition &= Q(name_key__regex=rf"(^| ){token}")
    return condition


# Cases shared with one person are few; up to this many, their ids are read first (one short query on
# the grant indexes) so that the name condition is checked on their persons only. Left as a subquery,
# PostgreSQL read every matching person of the country through the name index first (about 80 ms for
# a common first name at national scale).
SHARED_IDS_FIRST = 2000


def _visible_branches(user) -> list:
    """The scoped list and the shared-with-me branch, kept apart (never OR-ed together); no shared
    branch for a user without case grants."""
    branches = [Case.objects.listed_for(user)]
    access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
    if access is None or not has_case_grants(access):
        return branches
    shared = [row["content_object_id"] for row in granted_case_ids(access)[: SHARED_IDS_FIRST + 1]]
    if len(shared) > SHARED_IDS_FIRST:
        branches.append(Case.objects.shared_with(user))
    elif shared:
        branches.append(Case.objects.filter(pk__in=shared))
    return branches


def case_search(user, q: str, *, limit: int = MAX_RESULTS, fields: tuple[str, ...] | None = None,
                forms: bool = True) -> list[SearchResult]:
    """Cases the user may see whose number starts with ``q`` or whose persons' names match ``q``.

    Number matches come first, then name matches, newest reported first. Persons of cases the
    user may not see are never consulted: the person condition runs inside each visible branch.
    The cases returned are audited as read (the query itself is not written anywhere). ``fields``
    and ``forms`` narrow what is loaded of each case, as in lists.with_list_data.
    """
    q = (q or "").strip()
    if not q:
        return []
    limit = max(1, min(int(limit), MAX_RESULTS))
    number_q = None
    if _NUMBER_CHARS.match(q) and (any(ch.isdigit() for ch in q) or "-" in q):
        number_q = Q(number__iexact=q) | Q(number__istartswith=q)
    person_q = _person_condition(search_key(q))
    if number_q is None and person_q is None:
        return []

    found: dict[int, SearchResult] = {}
    ordered: list[SearchResult] = []
    for matched_on, condition in (("number", number_q), ("person", person_q)):
        if condition is None:
            continue
        for branch in _visible_branches(user):
            if matched_on == "person":
                branch = branch.filter(Exists(CasePerson.objects.filter(condition, case_id=OuterRef("pk"))))
            else:
                branch = branch.filter(condition)
            for case in with_list_data(branch.order_by("-reported_at", "-id"), fields=fields, forms=forms)[:limit]:
                if case.pk not in found:
                    if forms:
                        case.violence_forms = violence_forms(case)
                    found[case.pk] = SearchResult(case=case, matched_on=matched_on)
                    ordered.append(found[case.pk])
    number_hits = [r for r in ordered if r.matched_on == "number"]
    person_hits = sorted(
        (r for r in ordered if r.matched_on == "person"), key=lambda r: (r.case.reported_at, r.case.pk), reverse=True
    )
    results = (number_hits + person_hits)[:limit]
    if results:
        audit_many(action=AuditAction.VIEW, objects=[r.case for r in results], actor=user, details={"view": "search"})
    return results
