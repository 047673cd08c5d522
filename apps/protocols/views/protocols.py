"""Protocol pages: the list (national templates and the municipality's own), a version with its steps
by sector, editing a draft, adoption, the next version, differences, the PDF."""
from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import post_service, run_service
from apps.core.views_scoped import ScopedObjectView, ScopedView

from ..choices import VersionStatus
from ..forms import AdoptForm, ProtocolForm, StepForm, VersionForm
from ..models import Protocol, ProtocolStep, ProtocolVersion
from ..pdf import version_pdf
from ..querysets import managed_municipalities
from ..selectors.protocols import differences, previous_version, steps_by_sector
from ..services import protocols as services


class ProtocolListView(ScopedView, View):
    """National templates and the protocols of the user's municipalities."""

    model = Protocol

    def get(self, request):
        protocols = self.get_queryset().select_related("municipality").prefetch_related("versions")
        may_create = request.user.is_platform_admin or managed_municipalities(request.user).exists()
        return render(request, "protocols/protocol_list.html", {
            "national": [p for p in protocols if p.municipality_id is None],
            "municipal": [p for p in protocols if p.municipality_id is not None],
            "may_create": may_create,
        })


class ProtocolCreateView(ScopedView, View):
    """Platform admins publish a national template; coordinators adapt one for their municipality."""

    model = Protocol
    template_name = "protocols/protocol_form.html"

    def setup_scoped(self, request, *args, **kwargs):
        self.municipality = managed_municipalities(request.user).first()
        if self.municipality is None and not request.user.is_platform_admin:
            raise Http404

    def get(self, request):
        return render(request, self.template_name, {"form": ProtocolForm(user=request.user)})

    def post(self, request):
        form = ProtocolForm(request.POST, user=request.user)
        if form.is_valid():
            created = {}

            def call():
                created["p"] = services.protocol_create(user=request.user, municipality=self.municipality,
                                                        **form.cleaned_data)

            done = run_service(request, form, call, success=_t("The protocol is created as a draft."),
                               redirect_to="")
            if done is not None:
                return HttpResponseRedirect(reverse("protocols:protocol_detail", args=[created["p"].pk]))
        return render(request, self.template_name, {"form": form})


class ProtocolDetailView(ScopedObjectView, View):
    """A protocol: its versions; the current version shown."""

    model = Protocol

    def get(self, request, pk):
        protocol = self.get_scoped_object()
        version = services.current_version(protocol)
        if version is None:
            raise Http404
        return HttpResponseRedirect(reverse("protocols:version_detail", args=[version.pk]))


class VersionNewView(ScopedObjectView, View):
    """Start the next draft of a protocol (POST)."""

    model = Protocol
    action = "change"

    def post(self, request, pk):
        protocol = self.get_scoped_object()
        made = {}

        def call():
            made["v"] = services.version_new(user=request.user, protocol=protocol)

        response = post_service(request, call, success=_t("A new draft version is started."),
                                redirect_to=reverse("protocols:protocol_detail", args=[pk]))
        if made:
            return HttpResponseRedirect(reverse("protocols:version_detail", args=[made["v"].pk]))
        return response


class VersionView(ScopedObjectView):
    model = ProtocolVersion
    select_related = ("protocol", "protocol__municipality")

    def may_change(self) -> bool:
        version = self.get_scoped_object()
        return version.is_draft and ProtocolVersion.objects.visible_to(self.request.user, "change").filter(
            pk=version.pk).exists()


class VersionDetailView(VersionView, View):
    """One version: preamble, steps by sector, the other versions, what may be done."""

    def get(self, request, pk):
        version = self.get_scoped_object()
        protocol = version.protocol
        return render(request, "protocols/version_detail.html", {
            "version": version, "protocol": protocol, "sectors": steps_by_sector(version),
            "versions": protocol.versions.order_by("-number"), "may_change": self.may_change(),
            "may_start_version": Protocol.objects.visible_to(request.user, "change").filter(pk=protocol.pk).exists()
            and not protocol.versions.filter(status=VersionStatus.DRAFT).exists(),
            "previous": previous_version(version),
            "adopt_form": AdoptForm(initial={"version": version.version}),
        })


class DraftView(VersionView):
    action = "change"

    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        if not self.get_scoped_object().is_draft:
            raise Http404


class VersionEditView(DraftView, View):
    """The preamble of a draft."""

    template_name = "protocols/version_form.html"

    def get(self, request, pk):
        version = self.get_scoped_object()
        form = VersionForm(initial={"version": version.version, "preamble": version.preamble,
                                    "preamble_cyrl": version.preamble_cyrl, "preamble_en": version.preamble_en})
        return render(request, self.template_name, {"version": version, "form": form})

    def post(self, request, pk):
        version = self.get_scoped_object()
        form = VersionForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("version")
            done = run_service(request, form, lambda: services.version_save(
                user=request.user, version=version, expected_version=expected, **data),
                success=_t("The draft is saved."), redirect_to=reverse("protocols:version_detail", args=[pk]))
            if done:
                return done
        return render(request, self.template_name, {"version": version, "form": form})


class StepFormView(DraftView, View):
    """Add (no step_pk) or change a step of a draft."""

    template_name = "protocols/step_form.html"

    def get_step(self):
        step_pk = self.kwargs.get("step_pk")
        return None if step_pk is None else self.child_row(ProtocolStep, step_pk, parent_field="protocol_version")

    def get(self, request, pk, step_pk=None):
        version, step = self.get_scoped_object(), self.get_step()
        initial = {"version": version.version, "time_unit": "hours"}
        if step is not None:
            initial.update({name: getattr(step, name) for name in services.STEP_FIELDS})
        return render(request, self.template_name, {"version": version, "step": step, "form": StepForm(initial=initial)})

    def post(self, request, pk, step_pk=None):
        version, step = self.get_scoped_object(), self.get_step()
        form = StepForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("version")
            done = run_service(request, form, lambda: services.step_save(
                user=request.user, version=version, step=step, expected_version=expected, **data),
                success=_t("The step is saved."), redirect_to=reverse("protocols:version_detail", args=[pk]))
            if done:
                return done
        return render(request, self.template_name, {"version": version, "step": step, "form": form})


class StepDeleteView(DraftView, View):
    """Remove a step of a draft (POST)."""

    def post(self, request, pk, step_pk):
        version = self.get_scoped_object()
        step = self.child_row(ProtocolStep, step_pk, parent_field="protocol_version")
        return post_service(request, lambda: services.step_delete(
            user=request.user, version=version, step=step, expected_version=request.POST.get("version")),
            success=_t("The step is removed."), redirect_to=reverse("protocols:version_detail", args=[pk]))


class VersionAdoptView(DraftView, View):
    """Adopt a draft: date and decision number."""

    def post(self, request, pk):
        version = self.get_scoped_object()
        form = AdoptForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            done = run_service(request, form, lambda: services.version_adopt(
                user=request.user, version=version, expected_version=data["version"],
                adopted_on=data["adopted_on"], decision_number=data["decision_number"]),
                success=_t("The version is adopted; it will not change any more."),
                redirect_to=reverse("protocols:version_detail", args=[pk]))
            if done:
                return done
        return render(request, "protocols/version_adopt.html", {"version": version, "form": form})


class VersionDiffView(VersionView, View):
    """What changed from the previous version."""

    def get(self, request, pk):
        version = self.get_scoped_object()
        previous = previous_version(version)
        changes = differences(previous, version) if previous else []
        return render(request, "protocols/version_diff.html",
                      {"version": version, "previous": previous, "changes": changes})


class VersionPdfView(VersionView, View):
    """The PDF of an adopted (or superseded) version."""

    def get(self, request, pk):
        version = self.get_scoped_object()
        if version.is_draft:
            raise Http404
        data = version_pdf(version, request=request)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="protocol-{version.protocol_id}-v{version.number}.pdf"'
        return response
