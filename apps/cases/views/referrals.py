"""Referrals between institutions: sending, answering (the receiving institution, which may not see the
case yet) and completing."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView

from ..forms_measures import (
    ReferralAnswerForm,
    ReferralSendForm,
)
from ..models import (
    Referral,
)
from ..querysets import CASE_ROLES
from ..services import referrals as referral_services
from .base import CaseFormView, case_url
from .deadline_rows import referral_wait_text
from .plans import team_institution_ids

# --- referrals ------------------------------------------------------------------------------------


def received_referral(user, referral_pk: int, case_pk: int) -> Referral:
    """A referral addressed to one of the user's institutions (the receiving side may answer it
    before it can see the case), else 404."""
    access = getattr(user, "access", None)
    if access is None:
        raise Http404
    found = (
        Referral.objects.addressed_to(user)
        .select_related("case", "from_institution", "to_institution", "to_institution__municipality")
        .filter(pk=referral_pk, case_id=case_pk)
        .first()
    )
    if found is not None:
        return found
    if Referral.objects.visible_to(user).filter(pk=referral_pk, case_id=case_pk).exists():
        # Seen with the case (e.g. by a coordinator), but only the receiving institution answers.
        raise PermissionDenied(_("Only the institution the case was referred to answers the referral."))
    raise Http404


class ReferralSendView(CaseFormView):
    """Refer the case to an institution, also of another municipality (e.g. a safe house)."""

    template_name = "cases/measures/form.html"
    form_class = ReferralSendForm
    title = _("Refer the case to another institution")
    section = "referrals"
    team_only = True

    def form_context_kwargs(self):
        team = set(team_institution_ids(self.case))
        own = sorted(team & set(self.request.user.access.institution_ids(*CASE_ROLES)))
        return {"user": self.request.user, "case": self.case, "own_ids": own}

    def save(self, form):
        d = form.cleaned_data
        referral_services.referral_send(
            user=self.request.user, case=self.case, from_institution=d["from_institution"],
            to_institution=d["to_institution"], reason=d["reason"], urgency=d["urgency"],
            consent_override_reason=d["consent_override_reason"],
        )
        return self.success(_("The referral is sent; the institution will answer it from its work queue."))


class ReferralAnswerView(ScopedView, TemplateView):
    """The receiving institution accepts or declines (it sees the referral, not yet the case)."""

    template_name = "cases/measures/referral_answer.html"
    model = Referral

    def get_referral(self):
        return received_referral(self.request.user, self.kwargs["referral_pk"], self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        referral = self.get_referral()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=referral, details={"view": "referral_answer"})
        return self.render_to_response(self.context(referral, ReferralAnswerForm()))

    def post(self, request, *args, **kwargs):
        referral = self.get_referral()
        form = ReferralAnswerForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == ReferralAnswerForm.ACCEPT:
                    referral_services.referral_accept(user=request.user, referral=referral)
                    messages.success(request, _("The referral is accepted; your institution can now open the case."))
                    return HttpResponseRedirect(case_url(referral.case_id, "referrals"))
                referral_services.referral_decline(
                    user=request.user, referral=referral, reason=form.cleaned_data["decline_reason"]
                )
                messages.success(request, _("The referral is declined; the referring institution sees your reason."))
                return HttpResponseRedirect(reverse("cases:work_queue"))
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return self.render_to_response(self.context(referral, form))

    def context(self, referral, form):
        wait, waiting = referral_wait_text(referral, timezone.now())
        return {"referral": referral, "form": form, "wait_text": wait, "waiting": waiting}


class ReferralCompleteView(ScopedView, View):
    """Either side marks an accepted referral completed; the receiving institution's access ends."""

    model = Referral

    def post(self, request, *args, **kwargs):
        user = request.user
        referral = self.get_queryset().filter(pk=kwargs["referral_pk"], case_id=kwargs["pk"]).first()
        if referral is None:
            referral = received_referral(user, kwargs["referral_pk"], kwargs["pk"])
        received = referral.to_institution_id in user.access.institution_ids(*CASE_ROLES)
        try:
            referral_services.referral_complete(user=user, referral=referral)
        except ValidationError as exc:
            for errors in getattr(exc, "message_dict", {"": exc.messages}).values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(
                reverse("cases:work_queue") if received else case_url(kwargs["pk"], "referrals")
            )
        messages.success(request, _("The referral is completed."))
        if received:
            # The case is no longer shared with the receiving institution.
            return HttpResponseRedirect(reverse("cases:work_queue"))
        return HttpResponseRedirect(case_url(kwargs["pk"], "referrals"))
