"""The coordinator's retention pages: the proposals of her municipality and her decision on each."""
from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from apps.core.locking import VersionConflict
from apps.core.views_scoped import ScopedObjectView, ScopedView

from ..models import Case, RetentionRun
from ..services import retention


class RetentionListView(ScopedView, TemplateView):
    """Every proposal of the municipalities the user coordinates, newest first."""

    model = RetentionRun
    template_name = "cases/retention/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = list(self.get_queryset().select_related("municipality", "confirmed_by")[:100])
        return context


class RetentionRunView(ScopedObjectView, TemplateView):
    """One proposal: how many cases, closed when, their numbers; confirm or cancel it."""

    model = RetentionRun
    template_name = "cases/retention/run.html"
    select_related = ("municipality", "confirmed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_scoped_object()
        # The numbers she may see (a restricted case stays hidden, and is only counted).
        cases = list(Case.objects.visible_to(self.request.user).filter(pk__in=run.case_ids)
                     .only("pk", "number", "municipality_id", "reported_at", "closed_at", "anonymised_at")
                     .order_by("closed_at"))
        by_year = Counter(timezone.localtime(c.closed_at).year for c in cases if c.closed_at)
        context.update(run=run, cases=cases, hidden=len(run.case_ids) - len(cases), by_year=sorted(by_year.items()),
                       years=retention.retention_years(run.municipality))
        return context

    def post(self, request, *args, **kwargs):
        run = self.get_scoped_object()
        decide = retention.confirm if request.POST.get("decision") == "confirm" else retention.cancel
        try:
            decide(run, user=request.user, version=request.POST.get("version"))
        except VersionConflict:
            messages.error(request, _("Someone decided on this proposal meanwhile; here is what is stored now."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if decide is retention.confirm:
                messages.success(request, _("Confirmed: the cases are being anonymised."))
            else:
                messages.success(request, _("Cancelled: nothing was changed."))
        return redirect("cases:retention_run", pk=run.pk)
