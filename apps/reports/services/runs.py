"""Report runs: requested once per (municipality, kind, period), produced by a Celery task, e-mailed as
a link to the subscribed officials, downloaded (audited) from the archive."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.municipalities.models import Municipality

from ..choices import ReportKind, RunStatus
from ..models import Figure, NationalFigure, NationalReportRun, ReportRun, Subscription
from ..pdf import render_report
from ..periods import MONTHS
from ..snapshots import take
from .figures import refresh, refresh_national

STEPS = 4
# A queued run that has not finished long after the task's hard time limit and its retries (4 x 300 s +
# backoff) lost its worker: it shows as failed and may be run again.
STALE_AFTER = timedelta(minutes=30)


def progress_key(run_id: int) -> str:
    return f"reports:run:{run_id}:progress"


def progress_of(run: ReportRun) -> tuple[int, int] | None:
    """(steps done, steps) while the task works on the run (the task's rows commit only at its end)."""
    value = cache.get(progress_key(run.pk))
    return tuple(value) if value else None


def _progress(run_id: int, done: int) -> None:
    cache.set(progress_key(run_id), (done, STEPS), timeout=3600)


def is_stale(run: ReportRun, now=None) -> bool:
    now = now or timezone.now()
    return run.status in (RunStatus.QUEUED, RunStatus.RUNNING) and run.queued_at < now - STALE_AFTER


def request_run(*, municipality_id: int, period: str, kind: str = ReportKind.MONTHLY, requested_by=None,
                language: str = "") -> ReportRun:
    """The run of a municipality's period: created and queued once; a failed (or stale) one is queued
    again in place; a queued, running or done one is left as it is."""
    try:
        with transaction.atomic():
            run, created = ReportRun.objects.select_for_update().get_or_create(
                municipality_id=municipality_id, kind=kind, period=period,
                defaults={"requested_by": requested_by, "language": language or settings.LANGUAGE_CODE})
    except IntegrityError:  # another request created it at the same moment
        return ReportRun.objects.get(municipality_id=municipality_id, kind=kind, period=period)
    if not created and not (run.status == RunStatus.FAILED or is_stale(run)):
        return run
    if not created:
        ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, error="", queued_at=timezone.now(),
                                                  requested_by=requested_by or run.requested_by)
        run.refresh_from_db()
    # cycle: tasks -> services.runs -> tasks
    from ..tasks import produce_report

    outbox.after_commit(produce_report, run_id=run.pk)
    return run


def _source(municipality_id: int, year: int):
    rows = Figure.objects.filter(municipality_id=municipality_id, year=year, institution_id=0)
    return {(u, c, p): (v, s) for u, c, p, v, s in rows.values_list("unit", "category", "period", "value", "state")}


def produce(*, run_id: int) -> bool:
    """Produce one run (in the task's one transaction: a run is done with its PDF, or not at all)."""
    run = ReportRun.objects.select_for_update().select_related("municipality").filter(pk=run_id).first()
    if run is None or run.status == RunStatus.DONE:
        return False
    year, month = int(run.period[:4]), run.period[5:7]
    if month not in MONTHS:
        ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="unknown period")
        return False
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(),
                                              attempts=run.attempts + 1)
    _progress(run.pk, 0)
    refresh(municipality_id=run.municipality_id, year=year)
    if not Figure.objects.filter(municipality_id=run.municipality_id, year=year - 1).exists():
        refresh(municipality_id=run.municipality_id, year=year - 1)
    _progress(run.pk, 1)
    snapshot = take(_source(run.municipality_id, year), _source(run.municipality_id, year - 1), year=year, month=month)
    _progress(run.pk, 2)
    language = run.language or settings.LANGUAGE_CODE
    body = render_report(snapshot, run.municipality, language)
    _progress(run.pk, 3)
    run.snapshot = snapshot
    run.pdf.save(f"report-{run.municipality_id}-{run.period}-{run.pk}.pdf", ContentFile(body), save=False)
    run.status, run.error, run.finished_at = RunStatus.DONE, "", timezone.now()
    run.save(update_fields=["snapshot", "pdf", "status", "error", "finished_at"])
    _progress(run.pk, 4)
    notify_subscribers(run_id=run.pk)  # the e-mails are recorded with the finished run: both or neither
    return True


def mark_failed(*, run_id: int, reason: str) -> None:
    """A run whose task gave up: failed, with the reason (no figure, no name)."""
    ReportRun.objects.filter(pk=run_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.FAILED, error=reason[:255], finished_at=timezone.now())
    cache.delete(progress_key(run_id))


def notify_subscribers(*, run_id: int) -> int:
    """E-mail each subscribed official a link to the report: never a figure, never a name."""
    run = ReportRun.objects.select_related("municipality").filter(pk=run_id, status=RunStatus.DONE,
                                                                   emailed_at__isnull=True).first()
    if run is None:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("reports:run_download", args=[run.pk])
    sent = 0
    for subscription in Subscription.objects.filter(municipality_id=run.municipality_id).select_related("user"):
        user = subscription.user
        if not user.is_active:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("The monthly report for %(period)s is ready") % {"period": run.period}
            body = _("The monthly report of %(municipality)s for %(period)s is ready. Sign in to read it:\n%(link)s\n") % {
                "municipality": run.municipality.display_name(user.language), "period": run.period, "link": link}
        sent += outbox.send_email(subject=subject, body=body, to=[user.email], kind="reports.report_ready",
                                  key=f"reports.report_ready:{run.pk}:{user.pk}", municipality_id=run.municipality_id)
    ReportRun.objects.filter(pk=run.pk).update(emailed_at=timezone.now())
    return sent


def fan_out_monthly(*, today=None) -> int:
    """The previous month's report of every active municipality (idempotent: one run each)."""
    today = today or timezone.localdate()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    period = f"{year}-{month:02d}"
    count = 0
    for municipality_id in Municipality.objects.filter(is_active=True).values_list("pk", flat=True):
        request_run(municipality_id=municipality_id, period=period)
        count += 1
    return count


def record_download(run: ReportRun, user, language: str) -> None:
    audit_log(action=AuditAction.EXPORT, actor=user, obj=run, details={"report": run.period, "language": language})


def subscribe(*, user, municipality_id: int, on: bool) -> None:
    """Receive (or stop receiving) the monthly report's e-mail."""
    if on:
        Subscription.objects.get_or_create(municipality_id=municipality_id, user=user)
    else:
        Subscription.objects.filter(municipality_id=municipality_id, user=user).delete()


def _national_source(year: int) -> dict:
    rows = NationalFigure.objects.filter(year=year, place_id=0)
    return {(u, c, p): (v, s) for u, c, p, v, s in rows.values_list("unit", "category", "period", "value", "state")}


def produce_national(*, period: str) -> NationalReportRun:
    """The quarterly national report (idempotent: a done quarter is left as it is). Call in the task's
    platform context: the summaries of every municipality are read."""
    run, _created = NationalReportRun.objects.select_for_update().get_or_create(period=period)
    if run.status == RunStatus.DONE:
        return run
    year, quarter = int(period[:4]), period[5:]
    refresh_national(year=year)
    if not NationalFigure.objects.filter(year=year - 1).exists():
        refresh_national(year=year - 1)
    last_month = f"{int(quarter[1]) * 3:02d}"
    run.snapshot = take(_national_source(year), _national_source(year - 1), year=year, month=last_month)
    run.snapshot["quarter"] = quarter
    run.status, run.error, run.finished_at = RunStatus.DONE, "", timezone.now()
    run.save()
    return run


def last_quarter(today=None) -> str:
    today = today or timezone.localdate()
    quarter = (today.month - 1) // 3
    return f"{today.year - 1}-Q4" if quarter == 0 else f"{today.year}-Q{quarter}"

