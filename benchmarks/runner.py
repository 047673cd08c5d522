"""The benchmark: server-side time (median, p95) and SQL query count per page and role, against the
guardian baseline and the raw SQL floor, all in one run against one database.

Pages go through the whole Django stack (django.test.Client: URL routing, every middleware, the
session in Redis, the verified second factor, the view, template rendering and the audit writes
that every read of case data makes). Timed runs do not record SQL; the query count comes from one
extra run inside CaptureQueriesContext.
"""
from __future__ import annotations

import os
from functools import partial
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.cases.selectors import list_sql, lists
from apps.cases.selectors.search import case_search
from apps.conferences.services.agenda import agenda_prepare

from . import reports
from .measure import Measurement, machine, measure, ok, rolled_back, sql_floor
from .subjects import (
    LIST_PAGE_SIZE,
    api_client,
    dataset_size,
    guardian_case_list,
    guardian_queryset,
    pick_subjects,
    verified_client,
)

# --- the run ---------------------------------------------------------------------------------------------


def run(*, runs: int = 30, log=print) -> dict:
    """Measure everything once and return the results document."""

    started = timezone.now()
    info = {"machine": machine(), "dataset": dataset_size()}
    log(f"Data set: {info['dataset']}")
    log(f"Machine: {info['machine']['cpu_count']} CPUs, load {info['machine']['load_average_at_start']}")
    subjects = pick_subjects()
    s = subjects
    log(f"Municipality {s.municipality.name} (largest); caseworker user {s.caseworker.pk}, case {s.detail_case.pk}")
    results: dict[str, Measurement] = {}

    def add(m: Measurement) -> Measurement:
        results[m.name] = m
        log(f"  {m.name:<52} {m.role:<11} median {m.median_ms:8.2f} ms  p95 {m.p95_ms:8.2f} ms  queries {m.queries}")
        return m

    cw = verified_client(s.caseworker)
    co = verified_client(s.coordinator)
    off = verified_client(s.official)
    api = api_client(s.api_user)
    list_url = reverse("cases:list")

    def page(client, url):
        return lambda: ok(client.get(url))

    # Case lists: the caseworker's landing tab, the institution tab (the guardian baseline's set), a deep page.
    m = add(measure("caseworker case list (my cases, first page)", "caseworker", page(cw, f"{list_url}?scope=mine"), runs=runs))
    m.rows = len(lists.case_list(s.caseworker, scope="mine", audit=False).cases)
    inst = add(measure("caseworker case list (institution, first page)", "caseworker",
                       page(cw, f"{list_url}?scope=institution"), runs=runs))
    inst.rows = len(lists.case_list(s.caseworker, scope="institution", audit=False).cases)
    ordered = lists.case_queryset(s.caseworker, scope="institution").order_by("-reported_at", "-id")
    total = ordered.count()
    depth = min(10_000, max(0, (total // LIST_PAGE_SIZE - 1) * LIST_PAGE_SIZE))
    deep_case = ordered.only("id", "reported_at")[depth - 1] if depth else None
    deep_cursor = lists.encode_cursor(deep_case) if deep_case else None
    deep = add(measure(f"caseworker case list (institution, deep page at row {depth:,})", "caseworker",
                       page(cw, f"{list_url}?scope=institution&cursor={deep_cursor}"), runs=runs))
    deep.extra.update({"depth_rows": depth, "institution_cases": total})

    # The guardian baseline: the same page with its rows chosen by get_objects_for_user.
    # The page's rows come from selectors.list_sql.case_page (the row's columns, no forms of violence):
    # the baseline page loads the same.

    with mock.patch("apps.cases.views.case.case_page", partial(guardian_case_list, fields=list_sql.LIST_ONLY, forms=False)):
        baseline_page = add(measure("guardian baseline: caseworker case list (page)", "caseworker",
                                    page(cw, f"{list_url}?scope=institution"), runs=max(5, runs // 3)))
    real_ids = [c.pk for c in lists.case_list(s.caseworker, scope="institution", audit=False).cases]
    baseline_ids = [c.pk for c in guardian_case_list(s.caseworker, audit=False).cases]
    same_rows = real_ids == baseline_ids
    baseline_page.extra["same_rows_as_scoped_list"] = same_rows
    # The same two lists without the page around them (selector only: query, row data, audit).
    sel = add(measure("case list selector (scoped)", "caseworker",
                      lambda: lists.case_list(s.caseworker, scope="institution"), runs=runs))
    gsel = add(measure("guardian baseline: case list selector", "caseworker",
                       lambda: guardian_case_list(s.caseworker), runs=max(5, runs // 3)))
    # What the list page itself runs (selectors/list_sql.py: the row's columns, no forms), against the
    # guardian selector loading the same.

    psel = add(measure("list page statement and audit (scoped)", "caseworker",
                       lambda: list_sql.case_page(s.caseworker, scope="institution"), runs=runs))
    pgsel = add(measure("guardian baseline: list page rows and audit", "caseworker",
                        lambda: guardian_case_list(s.caseworker, fields=list_sql.LIST_ONLY, forms=False),
                        runs=max(5, runs // 3)))
    psel.extra["ratio_vs_guardian"] = round(pgsel.median_ms / psel.median_ms, 1)
    floor = add(sql_floor(lists.case_queryset(s.caseworker, scope="institution").order_by("-reported_at", "-id")[:LIST_PAGE_SIZE + 1],
                          runs=runs))
    gfloor = sql_floor(guardian_queryset(s.caseworker).order_by("-reported_at", "-id")[:LIST_PAGE_SIZE + 1], runs=max(5, runs // 3))
    gfloor.name = "guardian baseline: raw SQL floor"
    add(gfloor)
    inst.extra["ratio_vs_guardian"] = round(baseline_page.median_ms / inst.median_ms, 1)
    inst.extra["ratio_vs_sql_floor"] = round(inst.median_ms / floor.median_ms, 1)
    sel.extra["ratio_vs_guardian"] = round(gsel.median_ms / sel.median_ms, 1)
    floor.extra["ratio_vs_guardian_sql"] = round(gfloor.median_ms / floor.median_ms, 1)

    # Page size does not change the query count.
    counts = {}
    for size in (5, 50, 200):
        with CaptureQueriesContext(connection) as captured:
            lists.case_list(s.caseworker, scope="institution", page_size=size)
        counts[size] = len(captured.captured_queries)
    sel.extra["queries_by_page_size"] = counts

    # Coordinator: all cases of the municipality.
    coord = add(measure("coordinator case list (all cases, first page)", "coordinator", page(co, f"{list_url}?scope=all"), runs=runs))
    coord.rows = len(lists.case_list(s.coordinator, scope="all", audit=False).cases)

    # Case page with its timeline; and without the panels other apps register (conference panel),
    # to tell the case record's own cost from theirs.
    detail_url = reverse("cases:detail", args=[s.detail_case.pk])
    add(measure("case detail with timeline", "caseworker", page(cw, detail_url), runs=runs))
    with mock.patch("apps.cases.hooks.collect_case_panels", lambda request, case: []):
        add(measure("case detail with timeline (without registered panels)", "caseworker", page(cw, detail_url), runs=runs))

    # Name search across scripts: the same surname typed in Latin, Cyrillic and plain ASCII, and a full name.
    queries = ["Đorđević", "Ђорђевић", "djordjevic", "Jelena Petrović"]
    search_urls = []
    for q in queries:
        response = cw.post(f"{list_url}?scope=institution", {"q": q})
        search_urls.append(response["Location"])
    counter = {"i": 0}

    def search():
        url = search_urls[counter["i"] % len(search_urls)]
        counter["i"] += 1
        return ok(cw.get(url))

    srch = add(measure("name search across scripts (list page)", "caseworker", search, runs=runs))

    srch.extra["queries_typed"] = queries
    srch.extra["results"] = {q: len(case_search(s.caseworker, q)) for q in queries}

    # Work queue; and without the sections other apps register (conference action items).
    add(measure("work queue", "caseworker", page(cw, reverse("cases:work_queue")), runs=runs))
    with mock.patch("apps.cases.hooks.collect_work_queue_sections", lambda user, now: []):
        add(measure("work queue (without registered sections)", "caseworker", page(cw, reverse("cases:work_queue")),
                    runs=runs))

    # API case list (token).
    api_url = "/api/v1/cases/?scope=institution"
    add(measure("API case list (token, first page)", "api client", page(api, api_url), runs=runs))

    # Official: the home page (aggregates only; an official never opens a case).
    add(measure("official home page", "official", page(off, "/"), runs=runs))

    # Dashboards and the monthly report (apps/reports): summary tables first, then the pages and one report.
    summaries = reports.measurements(s, runs=runs, add=add, log=log)

    # Conference agenda preparation (undone after each run, so every run does the full work).
    if s.meeting is not None:
        def prepare():
            with rolled_back():
                return agenda_prepare(meeting=s.meeting)

        ag = add(measure("conference agenda preparation", "coordinator", prepare, runs=runs))
        outcome = prepare()
        ag.extra["agenda_items"] = sum(getattr(outcome, "counts", {}).values()) if hasattr(outcome, "counts") else None

    def median(name):
        return results[name].median_ms if name in results else None

    first = median("caseworker case list (institution, first page)")
    deep_name = next(n for n in results if n.startswith("caseworker case list (institution, deep page"))
    targets = {
        "caseworker case list <= 15 ms": [first, first is not None and first <= 15],
        "caseworker case list >= 20x faster than guardian": [
            inst.extra.get("ratio_vs_guardian"), inst.extra.get("ratio_vs_guardian", 0) >= 20],
        "deep page within 1.5x of the first": [round(median(deep_name) / first, 2), median(deep_name) <= 1.5 * first],
        "case detail <= 30 ms": [median("case detail with timeline"), median("case detail with timeline") <= 30],
        "name search <= 50 ms": [median("name search across scripts (list page)"),
                                 median("name search across scripts (list page)") <= 50],
        "work queue <= 30 ms": [median("work queue"), median("work queue") <= 30],
        "official dashboard <= 150 ms": [median("official dashboard (largest municipality, summary tables)"),
                                         median("official dashboard (largest municipality, summary tables)") <= 150],
        "national dashboard <= 500 ms": [median("national dashboard (every municipality)"),
                                         median("national dashboard (every municipality)") <= 500],
        "monthly municipal PDF <= 3 s": [median("monthly municipal report (summary, snapshot, PDF)"),
                                         median("monthly municipal report (summary, snapshot, PDF)") <= 3000],
        "query counts fixed whatever the page size, <= 10": [
            sel.extra["queries_by_page_size"],
            len(set(sel.extra["queries_by_page_size"].values())) == 1 and max(sel.extra["queries_by_page_size"].values()) <= 10,
        ],
    }

    document = {
        "generated_at": started.isoformat(),
        "duration_s": round((timezone.now() - started).total_seconds(), 1),
        "settings": settings.SETTINGS_MODULE,
        "runs_per_measurement": runs,
        "dataset": info["dataset"],
        "machine": {**info["machine"], "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "subjects": {
            "municipality": s.municipality.name,
            "municipality_cases": s.municipality and lists.Case.objects.filter(municipality=s.municipality).count(),
            "caseworker_institution_cases": total,
            "detail_case_id": s.detail_case.pk,
        },
        "baseline": {
            "what": "guardian.shortcuts.get_objects_for_user(user, 'cases.baseline_view_case', klass=Case) "
                    "ordered and sliced like the real list, same row data and audit",
            "grants": "per-case group grants to every participating institution's staff group and user grants to "
                      "assigned staff, for all cases, under a permission the platform never reads",
            "same_rows_as_scoped_list": same_rows,
        },
        "measurements": {name: m.as_dict() for name, m in results.items()},
        "report_summaries": summaries,
        "targets": {name: {"value": value, "met": bool(met)} for name, (value, met) in targets.items()},
    }
    return document


def table(document: dict) -> str:
    """A plain-text table of the results."""
    lines = [f"{'measurement':<60} {'role':<12} {'median ms':>10} {'p95 ms':>9} {'queries':>8}  notes"]
    lines.append("-" * 120)
    for name, m in document["measurements"].items():
        notes = []
        for key in ("ratio_vs_guardian", "ratio_vs_sql_floor", "ratio_vs_guardian_sql", "rows"):
            if key in m:
                notes.append(f"{key}={m[key]}")
        lines.append(
            f"{name:<60} {m['role']:<12} {m['median_ms']:>10.2f} {m['p95_ms']:>9.2f} {str(m['queries']):>8}  {' '.join(notes)}"
        )
    if document.get("targets"):
        lines.append("")
        for name, target in document["targets"].items():
            lines.append(f"{'met ' if target['met'] else 'MISSED'}  {name}: {target['value']}")
    return "\n".join(lines)
