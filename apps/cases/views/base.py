"""The base of every case page: the case of the URL through the shared scoped base
(``Case.objects.visible_to(user, action)``, 404 otherwise), its rows looked up inside it, and the one
form page that calls a service (drafts kept, service errors on the fields, conflicts shown with what
changed)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from apps.core.service_errors import apply_service_errors, conflict_context
from apps.core.views_scoped import ScopedObjectView

from ..choices import CaseStatus
from ..models import Case
from ..querysets import mark_visible, on_team
from ..selectors.case_rows import load_visible_case
from .draft_forms import DraftFormMixin

CASE_SELECT = ("lead_institution", "opened_by", "municipality", "proposed_for_conference_by")
TEAM_ONLY_MESSAGE = _("Only the case team can do this; the case was shared with you for your part of the work.")


def case_url(case, anchor: str = "") -> str:
    """The case page (an anchor picks the section)."""
    pk = case.pk if isinstance(case, Case) else case
    url = reverse("cases:detail", kwargs={"pk": pk})
    return f"{url}#{anchor}" if anchor else url


class CaseView(ScopedObjectView):
    """A page about the case of the URL.

    ``team_only`` pages also need the case team scope (``listed_for``): someone who sees the case only
    through a grant (an accepted referral) reads it but records nothing on it (403)."""

    model = Case
    action = "view"
    select_related = CASE_SELECT
    team_only = False
    team_only_message = TEAM_ONLY_MESSAGE
    section = ""  # the case page's section the page returns to

    def setup_scoped(self, request, *args, **kwargs) -> None:
        case = self.get_scoped_object()
        if self.team_only and not on_team(request.user, case):
            raise PermissionDenied(self.team_only_message)

    def load_object(self):
        # The case rule does not depend on the action: one fixed statement reads the case of
        # ``visible_to`` with its related rows and whether the user is on its team (selectors/case_rows.py).
        user = self.request.user
        applies, case = load_visible_case(user, self.kwargs[self.pk_url_kwarg])
        if not applies:
            return mark_visible(super().load_object(), user)
        if case is None:
            raise Http404
        return case

    @property
    def case(self) -> Case:
        return self.get_scoped_object()

    def get_case(self) -> Case:
        return self.get_scoped_object()

    def case_row(self, model, pk, *, select_related=(), **filters):
        """A row of this case the user may see (404 otherwise, also for a row of another case)."""
        return self.child_row(model, pk, parent_field="case", action="view", select_related=select_related, **filters)

    def detail_url(self, anchor: str | None = None) -> str:
        return case_url(self.kwargs[self.pk_url_kwarg], self.section if anchor is None else anchor)

    def get_success_url(self):
        return self.detail_url()

    def success(self, message):
        """Redirect to the case page's section with a message (for ``save`` methods that say more)."""
        messages.success(self.request, message)
        return HttpResponseRedirect(self.detail_url())

    def audit_details(self) -> dict:
        """Where the read happened (the readers panel names it) and of which case."""
        return {"view": self.page_name, "case": self.case.pk}

    def audit_page_read(self, obj=None, **details) -> None:
        """A case page was read: one audit VIEW entry."""
        self.audit_read(obj, **self.audit_details(), **details)


class CaseFormView(DraftFormMixin, CaseView, FormView):
    """A form about one case that calls a service.

    GET shows the form (restored from the user's draft when ``draft_form`` is set; the read is
    audited); POST validates it and calls ``save``: a ValidationError goes back onto the fields (or
    ``field_aliases``), a version conflict is shown with what changed (``conflict_response``). ``save``
    returns the saved row (it must be one the user may see: a second wall behind the service) or a
    response of its own."""

    action = "change"
    field_aliases: dict = {}
    partial_template = ""  # the form alone, for htmx requests (opened inside the case page)
    permission_as_form_error = False  # a service's PermissionDenied shown on the form instead of 403
    success_message = _("Saved.")
    title = ""
    submit_label = _("Save")

    def get_form(self, form_class=None):
        return self.restore_draft(super().get_form(form_class))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(self.form_context_kwargs())
        return kwargs

    def form_context_kwargs(self) -> dict:
        """What the form is told about the page (most forms narrow their choices to the user and case)."""
        return {"user": self.request.user, "case": self.case}

    def get(self, request, *args, **kwargs):
        self.audit_page_read()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            case=self.case, case_closed=self.case.status == CaseStatus.CLOSED, section=self.section,
            title=self.title, submit_label=self.submit_label, back_url=self.detail_url(),
        )
        ctx.update(self.draft_context())
        return ctx

    def get_template_names(self):
        if self.partial_template and self.request.method == "GET" and getattr(self.request, "htmx", False):
            # Opened inside the case page's side panel: the form alone, posting to this page.
            return [self.partial_template]
        return super().get_template_names()

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.partial_template:
            patch_vary_headers(response, ("HX-Request",))
        return response

    def save(self, form):  # pragma: no cover - every form page defines it
        """Call the service; returns the saved row (or a response)."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                result = self.save(form)
                if not isinstance(result, HttpResponseBase) and hasattr(result, "_meta"):
                    model = type(result)
                    if not model._default_manager.visible_to(self.request.user).filter(pk=result.pk).exists():
                        transaction.set_rollback(True)
                        raise Http404
        except ValidationError as error:
            conflict = apply_service_errors(form, error, self.field_aliases)
            if conflict is not None:
                return self.conflict_response(form, conflict)
            return self.form_invalid(form)
        except PermissionDenied as error:
            if not self.permission_as_form_error:
                raise
            form.add_error(None, str(error) or _t("You cannot do this on this case."))
            return self.form_invalid(form)
        self.discard_draft()
        if isinstance(result, HttpResponseBase):
            return result
        self.object = result
        self.saved(result)
        return HttpResponseRedirect(self.get_success_url())

    def conflict_response(self, form, conflict):
        """Someone saved meanwhile: the form again with what changed and the stored version."""
        self.reload_object()
        return self.render_to_response(self.get_context_data(form=form, **conflict_context(conflict)))

    def saved(self, obj) -> None:
        """The message after a successful save."""
        messages.success(self.request, self.success_message)
