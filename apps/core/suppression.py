"""Small-number protection: the ONE implementation of cell suppression every figure shown to someone who
may not open the cases behind it goes through (questionnaire results, dashboards, reports, exports,
the API, PDFs).

Two entry points:
- ``suppress(counts)``: one row of cells with a shown total (a question's answers). Cells under
  ``MIN_CELL`` (zero included) are hidden; more cells are hidden, smallest first, until at least two
  are hidden and they hold at least ``MIN_CELL`` together.
- ``protect(values, relations)``: linked tables. ``values`` maps any hashable key to a count;
  ``relations`` lists the additive facts a reader knows (``total = sum(parts)``: a column total, a
  quarter as the sum of its months, a municipality as the sum of its institutions). Cells under
  ``MIN_CELL`` are hidden as *primary* (shown "< 5"); then, as long as someone who knows every shown
  cell, every relation, that a primary cell lies in 0-4 and that a complementary one is 5 or more
  could pin a hidden cell to one value (``attack``), the smallest shown cell of a relation holding it
  is hidden as *complementary* (shown "c"). The attacker is the one a test runs against every output.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

MIN_CELL = 5
HIDDEN = "< 5"
COMPLEMENT = "c"

PRIMARY, SECONDARY, SHOWN = "p", "c", ""

Relation = tuple[Hashable, tuple[Hashable, ...]]


def suppress(counts: dict[str, int]) -> dict[str, int | None]:
    """The cells to show of one row with a shown total: primary (< MIN_CELL) and complementary
    suppression (None: hidden). The total minus the shown cells then never pins a hidden cell down."""
    shown: dict[str, int | None] = {k: (v if v >= MIN_CELL else None) for k, v in counts.items()}
    while True:
        hidden = [k for k, v in shown.items() if v is None]
        if not hidden:
            return shown
        rest = sorted((v, k) for k, v in shown.items() if v is not None)
        if not rest or (len(hidden) >= 2 and sum(counts[k] for k in hidden) >= MIN_CELL):
            return shown
        shown[rest[0][1]] = None


def attack(shown: dict[Hashable, int | None], states: dict[Hashable, str], relations: Iterable[Relation],
           *, ceiling: int | None = None) -> dict[Hashable, tuple[int, int]]:
    """The bounds a reader can work out for each hidden cell (``shown[key] is None``) from the shown
    cells and the relations, by propagating interval bounds to a fixed point. A primary cell starts at
    0-4, a complementary one at MIN_CELL up to ``ceiling`` (default: the sum of the shown cells, which
    bounds every count of the table)."""
    relations = list(relations)
    top = ceiling if ceiling is not None else max(sum(v for v in shown.values() if v is not None), MIN_CELL)
    lo: dict[Hashable, int] = {}
    hi: dict[Hashable, int] = {}
    for key, value in shown.items():
        if value is None:
            if states.get(key) == PRIMARY:
                lo[key], hi[key] = 0, MIN_CELL - 1
            else:
                lo[key], hi[key] = MIN_CELL, max(top, MIN_CELL)
        else:
            lo[key] = hi[key] = value
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for index, (total, parts) in enumerate(relations):
        for key in (total, *parts):
            by_key[key].append(index)
    queue = set(range(len(relations)))
    rounds = 0
    while queue and rounds < 100_000:
        rounds += 1
        index = queue.pop()
        total, parts = relations[index]
        changed = []
        low_sum = sum(lo[p] for p in parts)
        high_sum = sum(hi[p] for p in parts)
        # total = sum(parts)
        new_lo, new_hi = max(lo[total], low_sum), min(hi[total], high_sum)
        if (new_lo, new_hi) != (lo[total], hi[total]):
            lo[total], hi[total] = new_lo, new_hi
            changed.append(total)
        for part in parts:
            others_lo = low_sum - lo[part]
            others_hi = high_sum - hi[part]
            p_lo, p_hi = max(lo[part], lo[total] - others_hi), min(hi[part], hi[total] - others_lo)
            if (p_lo, p_hi) != (lo[part], hi[part]):
                low_sum += p_lo - lo[part]
                high_sum += p_hi - hi[part]
                lo[part], hi[part] = p_lo, p_hi
                changed.append(part)
        for key in changed:
            queue.update(by_key[key])
    return {key: (lo[key], hi[key]) for key, value in shown.items() if value is None}


def protect(values: dict[Hashable, int], relations: Iterable[Relation]) -> dict[Hashable, str]:
    """The state of every cell: ``PRIMARY`` (under MIN_CELL), ``SECONDARY`` (hidden so that no hidden
    cell can be worked out) or ``SHOWN``."""
    relations = [(total, tuple(parts)) for total, parts in relations if parts]
    states = {key: (PRIMARY if value < MIN_CELL else SHOWN) for key, value in values.items()}
    if not any(states.values()):
        return states
    members: dict[Hashable, list[int]] = defaultdict(list)
    for index, (total, parts) in enumerate(relations):
        for key in (total, *parts):
            members[key].append(index)
    ceiling = max([*values.values(), MIN_CELL])
    while True:
        shown = {key: (None if states[key] else values[key]) for key in values}
        bounds = attack(shown, states, relations, ceiling=ceiling)
        pinned = sorted((key for key, (low, high) in bounds.items() if low >= high), key=repr)
        if not pinned:
            return states
        progressed = False
        touched: set[int] = set()
        for key in pinned:
            if touched.intersection(members[key]):
                continue  # a neighbour was hidden this round; look again before hiding more
            candidates = []
            for index in members[key]:
                total, parts = relations[index]
                candidates.extend(k for k in (total, *parts) if not states[k])
            if candidates:
                choice = min(candidates, key=lambda k: (values[k], repr(k)))
                states[choice] = SECONDARY
                touched.update(members[key])
                touched.update(members[choice])
                progressed = True
        if not progressed:
            # Every cell related to a pinned one is hidden already (only in very small tables): nothing
            # more to hide that would help.
            return states


def display(value: int | None, state: str) -> str:
    """How a cell reads: the count, "< 5" or "c"."""
    if state == PRIMARY:
        return HIDDEN
    if state == SECONDARY:
        return COMPLEMENT
    return "" if value is None else str(value)
