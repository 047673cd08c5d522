"""Amounts in RSD as the reader's locale writes them (500.000,35), formatted once per page setup:
the separators are read once, each amount is an exact Decimal formatted with two decimals."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.formats import get_format


def money_formatter() -> Callable[[Decimal], str]:
    """A function writing an amount with the active language's separators and two decimals."""
    table = str.maketrans({",": get_format("THOUSAND_SEPARATOR"), ".": get_format("DECIMAL_SEPARATOR")})
    return lambda value: f"{value:,.2f}".translate(table)
