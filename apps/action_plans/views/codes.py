"""The national code lists of the programme budget by year: everyone signed in reads them, platform
admins keep them (add or rename a code of one year, start a year as a copy of another)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView

from .. import rules
from ..choices import CodeKind
from ..forms import CodeForm, CopyYearForm
from ..models import BudgetCode
from ..services import budget as budget_services


class CodeListView(ScopedView, View):
    """One year's code lists; platform admins add or rename codes here."""

    def year(self) -> int:
        try:
            return int(self.request.GET.get("year") or self.request.POST.get("year") or timezone.localdate().year)
        except ValueError:
            return timezone.localdate().year

    def render_page(self, form=None, copy_form=None):
        year = self.year()
        codes = BudgetCode.objects.visible_to(self.request.user).filter(year=year)
        keeps = rules.may_keep_codes(self.request.user.access)
        years = sorted(set(BudgetCode.objects.visible_to(self.request.user).values_list("year", flat=True)) | {year})
        lists = [(kind, label, [c for c in codes if c.kind == kind]) for kind, label in CodeKind.choices]
        return render(self.request, "action_plans/codes.html", {
            "year": year, "years": years, "lists": lists, "keeps": keeps,
            "form": (form or CodeForm(initial={"year": year})) if keeps else None,
            "copy_form": (copy_form or CopyYearForm(initial={"source_year": year, "target_year": year + 1})) if keeps else None,
        })

    def get(self, request):
        return self.render_page()

    def post(self, request):
        if not rules.may_keep_codes(request.user.access):
            raise Http404
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                budget_services.code_save(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The code is saved."))
                return HttpResponseRedirect(reverse("action_plans:codes") + f"?year={form.cleaned_data['year']}")
        return self.render_page(form=form)


class CodeCopyView(ScopedView, View):
    """Start a year's code lists as a copy of another year's (platform admins, POST)."""

    def post(self, request):
        if not rules.may_keep_codes(request.user.access):
            raise Http404
        form = CopyYearForm(request.POST)
        if form.is_valid():
            added = budget_services.codes_copy_year(user=request.user, **form.cleaned_data)
            messages.success(request, _t("%(n)s codes are copied.") % {"n": added})
            return HttpResponseRedirect(reverse("action_plans:codes") + f"?year={form.cleaned_data['target_year']}")
        messages.error(request, _t("Enter both years."))
        return HttpResponseRedirect(reverse("action_plans:codes"))
