"""The linked-table protection (apps/core/suppression.py): on random tables, no hidden cell can be
worked out from the shown cells and the relations; the row rule of the questionnaires is unchanged."""
from __future__ import annotations

import random

import pytest

from apps.core.suppression import MIN_CELL, PRIMARY, attack, protect, suppress


def grid(rng, rows, cols):
    """A table with row totals, column totals and a grand total, as keys and relations."""
    values = {(r, c): rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30]) for r in range(rows) for c in range(cols)}
    for r in range(rows):
        values[(r, "T")] = sum(values[(r, c)] for c in range(cols))
    for c in [*range(cols), "T"]:
        values[("T", c)] = sum(values[(r, c)] for r in range(rows))
    relations = [((r, "T"), tuple((r, c) for c in range(cols))) for r in [*range(rows), "T"]]
    relations += [(("T", c), tuple((r, c) for r in range(rows))) for c in [*range(cols), "T"]]
    return values, relations


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_cell_can_be_worked_out(seed):
    rng = random.Random(seed)
    values, relations = grid(rng, rng.randint(1, 5), rng.randint(1, 6))
    states = protect(values, relations)
    shown = {k: (None if states[k] else v) for k, v in values.items()}
    assert all(states[k] == PRIMARY for k, v in values.items() if v < MIN_CELL)
    for key, (low, high) in attack(shown, states, relations, ceiling=max(values.values())).items():
        assert low < high, f"{key} pinned to {low}"
        assert low <= values[key] <= high


def test_one_row_rule():
    assert suppress({"a": 3, "b": 10, "c": 20}) == {"a": None, "b": None, "c": 20}
    assert suppress({"a": 7, "b": 10}) == {"a": 7, "b": 10}
