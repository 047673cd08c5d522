"""Timing tools of the benchmark: a measurement (median, p95, query count), the raw SQL floor and
the machine the figures come from."""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


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
