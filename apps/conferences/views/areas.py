"""Coordination areas (one per basic public prosecutor's office): platform admins create and edit
them; everyone else gets 404."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView

from ..forms_meetings import AreaForm
from ..models import CoordinationArea
from ..services.areas import area_save


class PlatformAdminOnly(ScopedView):
    """Platform admins only (404 for everyone else); areas from ``CoordinationArea.objects.visible_to``."""

    model = CoordinationArea

    def setup_scoped(self, request, *args, **kwargs):
        if not request.user.is_platform_admin:
            raise Http404


class AreaListView(PlatformAdminOnly, View):
    """Every coordination area with its municipalities."""

    def get(self, request):
        areas = (
            self.get_queryset()
            .select_related("municipality", "prosecutor_office")
            .prefetch_related("members__municipality")
            .order_by("name")
        )
        return render(request, "conferences/areas/list.html", {"areas": areas})


class AreaFormView(PlatformAdminOnly, View):
    """Create (no pk) or edit an area."""

    template_name = "conferences/areas/form.html"

    def get_area(self, pk):
        if pk is None:
            return None
        return self.scoped_row(CoordinationArea, pk, action="change")

    def initial(self, area) -> dict:
        if area is None:
            return {"meeting_interval_days": 15, "is_active": True}
        return {
            "name": area.name, "name_cyrl": area.name_cyrl, "municipality": area.municipality_id,
            "prosecutor_office": area.prosecutor_office_id, "meeting_interval_days": area.meeting_interval_days,
            "is_active": area.is_active,
            "municipalities": list(area.members.values_list("municipality_id", flat=True)),
            "institutions": list(area.member_institutions.values_list("institution_id", flat=True)),
        }

    def get(self, request, pk=None):
        area = self.get_area(pk)
        return render(request, self.template_name, {"area": area, "form": AreaForm(initial=self.initial(area))})

    def post(self, request, pk=None):
        area = self.get_area(pk)
        form = AreaForm(request.POST)
        if form.is_valid():
            try:
                area = area_save(user=request.user, area=area, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The coordination area is saved."))
                return HttpResponseRedirect(reverse("conferences:area_list"))
        return render(request, self.template_name, {"area": area, "form": form})
