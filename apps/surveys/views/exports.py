"""Downloads: suppressed results (CSV, XLSX) for everyone who reads the collection; raw answers
without free text for coordinators (audited); the poster and card PDF for who manages it."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views import View

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.views_scoped import ScopedObjectView

from .. import exports
from ..models import Collection
from ..results import as_rows, collection_results
from ..selectors import raw_rows


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ResultsExportView(ScopedObjectView, View):
    model = Collection

    def get(self, request, pk, fmt):
        collection = self.get_scoped_object()
        if fmt not in ("csv", "xlsx", "pdf"):
            raise Http404
        results = collection_results(collection)
        rows = as_rows(results)
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=collection, details={"format": fmt, "what": "results"})
        if fmt == "pdf":
            return _download(exports.results_pdf(collection, results), "application/pdf", f"results-{pk}.pdf")
        if fmt == "xlsx":
            return _download(exports.xlsx_bytes(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             f"results-{pk}.xlsx")
        return _download(exports.csv_bytes(rows), "text/csv; charset=utf-8", f"results-{pk}.csv")


class RawExportView(ScopedObjectView, View):
    model = Collection
    action = "raw"

    def get(self, request, pk):
        collection = self.get_scoped_object()
        rows = raw_rows(request.user, collection)
        if rows is None:
            raise Http404
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=collection, details={"what": "raw answers"})
        return _download(exports.csv_bytes(rows), "text/csv; charset=utf-8", f"answers-{pk}.csv")


class PosterView(ScopedObjectView, View):
    model = Collection
    action = "change"

    def get(self, request, pk, kind):
        collection = self.get_scoped_object()
        url = request.build_absolute_uri(reverse("surveys:public_answer", args=[collection.token]))
        if kind not in ("poster", "card"):
            raise Http404
        return _download(exports.poster_pdf(url, card=kind == "card"), "application/pdf", f"{kind}-{pk}.pdf")
