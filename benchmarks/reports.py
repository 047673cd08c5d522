"""The dashboards and the monthly report on the data set: summarising every municipality's year (the
incremental refresh the dashboards read instead of the cases), the official's and the national
dashboard pages, and one monthly municipal report (summary, snapshot, PDF) of the largest municipality."""
from __future__ import annotations

import statistics
import time

from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.tenancy import platform
from apps.municipalities.models import Municipality
from apps.reports.models import ReportRun
from apps.reports.services import runs as report_runs
from apps.reports.services.figures import refresh, refresh_national

from .measure import measure, ok, rolled_back
from .subjects import verified_client

NATIONAL_READER = "bench.national.reader"


def prepare_summaries(year: int, log=print) -> dict:
    """Summarise every active municipality's year, then the national figures; returns the timings."""
    ids = list(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))
    times = []
    started = time.perf_counter()
    with platform("benchmark: summarise figures"):
        for municipality_id in ids:
            t = time.perf_counter()
            refresh(municipality_id=municipality_id, year=year)
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        cells = refresh_national(year=year)
        national_s = time.perf_counter() - t
    result = {"municipalities": len(ids), "total_s": round(time.perf_counter() - started, 1),
              "per_municipality_median_s": round(statistics.median(times), 2) if times else None,
              "per_municipality_max_s": round(max(times), 2) if times else None,
              "national_s": round(national_s, 2), "national_cells": cells}
    log(f"  summaries of {year}: {result}")
    return result


def national_reader() -> User:
    user = User.objects.filter(username=NATIONAL_READER).first()
    if user is None:
        user = User.objects.create(username=NATIONAL_READER, email=f"{NATIONAL_READER}@bench.kzn.example",
                                   first_name="Bench", last_name="National", is_national_reader=True)
    return user


def measurements(s, *, runs: int, add, log=print) -> dict:
    """Add the reports' measurements; returns the summary timings for the document."""
    year = timezone.localdate().year
    summaries = prepare_summaries(year, log=log)
    official = verified_client(s.official)
    dashboard = reverse("reports:dashboard") + f"?municipality={s.municipality.pk}&year={year}"
    add(measure("official dashboard (largest municipality, summary tables)", "official",
                lambda: ok(official.get(dashboard)), runs=runs))
    national = verified_client(national_reader())
    url = reverse("reports:national") + f"?year={year}&period=Y"
    add(measure("national dashboard (every municipality)", "national", lambda: ok(national.get(url)), runs=runs))

    today = timezone.localdate()
    period = f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"

    def one_report():
        with rolled_back(), platform("benchmark: monthly report"):
            run = ReportRun.objects.create(municipality=s.municipality, period=period, language="sr-latn")
            report_runs.produce(run_id=run.pk)

    add(measure("monthly municipal report (summary, snapshot, PDF)", "worker", one_report,
                runs=max(3, runs // 6), warmup=1))
    return summaries
