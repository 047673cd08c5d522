"""Isolation matrix entries of the retention pages: a proposal of municipality A (OWN) and one of
municipality B (OTHER). Only the coordinators of a municipality see and decide its proposals; no
other role, no platform admin and no coordinator of another municipality reaches them (404)."""
from __future__ import annotations

from datetime import date

from .matrix import CO, OTHER, OWN, PAGE, REDIRECT, Entry, e


def run_pk(w, scope):
    return {"pk": w.retention_run[scope].pk}


ENTRIES = [
    Entry("cases:retention", PAGE, e(default=200), note="a list: coordinators see their municipality's proposals, others none"),
    Entry("cases:retention_run", PAGE, e(default=404, **{CO: {OWN: 200}}), kwargs=run_pk, scopes=(OWN, OTHER)),
    Entry("cases:retention_run", PAGE, e(default=404, **{CO: {OWN: REDIRECT}}), method="POST", kwargs=run_pk,
          scopes=(OWN, OTHER), data=lambda w, scope: {"decision": "cancel", "version": "999"},
          note="a stale version: nothing is decided, the page says so"),
]


def build(w) -> None:
    from apps.cases.models import RetentionRun

    w.retention_run = {
        scope: RetentionRun.objects.create(municipality=w.municipality[scope], retention_years=10,
                                           cutoff=date(2016, 1, 1), case_ids=[])
        for scope in (OWN, OTHER)
    }
