"""Compliance pages: per measure, institution and month (figures only), the coordinator's drill-down to
the cases behind a figure (only those she may open), CSV/XLSX."""
from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction
from apps.core.views_scoped import ScopedView
from apps.municipalities.models import Municipality

from ..choices import ProvingEvent
from ..exports import cell_text, table_response
from ..rules import compliance_reach
from ..selectors.compliance import MEASURES, compliance_table, drill_down_cases


class ComplianceBase(ScopedView):
    """The municipality (``?municipality=``, else the first one whose figures the user reads), year, measure."""

    model = Municipality

    def setup_scoped(self, request, *args, **kwargs):
        readable = [m for m in self.get_queryset().order_by("name") if compliance_reach(request.user.access, m.pk)]
        if not readable:
            raise Http404
        wanted = request.GET.get("municipality", "")
        self.municipalities = readable
        self.municipality = next((m for m in readable if str(m.pk) == wanted), readable[0])
        today = timezone.localdate()
        try:
            self.year = int(request.GET.get("year", today.year))
        except ValueError:
            self.year = today.year
        if not 2000 <= self.year <= today.year + 1:
            self.year = today.year
        measure = request.GET.get("measure", "")
        self.measure = measure if measure in MEASURES else MEASURES[0]


class ComplianceView(ComplianceBase, View):
    """The table of one measure."""

    def get(self, request):
        table = compliance_table(request.user, self.municipality, self.year, self.measure)
        labels = dict(ProvingEvent.choices)
        return render(request, "protocols/compliance.html", {
            "table": table, "municipality": self.municipality, "municipalities": self.municipalities,
            "year": self.year, "measure": self.measure, "measure_label": labels[self.measure],
            "measures": [(m, labels[m]) for m in MEASURES], "years": range(timezone.localdate().year, 2019, -1),
        })


class ComplianceCasesView(ComplianceBase, View):
    """The cases behind one figure, for coordinators, only those she may open (audited as read)."""

    def get(self, request):
        if compliance_reach(request.user.access, self.municipality.pk) != "cases":
            raise Http404
        try:
            month = date.fromisoformat(request.GET.get("month", ""))
            institution = int(request.GET["institution"]) if request.GET.get("institution") else None
        except (ValueError, KeyError):
            raise Http404 from None
        outcome = request.GET.get("outcome", "")
        if outcome not in ("", "on_time", "late"):
            raise Http404
        cases = list(drill_down_cases(request.user, self.municipality, self.measure, institution, month, outcome)
                     .select_related("lead_institution")[:500])
        if cases:
            audit_many(action=AuditAction.VIEW, objects=cases, actor=request.user, details={"view": "compliance_cases"})
        return render(request, "protocols/compliance_cases.html", {
            "cases": cases, "municipality": self.municipality, "month": month, "outcome": outcome,
            "measure_label": dict(ProvingEvent.choices)[self.measure],
        })


class ComplianceExportView(ComplianceBase, View):
    """The table as CSV or XLSX (the same suppression as the page)."""

    def get(self, request, fmt):
        table = compliance_table(request.user, self.municipality, self.year, self.measure)
        header = [_t("Institution"), *[m.strftime("%m.%Y") for m in table.months], _t("Total")]
        rows = [header]
        for row in table.rows:
            name = str(row["institution"]) if row["institution"] else _t("Not recorded")
            rows.append([name, *[cell_text(cell) for _m, cell in row["cells"]], cell_text(row["total"])])
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=self.municipality,
                  details={"compliance": self.measure, "year": self.year})
        return table_response(rows, f"compliance-{self.measure}-{self.year}", fmt)
