"""The summary tables: each municipality's year computed from the case tables once (not per page view),
protected for readers who may not open the cases, and stored; the national summary from them."""
from __future__ import annotations

import time
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from apps.core.suppression import protect
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from ..indicators import UNITS, Unit
from ..models import Figure, FigureRefresh, NationalFigure
from ..periods import PERIODS, YEAR, quarter_of, time_relations, year_bounds

Key = tuple[str, str, str, int]  # unit, category, period, institution (0: the municipality)


def compute(municipality_id: int, year: int, *, now=None) -> dict[Key, int]:
    """Every non-zero count of the municipality's year: months from the statements of
    apps/reports/indicators.py, then quarters and the year as their sums."""
    start, end = year_bounds(year)
    params = {"m": municipality_id, "start": start, "end": end, "now": now or timezone.now()}
    values: dict[Key, int] = defaultdict(int)
    with connection.cursor() as cursor:
        for unit in UNITS.values():
            cursor.execute(unit.sql, params)
            for institution_id, category, month, count in cursor.fetchall():
                period = f"{int(month):02d}"
                places = (0,) if not unit.by_institution else (0, int(institution_id))
                for place in places:
                    for p in (period, quarter_of(period), YEAR):
                        values[(unit.key, category or "", p, place)] += count
    return dict(values)


def relations_of(unit: Unit, institutions: list[int]) -> tuple[list[Key], list]:
    """The cells of a unit and the additive facts a reader of them knows."""
    places = [0, *institutions] if unit.by_institution else [0]
    categories = ([""] if unit.total else []) + [key for key, _label in unit.categories]
    keys = [(unit.key, c, p, place) for place in places for c in categories for p in PERIODS]
    relations = []
    for place in places:
        for c in categories:
            relations.extend(time_relations(lambda p, c=c, place=place: (unit.key, c, p, place)))
        if unit.total:
            for partition in unit.partitions:
                for p in PERIODS:
                    relations.append(((unit.key, "", p, place), tuple((unit.key, k, p, place) for k, _l in partition)))
    if unit.by_institution and institutions:
        for c in categories:
            for p in PERIODS:
                relations.append(((unit.key, c, p, 0), tuple((unit.key, c, p, i) for i in institutions)))
    return keys, relations


def protected_states(values: dict[Key, int], institutions: list[int]) -> dict[Key, str]:
    """The small-number state of every cell of the sensitive units (zeros included)."""
    states: dict[Key, str] = {}
    for unit in UNITS.values():
        if not unit.sensitive:
            continue
        keys, relations = relations_of(unit, institutions)
        states.update(protect({k: values.get(k, 0) for k in keys}, relations))
    return states


@transaction.atomic
def refresh(*, municipality_id: int, year: int, now=None) -> FigureRefresh:
    """Summarise one municipality's year again (replaces its rows; a few hundred statements' worth of
    work done once, so that a page view reads a few hundred rows)."""
    started = time.perf_counter()
    values = compute(municipality_id, year, now=now)
    institutions = sorted(Institution.objects.filter(municipality_id=municipality_id).values_list("pk", flat=True))
    states = protected_states(values, institutions)
    Figure.objects.filter(municipality_id=municipality_id, year=year).delete()
    Figure.objects.bulk_create([
        Figure(municipality_id=municipality_id, year=year, unit=u, category=c, period=p, institution_id=i,
               value=v, state=states.get((u, c, p, i), ""))
        for (u, c, p, i), v in values.items() if v
    ], batch_size=2000)
    stamp, _created = FigureRefresh.objects.update_or_create(
        municipality_id=municipality_id, year=year,
        defaults={"refreshed_at": timezone.now(), "cells": len(values), "seconds": time.perf_counter() - started})
    return stamp


@transaction.atomic
def refresh_national(*, year: int) -> int:
    """The national summary of a year from the municipalities' summaries: all municipalities together
    by unit, category and period, and each municipality's totals for the comparison, protected together
    (a municipality's cell, the other municipalities' cells and the national total are linked)."""
    rows = Figure.objects.filter(year=year, institution_id=0).values_list(
        "municipality_id", "unit", "category", "period", "value")
    values: dict[tuple, int] = defaultdict(int)
    for municipality_id, unit, category, period, value in rows:
        values[(unit, category, period, 0)] += value
        if category == "" or not UNITS[unit].total:
            values[(unit, category, period, municipality_id)] += value
    places = sorted(set(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))
                    | {m for m, *_rest in rows})
    states: dict[tuple, str] = {}
    for unit in UNITS.values():
        if not unit.sensitive:
            continue
        categories = ([""] if unit.total else []) + [key for key, _label in unit.categories]
        keys = [(unit.key, c, p, 0) for c in categories for p in PERIODS]
        compared = [""] if unit.total else [key for key, _label in unit.categories]
        keys += [(unit.key, c, p, m) for m in places for c in compared for p in PERIODS]
        relations = []
        for c in categories:
            relations.extend(time_relations(lambda p, c=c, u=unit.key: (u, c, p, 0)))
        if unit.total:
            for partition in unit.partitions:
                for p in PERIODS:
                    relations.append(((unit.key, "", p, 0), tuple((unit.key, k, p, 0) for k, _l in partition)))
        for m in places:
            for c in compared:
                relations.extend(time_relations(lambda p, c=c, m=m, u=unit.key: (u, c, p, m)))
        for c in compared:
            for p in PERIODS:
                relations.append(((unit.key, c, p, 0), tuple((unit.key, c, p, m) for m in places)))
        states.update(protect({k: values.get(k, 0) for k in keys}, relations))
    NationalFigure.objects.filter(year=year).delete()
    NationalFigure.objects.bulk_create([
        NationalFigure(year=year, unit=u, category=c, period=p, place_id=m, value=v, state=states.get((u, c, p, m), ""))
        for (u, c, p, m), v in values.items() if v
    ], batch_size=2000)
    return len(values)
