"""The benchmark: server-side time (median, p95) and SQL query count per page and role, against the
guardian baseline and the raw SQL floor, all in one run against one database.

Pages go through the whole Django stack (django.test.Client: URL routing, every middleware, the
session in Redis, the verified second factor, the view, template rendering and the audit writes
that every read of case data makes). Timed runs do not record SQL; the query count comes from one
extra run inside CaptureQueriesContext.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from unittest import mock

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

BASELINE_PERMISSION = "cases.baseline_view_case"
LIST_PAGE_SIZE = 50


@dataclass
class Measurement:
    """One measured thing."""

    name: str
    role: str
    times_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    rows: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]

    def as_dict(self) -> dict:
        data = {
            "role": self.role,
            "median_ms": round(self.median_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "queries": self.queries,
            "runs": len(self.times_ms),
        }
        if self.rows is not None:
            data["rows"] = self.rows
        data.update(self.extra)
        return data


# --- who is measured ------------------------------------------------------------------------------


@dataclass
class Subjects:
    """The users and objects the benchmark acts on (the largest municipality: the worst case)."""

    municipality: object
    caseworker: object
    coordinator: object
    official: object
    api_user: object
    detail_case: object
    meeting: object | None


def pick_subjects() -> Subjects:
    """The municipality with the most cases; its CSR caseworker with the most assigned cases."""
    from apps.accounts.models import Membership, User
    from apps.cases.models import Case, CaseAssignment
    from apps.conferences.models import Meeting
    from apps.core.choices import Role
    from apps.institutions.choices import InstitutionType
    from apps.municipalities.models import Municipality

    top = (
        Case.objects.values("municipality_id").annotate(n=Count("id")).order_by("-n", "municipality_id").first()
    )
    if top is None:
        raise RuntimeError("No cases: run seed_scale first.")
    municipality = Municipality.objects.get(pk=top["municipality_id"])

    def member(role, inst_type=None, exclude=()):
        qs = Membership.objects.filter(municipality=municipality, role=role, is_active=True).exclude(user_id__in=exclude)
        if inst_type:
            qs = qs.filter(institution__type=inst_type)
        return qs.order_by("id").first()

    csr_staff = Membership.objects.filter(
        municipality=municipality, role=Role.CASEWORKER, institution__type=InstitutionType.CSR, is_active=True
    ).values_list("user_id", flat=True)
    busiest = (
        CaseAssignment.objects.filter(municipality=municipality, user_id__in=list(csr_staff), ended_at__isnull=True)
        .values("user_id").annotate(n=Count("id")).order_by("-n", "user_id").first()
    )
    caseworker = User.objects.get(pk=busiest["user_id"])
    coordinator = User.objects.get(pk=member(Role.COORDINATOR).user_id)
    official = User.objects.get(pk=member(Role.OFFICIAL).user_id)
    api_member = member(Role.CASEWORKER, InstitutionType.POLICE) or member(Role.CASEWORKER, exclude=[caseworker.pk])
    api_user = User.objects.get(pk=api_member.user_id)
    # The case page of a full case: the caseworker's open case with the most recorded on it.
    mine = Case.objects.filter(
        assignments__user=caseworker, assignments__ended_at__isnull=True, is_restricted=False
    ).exclude(status="closed")
    detail_case = (
        mine.annotate(
            n=Count("notes", distinct=True) + Count("plan_measures", distinct=True) + Count("emergency_measures", distinct=True)
            + Count("incidents", distinct=True) + Count("persons", distinct=True)
        )
        .order_by("-n", "-id")
        .first()
    ) or Case.objects.filter(assignments__user=caseworker).order_by("-id").first()
    meeting = (
        Meeting.objects.filter(municipality=municipality, status="scheduled", starts_at__gte=timezone.now())
        .order_by("starts_at").first()
    )
    return Subjects(municipality, caseworker, coordinator, official, api_user, detail_case, meeting)


def verified_client(user) -> Client:
    """A client logged in with a verified second factor (as after a real TOTP login)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def api_client(user) -> Client:
    """A client authenticating with a personal API token (knox)."""
    from knox.models import AuthToken

    _instance, token = AuthToken.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT="application/json")


# --- timing ---------------------------------------------------------------------------------------------


def measure(name: str, role: str, call: Callable[[], object], *, runs: int, warmup: int = 3, check=None) -> Measurement:
    """Time ``call`` ``runs`` times after a warm-up, then count its queries once."""
    result = Measurement(name, role)
    for _ in range(warmup):
        outcome = call()
        if check:
            check(outcome)
    for _ in range(runs):
        start = time.perf_counter()
        call()
        result.times_ms.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        outcome = call()
    result.queries = len(captured.captured_queries)
    if check:
        check(outcome)
    return result


def ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.get('PATH_INFO')} answered {response.status_code}")
    return response


def sql_floor(queryset, *, runs: int) -> Measurement:
    """EXPLAIN (ANALYZE) 'Execution Time' of the list's own query, median over runs."""
    sql, params = queryset.query.sql_with_params()
    result = Measurement("case list: raw SQL floor", "caseworker")
    with connection.cursor() as cursor:
        for _ in range(runs + 3):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            result.times_ms.append(float(plan[0]["Execution Time"]))
    result.times_ms = result.times_ms[3:]
    result.queries = 1
    return result


@contextmanager
def rolled_back():
    """Run a write and undo it (agenda preparation measured on the same meeting every time)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- the guardian baseline ------------------------------------------------------------------------------


def guardian_queryset(user):
    """What a typical Django project writes: guardian's get_objects_for_user over per-case grants."""
    from guardian.shortcuts import get_objects_for_user

    from apps.cases.models import Case

    return get_objects_for_user(user, BASELINE_PERMISSION, klass=Case, accept_global_perms=False)


def guardian_case_list(user, *, scope="institution", cursor=None, page_size=LIST_PAGE_SIZE, audit=True,
                       fields=None, forms=True, **filters):
    """The same list as selectors.lists.case_list (order, keyset page, row data, audit), its rows
    chosen by guardian instead of the tenant-scoped queryset. ``fields`` and ``forms=False`` load
    what the list page loads (the columns of a row, no forms of violence), for the page's baseline."""
    from apps.cases.models import Incident
    from apps.cases.selectors import lists
    from apps.core.audit import audit_many
    from apps.core.choices import AuditAction

    queryset = guardian_queryset(user)
    if cursor:
        at, pk = lists.decode_cursor(cursor)
        queryset = queryset.filter(Q(reported_at__lt=at) | Q(reported_at=at, id__lt=pk))
    # Row data the way a typical project loads it (select_related + prefetch_related): it keeps the
    # baseline's query parallel-safe, so PostgreSQL may scan with several workers (the baseline's
    # best case; the platform's list puts the forms in its own query instead).
    queryset = queryset.select_related("lead_institution")
    if fields is not None:
        queryset = queryset.only(*fields, "lead_institution__id", "lead_institution__name")
    if forms:
        incidents = Incident.objects.only("id", "case_id", "forms").order_by()
        queryset = queryset.prefetch_related(Prefetch("incidents", queryset=incidents, to_attr="list_incidents"))
    rows = list(queryset.order_by("-reported_at", "-id")[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    if forms:
        for case in rows:
            case.list_forms = [f for incident in case.list_incidents for f in incident.forms]
            case.violence_forms = lists.violence_forms(case)
    if audit and rows:
        audit_many(action=AuditAction.VIEW, objects=rows, actor=user, details={"view": "list", "scope": scope})
    return lists.CasePage(cases=rows, next_cursor=lists.encode_cursor(rows[-1]) if has_more else None, scope=scope)


# --- the run ---------------------------------------------------------------------------------------------


def dataset_size() -> dict:
    from apps.accounts.models import User
    from apps.cases.models import Case, CaseGroupGrant, CaseNote, CasePerson
    from apps.conferences.models import Meeting
    from apps.municipalities.models import Municipality

    def estimate(model) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] and row[0] > 0 else model.objects.count()

    return {
        "cases": Case.objects.count(),
        "municipalities": Municipality.objects.count(),
        "users": User.objects.count(),
        "persons": estimate(CasePerson),
        "notes": estimate(CaseNote),
        "case_group_grants": estimate(CaseGroupGrant),
        "conferences": Meeting.objects.count(),
    }


def machine() -> dict:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu,
        "load_average_at_start": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "postgresql": pg,
        "shared_buffers": buffers,
        "postgresql_jit": jit,
        "platform": platform.platform(),
    }


def run(*, runs: int = 30, log=print) -> dict:
    """Measure everything once and return the results document."""
    from apps.cases.selectors import lists

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
    from apps.cases.selectors.list_sql import LIST_ONLY

    with mock.patch("apps.cases.views.case.case_page", partial(guardian_case_list, fields=LIST_ONLY, forms=False)):
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
    from apps.cases.selectors import list_sql

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
    from apps.cases.selectors.search import case_search

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

    # Conference agenda preparation (undone after each run, so every run does the full work).
    try:
        from apps.conferences.services.agenda import agenda_prepare
    except ImportError:  # the conferences app without agenda preparation
        agenda_prepare = None
    if agenda_prepare is not None and s.meeting is not None:
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
