"""Coordination areas (one per basic public prosecutor's office): platform admins create and edit
them; everyone else gets 404."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from apps.cases.views.case import apply_service_errors

from ..forms_meetings import AreaForm
from ..models import CoordinationArea
from ..services.areas import area_save


class PlatformAdminOnly(LoginRequiredMixin):
    """Platform admins only (404 for everyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_platform_admin:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AreaListView(PlatformAdminOnly, View):
    """Every coordination area with its municipalities."""

    def get(self, request):
        areas = (
            CoordinationArea.objects.visible_to(request.user)
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
        return get_object_or_404(CoordinationArea.objects.visible_to(self.request.user, "change"), pk=pk)

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



