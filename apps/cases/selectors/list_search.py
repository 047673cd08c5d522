"""Search results narrowed by the tab and the filters: the one answer the list page, the export and
the API give to a search (``q``) on the case list."""
from __future__ import annotations

from ..models import Case
from .list_sql import in_tab
from .lists import case_queryset, effective_scope
from .search import case_search


def search_in_tab(user, q: str, *, scope: str, fields: tuple[str, ...] | None = None, forms: bool = True,
                  **filters) -> list[Case]:
    """The cases ``case_search`` finds for ``q`` (at most 50, best matches first) that the tab
    ``scope`` lists with ``filters``; ``fields``/``forms`` narrow what is loaded (as in case_search).
    Bad filters are a ValidationError naming them, also when the search finds nothing."""
    scope = effective_scope(user, scope)
    results = case_search(user, q, fields=fields, forms=forms)
    ids = [r.case.pk for r in results]
    allowed = in_tab(user, scope=scope, ids=ids, **filters)
    if allowed is None:  # a tab the fast statement does not cover ("shared"): the reference rule
        allowed = set(case_queryset(user, scope=scope, **filters).filter(pk__in=ids).values_list("pk", flat=True))
    return [r.case for r in results if r.case.pk in allowed]
