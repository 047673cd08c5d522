"""Dashboards: a municipality's (officials, coordinators, institution admins) and the national one
(national readers), with CSV/XLSX of every figure. Figures only: never a name or a case; the
coordinator's drill-down opens the case list, which shows only the cases she may open."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views import View

from apps.core import indicators
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.views_scoped import ScopedView
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .. import rules
from ..choices import RunStatus
from ..exports import figure_response
from ..indicators import FIGURES_BY_KEY
from ..models import NationalReportRun
from ..operational import operational
from ..pdf import render_report
from ..periods import MONTHS, PERIODS, label
from ..selectors import municipal_dashboard, national_comparison, national_dashboard

DRILLABLE = {"new_cases", "risk", "forms"}


def _year_period(request) -> tuple[int, str]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    period = request.GET.get("period", "")
    if period not in PERIODS:
        period = MONTHS[today.month - 1] if year == today.year else "Y"
    return year, period


class DashboardBase(ScopedView):
    """The municipality (``?municipality=``, else the first one the user reads), year, period and
    institution (institution admins: one of their own, always)."""

    model = Municipality

    def setup_scoped(self, request, *args, **kwargs):
        access = request.user.access
        readable = [m for m in self.get_queryset().order_by("name") if rules.reach(access, m.pk)]
        if not readable:
            raise Http404
        wanted = request.GET.get("municipality", "")
        self.municipalities = readable
        self.municipality = next((m for m in readable if str(m.pk) == wanted), readable[0])
        self.reach = rules.reach(access, self.municipality.pk)
        self.year, self.period = _year_period(request)
        institutions = Institution.objects.visible_to(request.user).for_municipality(self.municipality.pk).order_by("name")
        if isinstance(self.reach, frozenset):
            institutions = [i for i in institutions if i.pk in self.reach]
        self.institutions = list(institutions)
        wanted = request.GET.get("institution", "")
        chosen = next((i for i in self.institutions if str(i.pk) == wanted), None)
        if chosen is None and isinstance(self.reach, frozenset):
            chosen = self.institutions[0] if self.institutions else None
            if chosen is None:
                raise Http404
        self.institution = chosen
        self.suppressed = self.reach != rules.CASES

    def board(self):
        return municipal_dashboard(self.request.user, self.municipality.pk, year=self.year, period=self.period,
                                   institution_id=self.institution.pk if self.institution else 0,
                                   suppressed=self.suppressed)

    def query(self) -> str:
        params = {"municipality": self.municipality.pk, "year": self.year, "period": self.period}
        if self.institution:
            params["institution"] = self.institution.pk
        return urlencode(params)


class DashboardView(DashboardBase, View):
    """Every figure of the period: chart, table, comparisons, exports."""

    def get(self, request):
        board = self.board()
        drill = None
        if self.reach == rules.CASES:
            drill = reverse("cases:list") + "?" + urlencode({
                "reported_from": f"01.01.{self.year}", "reported_to": f"31.12.{self.year}",
                **({"institution": self.institution.pk} if self.institution else {})})
        return render(request, "reports/dashboard.html", {
            "board": board, "municipality": self.municipality, "municipalities": self.municipalities,
            "institutions": self.institutions, "institution": self.institution, "year": self.year,
            "period": self.period, "periods": [(p, label(p)) for p in PERIODS],
            "years": range(timezone.localdate().year, 2019, -1), "query": self.query(),
            "export_base": reverse("reports:dashboard") + "export/", "drill_url": drill, "drillable": DRILLABLE,
            "institution_locked": isinstance(self.reach, frozenset),
            "operational": operational(request.user, self.municipality.pk) if self.reach == rules.CASES else None,
            "programme": [] if self.institution else indicators.figures_for(
                request.user, municipality_id=self.municipality.pk, year=self.year, today=timezone.localdate()),
        })


class DashboardExportView(DashboardBase, View):
    """One figure as CSV or XLSX (audited: who exported which figure)."""

    def get(self, request, fmt: str, key: str):
        if key not in FIGURES_BY_KEY or fmt not in ("csv", "xlsx"):
            raise Http404
        table = next(t for t in self.board().tables if t.key == key)
        audit_log(action=AuditAction.EXPORT, obj=self.municipality,
                  details={"figure": key, "year": self.year, "format": fmt})
        return figure_response(table, f"{key}-{self.year}", fmt)


class NationalBase(LoginRequiredMixin, View):
    """National readers only (404 for everyone else signed in)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not rules.is_national_reader(request.user):
            raise Http404
        self.year, self.period = _year_period(request)
        return super().dispatch(request, *args, **kwargs)


class NationalDashboardView(NationalBase):
    """Every municipality together, and the municipalities side by side; never a case."""

    def get(self, request):
        board = national_dashboard(year=self.year, period=self.period)
        municipalities = list(Municipality.objects.filter(is_active=True).order_by("name"))
        return render(request, "reports/national.html", {
            "board": board, "year": self.year, "period": self.period, "periods": [(p, label(p)) for p in PERIODS],
            "years": range(timezone.localdate().year, 2019, -1),
            "comparison": national_comparison(year=self.year, period=self.period, municipalities=municipalities),
            "query": urlencode({"year": self.year, "period": self.period}),
            "export_base": reverse("reports:national") + "export/",
            "reports": NationalReportRun.objects.filter(status=RunStatus.DONE).only("pk", "period", "finished_at")[:12],
        })


class NationalExportView(NationalBase):
    def get(self, request, fmt: str, key: str):
        if key not in FIGURES_BY_KEY or fmt not in ("csv", "xlsx"):
            raise Http404
        table = next(t for t in national_dashboard(year=self.year, period=self.period).tables if t.key == key)
        return figure_response(table, f"national-{key}-{self.year}", fmt)


class NationalReportDownloadView(NationalBase):
    """A quarterly national report as a PDF in the reader's language and script (audited)."""

    def get(self, request, pk: int):
        run = NationalReportRun.objects.filter(pk=pk, status=RunStatus.DONE).first()
        if run is None:
            raise Http404
        language = translation.get_language() or "sr-latn"
        body = render_report(run.snapshot, None, language)
        audit_log(action=AuditAction.EXPORT, object_type="national_report", object_id=str(run.pk),
                  details={"report": run.period, "language": language})
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="national-report-{run.period}-{language}.pdf"'
        return response

