"""Conference targets: held meetings against the cadence (aggregates only, no case data)."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from apps.core.views_scoped import ScopedView

from ..selectors.targets import may_see_targets, targets_for
from ..target_panels import panels_for


class TargetsView(ScopedView, View):
    """Coordinators and officials: their municipalities' conferences against the targets."""

    template_name = "conferences/targets/targets.html"

    def get(self, request):
        if not may_see_targets(request.user):
            raise Http404
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        if not 2000 <= year <= today.year + 1:
            year = today.year
        targets = targets_for(request.user, year=year, today=today)
        return render(request, self.template_name, {
            "targets": targets, "year": year, "years": range(today.year - 3, today.year + 1),
            "month_numbers": range(1, 13), "panels": panels_for(request.user, year=year, today=today),
        })
