"""Cooperation agreement pages: the list and who is bound, an agreement with its parties, signatures,
annexes and signed scan (every read of the scan audited), and the coordinator's changes."""
from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import run_service
from apps.core.views_scoped import ScopedObjectView, ScopedView

from ..choices import AgreementStatus
from ..forms import AgreementForm, AnnexForm, PartyForm, ScanForm, SignForm, TerminateForm
from ..models import Agreement, AgreementParty
from ..querysets import SIGN, managed_municipalities, municipality_institutions
from ..services import agreements as services


class AgreementListView(ScopedView, View):
    """The agreements of the user's municipalities, and which institutions each binds."""

    model = Agreement

    def get(self, request):
        agreements = self.get_queryset().select_related("municipality").prefetch_related("parties__institution")
        return render(request, "protocols/agreement_list.html", {
            "agreements": agreements, "may_create": managed_municipalities(request.user).exists(),
        })


class AgreementBoundView(ScopedView, View):
    """The municipality page: which institutions are bound by which agreement in force."""

    model = Agreement

    def get(self, request):
        agreements = list(self.get_queryset().filter(status=AgreementStatus.IN_FORCE)
                          .select_related("municipality").prefetch_related("parties__institution"))
        bound: dict = {}
        outside: dict = {}
        for agreement in agreements:
            for party in agreement.parties.all():
                if party.institution_id:
                    bound.setdefault(party.institution, []).append(agreement)
                else:
                    outside.setdefault(party.outside_name, []).append(agreement)
        rows = sorted(bound.items(), key=lambda kv: (str(kv[0].municipality_id), str(kv[0])))
        return render(request, "protocols/agreement_bound.html",
                      {"rows": rows, "outside": sorted(outside.items()), "agreements": agreements})


class AgreementFormView(ScopedView, View):
    """Create (no pk) or change an agreement (coordinators)."""

    model = Agreement
    action = "change"
    template_name = "protocols/agreement_form.html"

    def setup_scoped(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        self.agreement = None if pk is None else self.scoped_row(Agreement, pk)
        self.municipality = self.agreement.municipality if self.agreement else managed_municipalities(request.user).first()
        if self.municipality is None:
            raise Http404

    def get(self, request, pk=None):
        a = self.agreement
        initial = {} if a is None else {
            "version": a.version, "title": a.title, "subject": a.subject, "protocol": a.protocol_id,
            "valid_from": a.valid_from, "valid_until": a.valid_until,
        }
        return render(request, self.template_name, {"agreement": a, "form": AgreementForm(initial=initial, user=request.user)})

    def post(self, request, pk=None):
        form = AgreementForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("version")
            saved = {}

            def call():
                saved["a"] = services.agreement_save(user=request.user, municipality=self.municipality,
                                                     agreement=self.agreement, expected_version=expected, **data)

            if run_service(request, form, call, success=_t("The agreement is saved."), redirect_to="/"):
                return HttpResponseRedirect(reverse("protocols:agreement_detail", args=[saved["a"].pk]))
        return render(request, self.template_name, {"agreement": self.agreement, "form": form})


class AgreementView(ScopedObjectView):
    model = Agreement
    select_related = ("municipality", "protocol")

    def may_change(self) -> bool:
        return Agreement.objects.visible_to(self.request.user, "change").filter(pk=self.get_scoped_object().pk).exists()


class AgreementDetailView(AgreementView, View):
    """An agreement: parties, signatures, validity, annexes, the scan."""

    def get(self, request, pk):
        agreement = self.get_scoped_object()
        parties = list(agreement.parties.select_related("institution"))
        signable = set(AgreementParty.objects.visible_to(request.user, SIGN).filter(agreement=agreement)
                       .values_list("pk", flat=True))
        may_change = self.may_change()
        party_form = None
        if may_change:
            party_form = PartyForm(user=request.user)
            party_form.fields["institution"].queryset = municipality_institutions(request.user, agreement.municipality_id)
        return render(request, "protocols/agreement_detail.html", {
            "agreement": agreement, "parties": parties, "signable": signable, "may_change": may_change,
            "annexes": agreement.annexes.all(),
            "party_form": party_form,
            "annex_form": AnnexForm() if may_change else None,
            "scan_form": ScanForm(initial={"version": agreement.version}) if may_change else None,
            "terminate_form": TerminateForm(initial={"version": agreement.version}) if may_change else None,
        })


class CoordinatorAgreementView(AgreementView):
    action = "change"


class PartyAddView(CoordinatorAgreementView, View):
    """Add a party (POST)."""

    def post(self, request, pk):
        agreement = self.get_scoped_object()
        form = PartyForm(request.POST, user=request.user)
        form.fields["institution"].queryset = municipality_institutions(request.user, agreement.municipality_id)
        target = reverse("protocols:agreement_detail", args=[pk])
        if form.is_valid():
            done = run_service(request, form, lambda: services.party_add(user=request.user, agreement=agreement,
                                                                          **form.cleaned_data),
                               success=_t("The party is added."), redirect_to=target)
            if done:
                return done
        return render(request, "protocols/party_form.html", {"agreement": agreement, "form": form})


class PartySignView(AgreementView, View):
    """Record a party's signature: its institution's admin or a coordinator."""

    template_name = "protocols/party_sign.html"

    def get_party(self):
        return self.child_row(AgreementParty, self.kwargs["party_pk"], parent_field="agreement", action=SIGN)

    def get(self, request, pk, party_pk):
        party = self.get_party()
        form = SignForm(initial={"signatory_name": party.signatory_name, "signatory_function": party.signatory_function})
        return render(request, self.template_name, {"agreement": self.get_scoped_object(), "party": party, "form": form})

    def post(self, request, pk, party_pk):
        party = self.get_party()
        form = SignForm(request.POST)
        if form.is_valid():
            done = run_service(request, form, lambda: services.party_sign(user=request.user, party=party,
                                                                           **form.cleaned_data),
                               success=_t("The signature is recorded."),
                               redirect_to=reverse("protocols:agreement_detail", args=[pk]))
            if done:
                return done
        return render(request, self.template_name, {"agreement": self.get_scoped_object(), "party": party, "form": form})


class AgreementScanView(AgreementView, View):
    """GET: the signed scan (audited); POST: upload it (coordinators)."""

    def get(self, request, pk):
        agreement = self.get_scoped_object()
        if not agreement.scan:
            raise Http404
        data = services.agreement_scan_read(user=request.user, agreement=agreement)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agreement-{agreement.pk}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def post(self, request, pk):
        if not self.may_change():
            raise Http404
        agreement = self.get_scoped_object()
        form = ScanForm(request.POST, request.FILES)
        target = reverse("protocols:agreement_detail", args=[pk])
        if form.is_valid():
            data = form.cleaned_data["scan"].read()
            done = run_service(request, form, lambda: services.agreement_scan_save(
                user=request.user, agreement=agreement, data=data, expected_version=form.cleaned_data["version"]),
                success=_t("The signed scan is stored."), redirect_to=target)
            if done:
                return done
        return render(request, "protocols/scan_form.html", {"agreement": agreement, "form": form}, status=200)


class AnnexAddView(CoordinatorAgreementView, View):
    """Add an annex (POST)."""

    def post(self, request, pk):
        agreement = self.get_scoped_object()
        form = AnnexForm(request.POST)
        if form.is_valid():
            done = run_service(request, form, lambda: services.annex_add(user=request.user, agreement=agreement,
                                                                          **form.cleaned_data),
                               success=_t("The annex is added."),
                               redirect_to=reverse("protocols:agreement_detail", args=[pk]))
            if done:
                return done
        return render(request, "protocols/annex_form.html", {"agreement": agreement, "form": form})


class AgreementTerminateView(CoordinatorAgreementView, View):
    """End an agreement early (POST)."""

    def post(self, request, pk):
        agreement = self.get_scoped_object()
        form = TerminateForm(request.POST)
        if form.is_valid():
            done = run_service(request, form, lambda: services.agreement_terminate(
                user=request.user, agreement=agreement, expected_version=form.cleaned_data["version"],
                terminated_on=form.cleaned_data["terminated_on"]),
                success=_t("The agreement is terminated."),
                redirect_to=reverse("protocols:agreement_detail", args=[pk]))
            if done:
                return done
        return render(request, "protocols/terminate_form.html", {"agreement": agreement, "form": form})


