"""Isolation matrix entries of the dashboards and report runs (apps/reports).

Following apps/reports/rules.py: a municipality's dashboard is read by its coordinators (whole), officials
(protected) and institution admins (their own institution, protected); its report runs by its
coordinators and officials. The national pages answer only national readers (none of the matrix roles:
404 for all). Scopes of the runs: OWN a done run of municipality A, OTHER one of municipality B.
"""
from __future__ import annotations

from django.core.files.base import ContentFile

from .matrix import API, CO, IA, OF, OTHER, OWN, PAGE, REDIRECT, Entry, e

FIGURES = e(default=404, **{CO: 200, OF: 200, IA: 200})
REPORTS = e(default=404, **{CO: 200, OF: 200})
RUN_OWNERS = e(default=404, **{CO: {OWN: 200}, OF: {OWN: 200}})


def run_pk(w, scope):
    return {"pk": w.report_run[scope].pk}


def export(w, scope):
    return {"fmt": "csv", "key": "new_cases"}


ENTRIES = [
    Entry("reports:dashboard", PAGE, FIGURES),
    Entry("reports:dashboard", PAGE, FIGURES, query="?year=2026&period=Q1", note="another period, still scoped"),
    Entry("reports:dashboard_export", PAGE, FIGURES, kwargs=export, scopes=("none",)),
    Entry("reports:national", PAGE, e(default=404), note="national readers only"),
    Entry("reports:national_export", PAGE, e(default=404), kwargs=export, scopes=("none",)),
    Entry("reports:national_report", PAGE, e(default=404), kwargs=lambda w, scope: {"pk": w.national_report.pk},
          scopes=("none",), note="national readers only"),
    Entry("reports:runs", PAGE, REPORTS),
    Entry("reports:run_request", PAGE, e(default=404, **{CO: REDIRECT, OF: REDIRECT}), method="POST",
          data=lambda w, scope: {"period": "2026-01"}),
    Entry("reports:subscription", PAGE, e(default=404, **{CO: REDIRECT, OF: REDIRECT}), method="POST",
          data=lambda w, scope: {"on": "1"}),
    Entry("reports:run_download", PAGE, RUN_OWNERS, kwargs=run_pk, scopes=(OWN, OTHER)),
    # --- API ------------------------------------------------------------------------------------
    Entry("report-figures", API, FIGURES),
    Entry("report-figures-national", API, e(default=404)),
    Entry("report-run-list", API, e(default=200)),
    Entry("report-run-detail", API, RUN_OWNERS, kwargs=run_pk, scopes=(OWN, OTHER)),
]


def build(w) -> None:
    """A done monthly report (protected snapshot, a small stored PDF) in each municipality."""
    from apps.reports.choices import RunStatus
    from apps.reports.models import NationalReportRun, ReportRun
    from apps.reports.snapshots import take

    w.national_report = NationalReportRun.objects.create(period="2026-Q1", status=RunStatus.DONE,
                                                         snapshot=take({}, {}, year=2026, month="03"))
    w.report_run = {}
    for scope in (OWN, OTHER):
        municipality = w.municipality[scope]
        run = ReportRun.objects.create(municipality=municipality, period="2026-01", status=RunStatus.DONE,
                                       language="none", snapshot=take({}, {}, year=2026, month="01"))
        run.pdf.save(f"matrix-{scope}.pdf", ContentFile(b"%PDF-1.4\n%matrix\n"), save=True)
        w.report_run[scope] = run
