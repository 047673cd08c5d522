"""Files of a plan: the budget tables exported (XLSX/CSV), a budget table imported, the sample table,
and the PDF of the plan in the reader's language and script."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.views_scoped import ScopedObjectView, ScopedView

from ..forms import ImportForm
from ..models import Plan
from ..pdf import plan_pdf
from ..selectors.exports import TABLES, table
from ..selectors.totals import summary
from ..services.importing import SAMPLE_HEADERS, ImportRefused, import_budget
from ..tabular import render as render_table
from .budget import chosen_year

FORMATS = ("csv", "xlsx")
MAX_UPLOAD = 5 * 1024 * 1024
SAMPLE_ROWS = [
    ["1.1.1", 2027, "0901", "0901-0001", "090", "423", "01", "", "Obuka stručnjaka (primer)", "150000.00", "", "0"],
    ["1.1.1", 2027, "0901", "0901-0001", "090", "423", "06", "Primer donator", "Kofinansiranje obuke (primer)", "50000.00", "", "0"],
    ["1.2.1", 2027, "0901", "0901-P1", "090", "481", "01", "", "Dotacija udruženju (primer)", "300.000,00", "", "0"],
]


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportView(ScopedObjectView, View):
    """One budget table of the plan as XLSX or CSV (the same rows and totals as the page)."""

    model = Plan
    action = "view"

    def get(self, request, pk, name, fmt):
        if name not in TABLES or fmt not in FORMATS:
            raise Http404
        plan = self.get_scoped_object()
        year = chosen_year(plan, request.GET.get("year"))
        headers, rows = table(summary(plan, year), name)
        content, content_type = render_table(fmt, headers, rows, title=name)
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=plan, details={"table": name, "format": fmt})
        return _attachment(content, content_type, f"plan-{plan.pk}-{name}-{year or 'all'}.{fmt}")


class SampleView(ScopedView, View):
    """The sample budget table to fill in (the layout the import reads)."""

    def get(self, request, fmt):
        if fmt not in FORMATS:
            raise Http404
        content, content_type = render_table(fmt, SAMPLE_HEADERS, SAMPLE_ROWS, title="budzet")
        return _attachment(content, content_type, f"budget-sample.{fmt}")


class ImportView(ScopedObjectView, View):
    """Import budget lines from a table: every error by row and column, nothing saved on any error."""

    model = Plan
    action = "change"
    template_name = "action_plans/import.html"

    def get(self, request, pk):
        return render(request, self.template_name, {"plan": self.get_scoped_object(), "form": ImportForm(),
                                                    "headers": SAMPLE_HEADERS})

    def post(self, request, pk):
        plan = self.get_scoped_object()
        form = ImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", _t("The file is larger than 5 MB."))
            else:
                try:
                    lines = import_budget(user=request.user, plan=plan, name=upload.name, data=upload.read())
                except ImportRefused as refused:
                    errors = [str(e) for e in refused.errors]
                except ValidationError as error:  # the plan itself refuses (adopted, no amendment open)
                    form.add_error(None, " ".join(error.messages))
                else:
                    messages.success(request, _t("%(n)s budget lines are imported.") % {"n": len(lines)})
                    return HttpResponseRedirect(reverse("action_plans:budget", kwargs={"pk": plan.pk}))
        return render(request, self.template_name, {"plan": plan, "form": form, "errors": errors,
                                                    "headers": SAMPLE_HEADERS})


class PlanPdfView(ScopedObjectView, View):
    """The plan as a PDF in the reader's language and script."""

    model = Plan
    action = "view"
    select_related = ("municipality",)

    def get(self, request, pk):
        plan = self.get_scoped_object()
        language = translation.get_language()
        content = plan_pdf(plan, language)
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=plan, details={"format": "pdf", "language": language})
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="plan-{plan.pk}.pdf"'
        return response
