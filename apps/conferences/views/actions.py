"""Action-item pages: adding one to a case's part of the minutes, the list (open, overdue, done),
one item, and reporting it done."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction
from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedObjectView, ScopedView

from ..choices import ActionStatus
from ..filters import ACTION_STATUS_CHOICES, ActionItemFilter
from ..forms_minutes import ActionCompleteForm, AgendaItemMinutesForm
from ..models import ActionItem
from ..selectors.actions import action_list
from ..services import actions as action_services
from .minutes import MinutesItemView, action_form_for

PAGE_SIZE = 50


class ActionAddView(MinutesItemView):
    """Add an action item to a case's part of draft minutes (POST; errors re-render the case part)."""

    def get(self, request, pk, item_pk):
        self.get_item()  # 404 unless the user runs the meeting
        return HttpResponseRedirect(reverse("conferences:minutes_item", kwargs={"pk": pk, "item_pk": item_pk}))

    def post(self, request, pk, item_pk):
        item = self.get_item()
        form = action_form_for(self.get_meeting(), item, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action_services.action_item_create(
                    user=request.user, agenda_item=item, description=data["description"],
                    owner_institution=data["owner_institution"], responsible=data.get("responsible"),
                    due_on=data["due_on"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The action item is added."))
                return HttpResponseRedirect(reverse("conferences:minutes_item", kwargs={"pk": pk, "item_pk": item_pk}))
        minutes_form = AgendaItemMinutesForm(
            initial={
                "discussed": item.discussed, "discussion": item.discussion, "decisions": item.decisions,
                "risk_level": item.risk_level, "risk_reason": item.risk_reason, "next_review_on": item.next_review_on,
            },
            case=item.case,
        )
        return self.render_page(minutes_form, action_form=form)


class ActionListView(ScopedView, View):
    """The action items the user may see: open (default), overdue, done, all; of one meeting with
    ``meeting`` (the parameters of filters.ActionItemFilter, as in the API). A parameter that is not
    valid is named in a message above the list, which then shows the default."""

    template_name = "conferences/actions/list.html"

    def get(self, request):
        filters = ActionItemFilter(request.GET or None, default_status=ActionStatus.OPEN)
        if filters.is_bound and not filters.is_valid():
            for field, errors in filters.errors.items():
                label = filters.form.fields[field].label if field in filters.form.fields else field
                messages.error(request, f"{label}: {' '.join(errors)}")
        query = filters.query()
        today = timezone.localdate()
        qs = action_list(request.user, status=query.status, overdue=query.overdue, meeting_id=query.meeting_id, today=today)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        if rows:
            audit_many(action=AuditAction.VIEW, objects=list({a.case_id: a.case for a in rows}.values()),
                       actor=request.user, details={"view": "action_list"})
        keep = {"meeting": query.meeting_id} if query.meeting_id else {}
        return render(request, self.template_name, {
            "page": page, "rows": rows, "shown": query.shown, "today": today,
            "filters": [(value, label, urlencode({"status": value, **keep})) for value, label in ACTION_STATUS_CHOICES],
            "query": urlencode({"status": query.shown, **keep}),
        })


class ActionMixin(ScopedObjectView):
    """A page about the action item of the URL, from the user's visible items (404 otherwise)."""

    model = ActionItem
    select_related = ("case", "owner_institution", "responsible", "meeting", "completed_by")

    def get_action(self) -> ActionItem:
        return self.get_scoped_object()


class ActionDetailView(ActionMixin, View):
    """One action item with its completion."""

    template_name = "conferences/actions/detail.html"

    def get(self, request, pk):
        action = self.get_action()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=action, details={"case": action.case_id})
        may_complete = action.status == ActionStatus.OPEN and action_services.may_complete(request.user, action)
        return render(request, self.template_name, {
            "action": action, "today": timezone.localdate(), "may_complete": may_complete,
            "form": ActionCompleteForm() if may_complete else None,
        })


class ActionCompleteView(ActionMixin, View):
    """Report an action item done, with a note."""

    template_name = "conferences/actions/detail.html"

    def render_page(self, form, status=200):
        action = self.get_action()
        return render(self.request, self.template_name, {
            "action": action, "today": timezone.localdate(), "may_complete": True, "form": form,
        }, status=status)

    def get(self, request, pk):
        action = self.get_action()
        if not action_services.may_complete(request.user, action):
            raise PermissionDenied(_t("Only the owner institution's staff report this action done."))
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=action, details={"case": action.case_id})
        return self.render_page(ActionCompleteForm())

    def post(self, request, pk):
        action = self.get_action()
        if not action_services.may_complete(request.user, action):
            raise PermissionDenied(_t("Only the owner institution's staff report this action done."))
        form = ActionCompleteForm(request.POST)
        if form.is_valid():
            try:
                action_services.action_item_complete(
                    user=request.user, action=action, note=form.cleaned_data["completion_note"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The action item is reported done."))
                return HttpResponseRedirect(reverse("conferences:action_detail", kwargs={"pk": pk}))
        return self.render_page(form)
