"""CSV and XLSX of an event's attendance (who runs the event) and of the targets (aggregates)."""
from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _t
from django.views import View
from openpyxl import Workbook

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.views_scoped import ScopedView

from ..models import Participant
from ..selectors.targets import may_see, targets_for
from .events import EventView

FORMATS = ("csv", "xlsx")


def _safe(value) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_response(name: str, header: list[str], rows: list[list], fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([[_safe(v) for v in row] for row in rows])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


class AttendanceExportView(EventView, View):
    action = "change"

    def get(self, request, pk, fmt):
        if fmt not in FORMATS:
            raise Http404
        event = self.event
        rows = [[p.display_name, p.institution_name, p.function,
                 _t("yes") if p.attended else (_t("no") if p.attended is False else ""), p.hours,
                 getattr(getattr(p, "certificate", None), "code", "")]
                for p in Participant.objects.filter(event_id=event.pk).select_related("user")
                .prefetch_related("certificates")]
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=event, details={"attendance": fmt})
        header = [_t("Name"), _t("Institution"), _t("Function"), _t("Present"), _t("Hours"), _t("Certificate")]
        return table_response(f"attendance-{event.pk}", header, rows, fmt)


class TargetsExportView(ScopedView, View):
    def get(self, request, fmt):
        if fmt not in FORMATS or not may_see(request.user):
            raise Http404
        period, figures = targets_for(request.user)
        rows = [[m.name, period, k.label, k.held, k.target, _t("municipality") if k.own else _t("default")]
                for m in figures for k in m.kinds]
        audit_log(action=AuditAction.EXPORT, actor=request.user, object_type="events.targets", details={"fmt": fmt})
        return table_response("event-targets", [_t("Municipality"), _t("Programme period"), _t("Kind"), _t("Held"),
                                                _t("Target"), _t("Target set by")], rows, fmt)
