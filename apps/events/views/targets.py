"""Editing a municipality's programme targets (its coordinators); the table is on the conference
targets page (apps/events/selectors/targets.py registers it)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView
from apps.municipalities.models import Municipality

from ..forms import TargetsForm
from ..selectors.targets import editable_targets
from ..services import targets as services


class TargetsEditView(ScopedView, View):
    """The targets of one municipality for the programme period: a number per kind, empty = default."""

    template_name = "events/targets_form.html"

    def load(self, municipality_pk):
        found = editable_targets(self.request.user, municipality_pk)
        if found is None:
            raise Http404
        return found

    def render(self, municipality_pk, form, period, defaults, conflict=False):
        municipality = Municipality.objects.filter(pk=municipality_pk).first()
        return render(self.request, self.template_name, {
            "form": form, "period": period, "name": municipality.display_name() if municipality else "",
            "conflict": conflict,
        })

    def initial(self, rows):
        initial = {row.kind: row.target for row in rows}
        initial["stamp"] = services.stamp(rows)
        return initial

    def get(self, request, municipality_pk):
        period, defaults, rows = self.load(municipality_pk)
        form = TargetsForm(initial=self.initial(rows), defaults=defaults)
        return self.render(municipality_pk, form, period, defaults)

    def post(self, request, municipality_pk):
        period, defaults, rows = self.load(municipality_pk)
        form = TargetsForm(request.POST, defaults=defaults)
        if form.is_valid():
            try:
                changed = services.targets_save(user=request.user, municipality_id=municipality_pk, period=period,
                                                targets=form.targets(), seen=form.cleaned_data.get("stamp", ""))
            except services.TargetsConflict:
                # Someone saved meanwhile: the form shows what is stored now, with the message.
                form = TargetsForm(initial=self.initial(rows), defaults=defaults)
                return self.render(municipality_pk, form, period, defaults, conflict=True)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The targets are saved (%(n)s changed).") % {"n": changed})
                return HttpResponseRedirect(reverse("conferences:targets"))
        return self.render(municipality_pk, form, period, defaults)
