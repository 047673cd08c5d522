"""Tasks of the reports app (thin: ids in, a service does the work). Every task is idempotent: a report
run is unique per municipality, kind and period, and a done one is never produced again."""
from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from apps.municipalities.models import Municipality

from .services import figures, runs


class ReportFailed(Exception):
    """The run failed for good (its reason is on the run)."""


@shared_task(name="reports.produce_report", bind=True, acks_late=True, reject_on_worker_lost=True,
             time_limit=300, soft_time_limit=240, max_retries=3, default_retry_delay=30)
def produce_report(self, *, run_id: int) -> bool:
    """Produce one monthly report; retried on an error, failed with the reason after the last try."""
    try:
        return runs.produce(run_id=run_id)
    except Exception as error:  # noqa: BLE001 - retried; the last failure is written on the run
        if self.request.retries >= self.max_retries:
            fail_report.delay(run_id=run_id, reason=type(error).__name__)
            raise
        raise self.retry(exc=error) from error


@shared_task(name="reports.fail_report", time_limit=60, acks_late=True)
def fail_report(*, run_id: int, reason: str) -> None:
    """Write the failure on the run (in a transaction of its own: the producing task rolled back)."""
    runs.mark_failed(run_id=run_id, reason=reason)


@shared_task(name="reports.monthly_reports", time_limit=600, acks_late=True)
def monthly_reports() -> int:
    """On the 1st: queue last month's report of every municipality (beat; runs daily, idempotent)."""
    return runs.fan_out_monthly()


@shared_task(name="reports.refresh_figures", time_limit=600, acks_late=True, autoretry_for=(Exception,),
             max_retries=3, retry_backoff=True)
def refresh_figures(*, year: int | None = None) -> int:
    """Summarise this year's figures of every municipality, then the national summary."""
    year = year or timezone.localdate().year
    ids = list(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))
    for municipality_id in ids:
        figures.refresh(municipality_id=municipality_id, year=year)
    figures.refresh_national(year=year)
    return len(ids)


@shared_task(name="reports.refresh_national", time_limit=600, acks_late=True)
def refresh_national(*, year: int | None = None) -> int:
    """The national summary (each quarter's national report reads it)."""
    return figures.refresh_national(year=year or timezone.localdate().year)


@shared_task(name="reports.national_report", time_limit=900, acks_late=True, reject_on_worker_lost=True,
             autoretry_for=(Exception,), max_retries=3, retry_backoff=True)
def national_report(*, period: str | None = None) -> str:
    """Each quarter: the national report of the quarter just ended (idempotent, one per quarter)."""
    return runs.produce_national(period=period or runs.last_quarter()).period

