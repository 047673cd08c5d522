"""Access rules written once, as SQL fragments, and read by the ORM and by hand-written statements alike.

A rule is a function returning a fragment, ``(sql, params)``, over a table alias (or None: the rule
admits no row). The hand-written fast statements compose fragments by name; querysets filter by
``rule(build)``, an expression that compiles to the very same text over the alias the ORM gives the
table. So each rule has one definition and the planner sees the same predicate from both sides
(inlined, index-friendly: no opaque function).

``fixed=True`` renders a rule whose text does not depend on its values (arrays, every branch present)
for prepared statements (apps/core/fixed_sql.py); otherwise one value is an equality and branches with
no values are left out, as the ORM would write them, so PostgreSQL plans with the values.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.apps import apps
from django.db.models import BooleanField, Expression, Q

Fragment = tuple[str, list]


def table(label: str) -> str:
    """The table of a model, by its label ("cases.Case"): rule modules never import models (cycle:
    models -> querysets -> rules)."""
    return apps.get_model(label)._meta.db_table


def in_(column: str, values: Iterable, *, fixed: bool = False, cast: str = "bigint") -> Fragment:
    """``column IN values`` as the ORM writes it: one value is an equality (PostgreSQL then walks a
    (column, ...) index in order); several, or any number in a fixed statement, ``= ANY`` of an array."""
    values = sorted(values)
    if len(values) == 1 and not fixed:
        return f"{column} = %s", values
    return f"{column} = ANY(%s::{cast}[])", [values]


def any_of(*parts: Fragment | None) -> Fragment | None:
    """OR of the fragments given (None ones left out); None when none is left."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return f"({parts[0][0]})", list(parts[0][1])
    return "(" + " OR ".join(f"({text})" for text, _ in parts) + ")", [p for _, params in parts for p in params]


def all_of(*parts: Fragment | None) -> Fragment | None:
    """AND of the fragments (None when any is None: that part admits nothing)."""
    if any(p is None for p in parts):
        return None
    return "(" + " AND ".join(f"({text})" for text, _ in parts) + ")", [p for _, params in parts for p in params]


class RuleSQL(Expression):
    """A rule fragment as an ORM condition over the alias of the queryset's own table."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, build: Callable[[str], Fragment]):
        super().__init__(output_field=BooleanField())
        self.build = build

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        sql, params = self.build(alias)
        # Parenthesised: a fragment may be an OR, and Django joins conditions with a bare AND.
        return f"({sql})", tuple(params)

    def get_group_by_cols(self):
        return []

    @property
    def identity(self):
        return (type(self), id(self.build))


def rule(build: Callable[[str], Fragment | None]) -> Q | None:
    """A rule as a Q for ``filter()`` (None when it admits nothing); ``build(alias)`` gives the
    fragment, so the queryset's SQL holds the rule's own text."""
    if build("t") is None:
        return None
    return Q(RuleSQL(build))
