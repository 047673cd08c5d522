"""The shared base of the plan pages: the object of the URL from ``visible_to``, a form handled by a
service whose refusals land on the fields they name, nothing saved on any error."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views import View

from apps.core.service_errors import apply_service_errors, conflict_context
from apps.core.views_scoped import ScopedObjectView

from ..models import Plan


class ObjectFormView(ScopedObjectView, View):
    """GET shows ``form_class``; POST validates it and calls ``save(form)``; a service's refusal is put
    on the form (or shown as a version conflict) and the page is shown again."""

    action = "change"
    template_name = "action_plans/form.html"
    form_class = None
    heading = ""
    success_message = ""

    def get_form_kwargs(self) -> dict:
        return {}

    def get_initial(self) -> dict:
        return {}

    def make_form(self, data=None, files=None):
        return self.form_class(data, files, initial=self.get_initial(), **self.get_form_kwargs())

    def context(self, form, conflict=None) -> dict:
        obj = self.get_scoped_object()
        return {"form": form, "object": obj, "plan": getattr(obj, "plan", obj), "heading": self.heading,
                "back_url": self.back_url(), **conflict_context(conflict)}

    def back_url(self) -> str:
        return self.get_scoped_object().get_absolute_url() if hasattr(self.get_scoped_object(), "get_absolute_url") else "/"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context(self.make_form()))

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST, request.FILES)
        conflict = None
        if form.is_valid():
            try:
                result = self.save(form)
            except ValidationError as error:
                conflict = apply_service_errors(form, error)
                if conflict is not None:
                    self.reload_object()
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return HttpResponseRedirect(self.success_url(result))
        return render(request, self.template_name, self.context(form, conflict), status=200)

    def save(self, form):
        raise NotImplementedError

    def success_url(self, result) -> str:
        return self.back_url()


class PlanFormView(ObjectFormView):
    """A form about the plan of the URL (among the plans the user changes)."""

    model = Plan
