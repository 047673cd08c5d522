"""The reports' benchmark on a small generated data set (the one seed_scale writes for the national
benchmark, smaller): the summaries are built, the dashboards read them with a fixed number of
statements whatever the number of cases, and one monthly report is produced. No absolute time is
asserted (a busy machine cannot fail it); the 1,000,000-case numbers are in the README."""
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks import reports
from benchmarks.subjects import pick_subjects, verified_client

TENANT_CONTEXT = "set_config('kzn.user_id'"


@pytest.fixture(scope="module")
def scale(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_scale", cases=4_000, municipalities=6, users=150, seed=5, no_vacuum=True,
                         stdout=io.StringIO())
            yield pick_subjects()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_reports_benchmark_runs_and_reads_the_summary(scale, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    measured = {}
    summaries = reports.measurements(scale, runs=2, add=lambda m: measured.setdefault(m.name, m), log=lambda *_: None)
    assert summaries["municipalities"] >= 6 and summaries["national_cells"] > 0
    assert set(measured) == {"official dashboard (largest municipality, summary tables)",
                             "national dashboard (every municipality)",
                             "monthly municipal report (summary, snapshot, PDF)"}
    client = verified_client(scale.official)
    url = reverse("reports:dashboard") + f"?municipality={scale.municipality.pk}&year={timezone.localdate().year}"
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    statements = [q["sql"] for q in captured.captured_queries if TENANT_CONTEXT not in q["sql"]]
    # The access context (one statement per request) names the cases shared with the user; nothing else
    # on the page reads a case table.
    reading_cases = [q for q in statements if "cases_case" in q and "kzn_context" not in q and "x:" not in q]
    assert not reading_cases, reading_cases
    assert len(statements) <= 25
    assert "&lt; 5" in html or "c</td>" in html or "<td>" in html
