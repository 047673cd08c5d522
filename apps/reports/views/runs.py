"""Report runs: the history with status and progress, producing a month's report on demand, the
archive's downloads (audited) in the reader's language, the e-mail subscription."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views import View

from apps.core.views_scoped import ScopedObjectView, ScopedView
from apps.municipalities.models import Municipality

from .. import rules
from ..choices import RunStatus
from ..models import ReportRun, Subscription
from ..pdf import render_report
from ..services import runs as services


class RunsBase(ScopedView):
    """The municipality whose reports the user reads (coordinators and officials)."""

    model = Municipality

    def setup_scoped(self, request, *args, **kwargs):
        ids = rules.report_municipality_ids(request.user.access)
        readable = [m for m in self.get_queryset().order_by("name") if m.pk in ids]
        if not readable:
            raise Http404
        wanted = request.GET.get("municipality", "") or request.POST.get("municipality", "")
        self.municipalities = readable
        self.municipality = next((m for m in readable if str(m.pk) == wanted), readable[0])


class RunListView(RunsBase, View):
    """The archive and the history: every run of the municipality with its status and progress."""

    def get(self, request):
        rows = list(ReportRun.objects.visible_to(request.user).for_municipality(self.municipality.pk)
                    .only("pk", "kind", "period", "status", "error", "queued_at", "finished_at", "attempts", "pdf",
                          "municipality_id")[:60])
        history = []
        for run in rows:
            stale = services.is_stale(run)
            running = run.status not in (RunStatus.DONE, RunStatus.FAILED) and not stale
            history.append((run, services.progress_of(run) if running else None, stale))
        today = timezone.localdate()
        months = [f"{today.year - (1 if m > today.month - 1 else 0)}-{m:02d}" for m in range(1, 13)]
        subscribed = Subscription.objects.visible_to(request.user).for_municipality(self.municipality.pk).exists()
        return render(request, "reports/runs.html", {
            "history": history, "municipality": self.municipality, "municipalities": self.municipalities,
            "months": sorted(months, reverse=True), "subscribed": subscribed,
        })


class RunRequestView(RunsBase, View):
    """Produce (or produce again, when it failed) the report of one month."""

    def post(self, request):
        period = request.POST.get("period", "")
        valid = len(period) == 7 and period[4] == "-" and period[:4].isdigit() and period[5:].isdigit() \
            and 1 <= int(period[5:]) <= 12 and f"{period}" <= timezone.localdate().strftime("%Y-%m")
        if valid:
            services.request_run(municipality_id=self.municipality.pk, period=period, requested_by=request.user,
                                 language=translation.get_language() or "")
        return redirect(reverse("reports:runs") + f"?municipality={self.municipality.pk}")


class SubscriptionView(RunsBase, View):
    """Receive the e-mail (a link only) when the monthly report is ready, or stop."""

    def post(self, request):
        services.subscribe(user=request.user, municipality_id=self.municipality.pk,
                           on=request.POST.get("on") == "1")
        return redirect(reverse("reports:runs") + f"?municipality={self.municipality.pk}")


class RunDownloadView(ScopedObjectView, View):
    """A done report as a PDF in the reader's language and script (audited)."""

    model = ReportRun

    def get(self, request, pk):
        run = self.get_scoped_object()
        if run.status != RunStatus.DONE:
            raise Http404
        language = translation.get_language() or run.language
        if run.pdf and language == run.language:  # the archived file; otherwise drawn from the snapshot
            with run.pdf.open("rb") as handle:
                body = handle.read()
        else:
            body = render_report(run.snapshot, run.municipality, language)
        services.record_download(run, request.user, language)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="report-{run.period}-{language}.pdf"'
        return response
