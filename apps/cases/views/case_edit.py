"""Changing the case itself: the summary, the lead institution and the restricted flag (with version
checks), the status workflow, and proposing the case for a case conference."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _t
from django.views import View

from ..choices import CaseStatus
from ..forms_case import CaseEditForm, CaseStatusForm
from ..models import Case, CaseStatusChange
from ..selectors.lists import WIDE_PERMISSION
from ..services import cases as case_services
from ..services.cases import STAFF_ROLES
from .base import CaseFormView, CaseView
from .notices import proposed_message


def may_steer(user, case: Case) -> bool:
    """Staff of the lead institution and the municipality's coordinators decide the lead and the
    restricted flag (the service checks the same)."""
    access = user.access
    if case.lead_institution_id in access.institution_ids(*STAFF_ROLES):
        return True
    return case.municipality_id in access.municipalities_with(WIDE_PERMISSION)


class CaseChangeFormView(CaseFormView):
    """A form about the case row itself (its version travels in the form): built by ``make_form``."""

    permission_as_form_error = True

    def make_form(self, data=None):  # pragma: no cover - every page defines it
        raise NotImplementedError

    def get_form(self, form_class=None):
        return self.make_form(self.request.POST if self.request.method == "POST" else None)


class CaseEditView(CaseChangeFormView):
    """Edit the summary (everyone on the team), the lead institution and the restricted flag (leads)."""

    template_name = "cases/form_edit.html"
    # The consent rule speaks of the institution joining the team: here that is the new lead.
    field_aliases = {"institution": "lead_institution"}

    def make_form(self, data=None):
        case = self.case
        steer = may_steer(self.request.user, case)
        initial = {
            "version": case.version,
            "summary": case.summary,
            "lead_institution": case.lead_institution_id,
            "is_restricted": case.is_restricted,
        }
        form = CaseEditForm(data, initial=initial, user=self.request.user, case=case, may_steer=steer)
        if steer and not case_services.is_immediate_danger(case):
            # The reason is only ever asked for under immediate danger (the service's consent rule).
            form.fields["override_reason"].widget = forms.HiddenInput()
        return form

    def render_to_response(self, context, **response_kwargs):
        form = context.get("form")
        field = form.fields.get("override_reason") if form is not None else None
        if field is not None and "override_reason" in form.errors and field.widget.is_hidden:
            field.widget = forms.Textarea(attrs={"rows": 2})
        return super().render_to_response(context, **response_kwargs)

    def save(self, form):
        data = form.cleaned_data
        kwargs = {"summary": data["summary"]}
        if form.may_steer:
            kwargs.update(
                is_restricted=data["is_restricted"],
                lead_institution=data["lead_institution"],
                override_reason=data.get("override_reason", ""),
            )
        case_services.case_update(user=self.request.user, case=self.case, expected_version=data["version"], **kwargs)
        return self.success(_t("The case is saved."))


class CaseStatusView(CaseChangeFormView):
    """Change the status (the allowed moves only), close with a reason, reopen."""

    template_name = "cases/form_status.html"

    def make_form(self, data=None):
        case = self.case
        return CaseStatusForm(data, initial={"version": case.version}, case=case)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["history"] = (
            CaseStatusChange.objects.visible_to(self.request.user)
            .filter(case_id=self.case.pk)
            .select_related("changed_by")
            .order_by("-changed_at", "-id")
        )
        return ctx

    def save(self, form):
        data = form.cleaned_data
        label = CaseStatus(data["to_status"]).label
        case_services.case_change_status(
            user=self.request.user,
            case=self.case,
            to_status=data["to_status"],
            expected_version=data["version"],
            closure_reason=data["closure_reason"] if data["to_status"] == CaseStatus.CLOSED else "",
            note=data["note"],
        )
        return self.success(_t("The case status is now “%(status)s”.") % {"status": label})


class ProposeConferenceView(CaseView, View):
    """Propose the case for the next case conference (POST)."""

    action = "change"

    def post(self, request, pk):
        case = self.case
        already = case.proposed_for_conference_at is not None
        try:
            case_services.case_propose_for_conference(user=request.user, case=case)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            if already:
                messages.info(request, proposed_message(request.user, case, already=True))
            else:
                messages.success(request, proposed_message(request.user, case))
        return HttpResponseRedirect(self.detail_url())
