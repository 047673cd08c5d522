"""Materials: the catalogue with the stock left, new materials, distributions; coverage entries."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView

from ..forms import CoverageForm, DistributionForm, MaterialEditForm, MaterialForm, StockForm
from ..models import Distribution, Material, MaterialStock, MediaCoverage, PublicPageSetting
from ..querysets import MANAGE
from ..services import clippings as clipping_services
from ..services import materials as services
from .events import EventView, detail_url


def _may_manage(user) -> bool:
    return bool(user.access.municipalities_with(MANAGE))


class MaterialListView(ScopedView, View):
    """The catalogue of the user's municipalities with copies received, handed out and left."""

    def get(self, request):
        user = request.user
        materials = list(Material.objects.visible_to(user).select_related("municipality").order_by("title", "id"))
        ids = [m.pk for m in materials]
        received = dict(MaterialStock.objects.filter(material_id__in=ids).values("material_id")
                        .annotate(n=Sum("copies")).values_list("material_id", "n"))
        given = dict(Distribution.objects.filter(material_id__in=ids).values("material_id")
                     .annotate(n=Sum("copies")).values_list("material_id", "n"))
        for material in materials:
            material.received = received.get(material.pk, 0)
            material.given = given.get(material.pk, 0)
            material.left = material.received - material.given
        distributions = list(Distribution.objects.visible_to(user).select_related("material", "institution")[:50])
        settings_rows = list(PublicPageSetting.objects.visible_to(user, "change").select_related("municipality"))
        managed = user.access.municipalities_with(MANAGE)
        return render(request, "events/materials.html", {
            "materials": materials, "distributions": distributions, "can_manage": _may_manage(user),
            "managed_ids": set(managed),
            "public_settings": {row.municipality_id: row.enabled for row in settings_rows},
            "managed_municipalities": list(Material._meta.get_field("municipality").related_model.objects
                                           .filter(pk__in=managed).order_by("name")),
        })


class MaterialCreateView(ScopedView, View):
    template_name = "events/material_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_manage(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": MaterialForm()})

    def post(self, request):
        form = MaterialForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        data = form.cleaned_data
        municipality_id = sorted(request.user.access.municipalities_with(MANAGE))[0]
        municipality = Material._meta.get_field("municipality").related_model.objects.get(pk=municipality_id)
        try:
            services.material_create(user=request.user, municipality=municipality, title=data["title"],
                                     kind=data["kind"], languages=data.get("languages") or [],
                                     audience=data.get("audience", ""), material_version=data.get("material_version", ""),
                                     file=data.get("file"), copies=data.get("copies"))
        except ValidationError as error:
            apply_service_errors(form, error)
            return render(request, self.template_name, {"form": form})
        messages.success(request, _t("The material is in the catalogue."))
        return HttpResponseRedirect(reverse("events:material_list"))


class DistributionCreateView(ScopedView, View):
    template_name = "events/distribution_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _may_manage(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = DistributionForm(user=request.user, initial={"distributed_on": timezone.localdate()})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = DistributionForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        data = form.cleaned_data
        try:
            services.distribution_record(user=request.user, material=data["material"], copies=data["copies"],
                                         distributed_on=data["distributed_on"], institution=data.get("institution"),
                                         info_desk=data.get("info_desk", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
            return render(request, self.template_name, {"form": form})
        messages.success(request, _t("The distribution is recorded."))
        return HttpResponseRedirect(reverse("events:material_list"))


class PublicPageToggleView(ScopedView, View):
    """Turn a municipality's public page on or off (coordinators)."""

    def post(self, request):
        try:
            municipality_id = int(request.POST.get("municipality", ""))
        except ValueError:
            raise Http404 from None
        enabled = request.POST.get("enabled") == "on"
        services.public_page_set(user=request.user, municipality_id=municipality_id, enabled=enabled)
        messages.success(request, _t("The public page is on.") if enabled else _t("The public page is off."))
        return HttpResponseRedirect(reverse("events:material_list"))


class CoverageAddView(EventView, View):
    """A media report about the event, with an optional clipping (its own page when the input is refused)."""

    action = "change"
    template_name = "events/coverage_form.html"

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "event": self.event})

    def get(self, request, pk):
        return self.render(CoverageForm(initial={"published_on": timezone.localdate()}))

    def post(self, request, pk):
        form = CoverageForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        try:
            clipping_services.coverage_add(user=request.user, event=self.event, outlet=data["outlet"], kind=data["kind"],
                                           published_on=data["published_on"], link=data.get("link") or "",
                                           clipping=data.get("clipping"))
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.render(form)
        messages.success(request, _t("The coverage entry is saved."))
        return HttpResponseRedirect(detail_url(self.event, "coverage"))


class CoverageClippingView(EventView, View):
    """A coverage entry's clipping, for those who see the event: an attachment of its recognised type."""

    def get(self, request, pk, coverage_pk):
        row = self.child_row(MediaCoverage, coverage_pk, parent_field="event", action="view")
        if not row.clipping:
            raise Http404
        return clipping_services.clipping_response(row.clipping, name=row.clipping_name, mime=row.clipping_type)


class MaterialFileView(ScopedView, View):
    """A material's file, for the members of its municipality (files are not served publicly)."""

    def get(self, request, pk):
        material = self.scoped_row(Material, pk, action="view")
        if not material.file:
            raise Http404
        extension = material.file.name.rsplit(".", 1)[-1] if "." in material.file.name else "bin"
        response = FileResponse(material.file.open("rb"), as_attachment=True,
                                filename=f"{slugify(material.title) or 'material'}.{extension}")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ClippingView(EventView, View):
    """A media activity's clipping, for those who see the event: an attachment of its recognised type."""

    def get(self, request, pk):
        event = self.event
        if not event.media_clipping:
            raise Http404
        return clipping_services.clipping_response(event.media_clipping, name=event.media_clipping_name,
                                                   mime=event.media_clipping_type)


class _ManagedMaterialView(ScopedView, View):
    """A page about one material of the URL that the user's municipality keeps (404 otherwise)."""

    def material(self, pk) -> Material:
        return self.scoped_row(Material, pk, action="change", select_related=("municipality",))


class MaterialEditView(_ManagedMaterialView):
    """Change a catalogue entry (optimistic locking), with its stock movements and distributions."""

    template_name = "events/material_edit.html"

    def render(self, material, form, conflict=None):
        received = MaterialStock.objects.filter(material_id=material.pk).aggregate(n=Sum("copies"))["n"] or 0
        given = Distribution.objects.filter(material_id=material.pk).aggregate(n=Sum("copies"))["n"] or 0
        return render(self.request, self.template_name, {
            "material": material, "form": form, "conflict": conflict, "received": received, "given": given,
            "left": received - given,
            "movements": list(MaterialStock.objects.visible_to(self.request.user).filter(material_id=material.pk)
                              .select_related("created_by")[:100]),
            "distributions": list(Distribution.objects.visible_to(self.request.user).filter(material_id=material.pk)
                                  .select_related("institution")[:100]),
        })

    def get(self, request, pk):
        material = self.material(pk)
        initial = {name: getattr(material, name) for name in services.MATERIAL_FIELDS}
        initial["version"] = material.version
        return self.render(material, MaterialEditForm(initial=initial))

    def post(self, request, pk):
        material = self.material(pk)
        form = MaterialEditForm(request.POST)
        if not form.is_valid():
            return self.render(material, form)
        data = form.cleaned_data
        try:
            services.material_update(user=request.user, material=material, version=data["version"],
                                     **{name: data.get(name) or ([] if name == "languages" else "")
                                        for name in services.MATERIAL_FIELDS})
        except ValidationError as error:
            conflict = apply_service_errors(form, error)
            return self.render(self.material(pk), form, conflict)
        messages.success(request, _t("The material is saved."))
        return HttpResponseRedirect(reverse("events:material_edit", args=[pk]))


class StockAddView(_ManagedMaterialView):
    """Record copies received (a stock movement)."""

    template_name = "events/stock_form.html"

    def get(self, request, pk):
        material = self.material(pk)
        form = StockForm(initial={"received_on": timezone.localdate()})
        return render(request, self.template_name, {"material": material, "form": form})

    def post(self, request, pk):
        material = self.material(pk)
        form = StockForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.stock_add(user=request.user, material=material, copies=data["copies"],
                                   received_on=data["received_on"], note=data.get("note", ""))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The copies received are recorded."))
                return HttpResponseRedirect(reverse("events:material_edit", args=[pk]))
        return render(request, self.template_name, {"material": material, "form": form})
