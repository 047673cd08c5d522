"""The victim's consent to share the case: recording it and its withdrawal."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..forms_records import (
    ConsentForm,
    ConsentWithdrawForm,
)
from ..models import (
    Consent,
)
from ..services.consent import consent_record, consent_withdraw
from .base import CaseFormView

# --- consent --------------------------------------------------------------------------------------


class ConsentAddView(CaseFormView):
    """Record a victim's consent to share the case with named institutions."""

    template_name = "cases/records/consent_form.html"
    form_class = ConsentForm
    section = "consent"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["has_victims"] = ctx["form"].fields["person"].queryset.exists()
        return ctx

    def save(self, form):
        data = form.cleaned_data
        return consent_record(
            user=self.request.user,
            case=self.case,
            person=data["person"],
            given_at=data["given_at"],
            expires_at=data.get("expires_at"),
            scope=data["scope"],
            method=data["method"],
            institutions=list(data["institutions"]),
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The consent was recorded."))


class ConsentWithdrawView(CaseFormView):
    """Record that the victim withdrew a consent."""

    template_name = "cases/records/consent_withdraw.html"
    form_class = ConsentWithdrawForm
    section = "consent"

    def get_consent(self):
        return get_object_or_404(
            Consent.objects.visible_to(self.request.user).select_related("person").prefetch_related("institutions"),
            pk=self.kwargs["consent_pk"],
            case_id=self.case.pk,
        )

    def get(self, request, *args, **kwargs):
        self.consent = self.get_consent()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.consent = self.get_consent()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["consent"] = self.consent
        return ctx

    def save(self, form):
        return consent_withdraw(
            user=self.request.user, consent=self.consent, withdrawn_at=form.cleaned_data["withdrawn_at"]
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The withdrawal of the consent was recorded."))
