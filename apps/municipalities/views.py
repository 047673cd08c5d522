"""Municipality pages: list, detail, settings and the onboarding wizard."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from formtools.wizard.views import SessionWizardView

from apps.core.text import to_cyrillic
from apps.core.views import ScopedDetailView, ScopedListView, ScopedUpdateView
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution

from .choices import MunicipalityKind, SizeClass
from .forms import (
    AdminFormSet,
    ConfirmForm,
    InstitutionFormSet,
    MunicipalityEditForm,
    MunicipalityStepForm,
    build_spec,
    included_institutions,
)
from .grammar import propose_forms
from .models import Municipality
from .onboarding import default_cadence, onboard_municipality, size_class_warning, standard_institutions
from .services import municipality_update

RESULT_SESSION_KEY = "onboarding_result"


class MunicipalityListView(ScopedListView):
    """Municipalities the user belongs to (all of them for platform admins)."""

    model = Municipality
    template_name = "municipalities/list.html"
    paginate_by = 50


class MunicipalityDetailView(ScopedDetailView):
    """A municipality, its settings and institutions."""

    model = Municipality
    template_name = "municipalities/detail.html"
    slug_field = "slug"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["institutions"] = Institution.objects.visible_to(self.request.user).filter(municipality=self.object)
        ctx["can_edit"] = Municipality.objects.visible_to(self.request.user, "change").filter(pk=self.object.pk).exists()
        ctx["retention_default"] = settings.CASE_RETENTION_YEARS
        return ctx


class MunicipalityUpdateView(ScopedUpdateView):
    """A municipality's settings; only platform admins may change them (everyone else: 404)."""

    model = Municipality
    form_class = MunicipalityEditForm
    template_name = "municipalities/edit.html"
    slug_field = "slug"

    def save_object(self, form):
        # The form has already copied the values onto its instance; the service compares with the stored row.
        municipality = Municipality.objects.select_for_update().get(pk=form.instance.pk)
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        note = size_class_warning(population=fields.get("population"), size_class=fields.get("size_class") or "")
        if note:
            messages.warning(self.request, note)
        return municipality_update(municipality=municipality, updated_by=self.request.user, **fields)

    def get_success_url(self):
        return reverse("municipalities:detail", kwargs={"slug": self.object.slug})


class PlatformAdminRequiredMixin(LoginRequiredMixin):
    """Pages for platform admins only; anyone else gets a 404, as for anything they may not see."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_platform_admin:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


STEP_MUNICIPALITY, STEP_INSTITUTIONS, STEP_ADMINS, STEP_REVIEW = "municipality", "institutions", "admins", "review"


def _row_errors(formset) -> list[str]:
    """Formset errors as "Row N, Field: message" lines for the summary above the table."""
    lines = [str(e) for e in formset.non_form_errors()]
    for index, form in enumerate(formset.forms):
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                if label:
                    lines.append(_("Row %(row)s, %(field)s: %(message)s") % {"row": index + 1, "field": label, "message": error})
                else:
                    lines.append(_("Row %(row)s: %(message)s") % {"row": index + 1, "message": error})
    return lines


class OnboardingWizardView(PlatformAdminRequiredMixin, SessionWizardView):
    """Onboard a municipality in four short steps; the last one calls the onboarding service."""

    form_list = [
        (STEP_MUNICIPALITY, MunicipalityStepForm),
        (STEP_INSTITUTIONS, InstitutionFormSet),
        (STEP_ADMINS, AdminFormSet),
        (STEP_REVIEW, ConfirmForm),
    ]
    step_labels = {
        STEP_MUNICIPALITY: gettext_lazy("Municipality"),
        STEP_INSTITUTIONS: gettext_lazy("Institutions"),
        STEP_ADMINS: gettext_lazy("Institution admins"),
        STEP_REVIEW: gettext_lazy("Review and confirm"),
    }

    def get(self, request, *args, **kwargs):
        """Resume a draft where it was left (formtools would start over on every GET)."""
        if self._has_draft():
            step = self.storage.current_step or self.steps.first
            form = self.get_form(
                step=step, data=self.storage.get_step_data(step), files=self.storage.get_step_files(step)
            )
            return self.render(form)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("wizard_restart"):
            self.storage.reset()
            return redirect("municipalities:onboard")
        return super().post(request, *args, **kwargs)

    def _has_draft(self) -> bool:
        return bool(self.storage.data.get(self.storage.step_data_key))

    def get_template_names(self):
        return [f"municipalities/onboard_{self.steps.current}.html"]

    def _municipality_data(self) -> dict:
        return self.get_cleaned_data_for_step(STEP_MUNICIPALITY) or {}

    def get_form_initial(self, step):
        if step == STEP_INSTITUTIONS:
            data = self._municipality_data()
            forms = propose_forms(
                name=data.get("name", ""), name_cyrl=data.get("name_cyrl") or "",
                locative=data.get("name_locative") or "", locative_cyrl=data.get("name_locative_cyrl") or "",
                genitive=data.get("name_genitive") or "", genitive_cyrl=data.get("name_genitive_cyrl") or "",
            )
            rows = standard_institutions(forms=forms, kind=data.get("kind") or "municipality")
            return [{"include": r["include"], "type": r["type"], "name": r["name"], "name_cyrl": r["name_cyrl"]}
                    for r in rows]
        return super().get_form_initial(step)

    def get_form_kwargs(self, step=None):
        kwargs = super().get_form_kwargs(step)
        if step == STEP_ADMINS:
            rows = self.get_cleaned_data_for_step(STEP_INSTITUTIONS) or []
            kwargs["institution_choices"] = [(r["key"], r["name"]) for r in included_institutions(rows)]
        return kwargs

    def _spec(self):
        municipality = self._municipality_data()
        institutions = self.get_cleaned_data_for_step(STEP_INSTITUTIONS)
        admins = self.get_cleaned_data_for_step(STEP_ADMINS)
        if not municipality or institutions is None or admins is None:
            return None
        return build_spec(municipality, institutions, admins)

    def get_context_data(self, form, **kwargs):
        ctx = super().get_context_data(form=form, **kwargs)
        ctx["step_list"] = [
            {"name": name, "label": self.step_labels[name], "number": i + 1,
             "current": name == self.steps.current}
            for i, name in enumerate(self.steps.all)
        ]
        ctx["has_draft"] = self._has_draft()
        if self.steps.current == STEP_INSTITUTIONS:
            ctx["name_forms"] = self._municipality_data()
        if self.steps.current in (STEP_INSTITUTIONS, STEP_ADMINS) and form.is_bound:
            ctx["row_errors"] = _row_errors(form)
        if self.steps.current == STEP_ADMINS:
            ctx["institution_count"] = len(form.forms[0].fields["institution"].choices) - 1 if form.forms else 0
        if self.steps.current == STEP_REVIEW:
            spec = self._spec()
            ctx["spec"] = spec
            if spec is not None:
                names = {i.key: i.name for i in spec.institutions}
                m = spec.municipality
                ctx["review_municipality"] = {
                    "kind": MunicipalityKind(m.kind).label,
                    "size": SizeClass(m.size_class).label,
                    "cadence": m.conference_cadence_months or default_cadence(m.size_class),
                    "cadence_is_default": m.conference_cadence_months is None,
                    "size_warning": size_class_warning(population=m.population, size_class=m.size_class),
                }
                ctx["review_institutions"] = [
                    {"name": i.name, "name_cyrl": i.name_cyrl or to_cyrillic(i.name), "type": InstitutionType(i.type).label, "email": i.email, "phone": i.phone}
                    for i in spec.institutions
                ]
                ctx["review_admins"] = [
                    {"email": a.email, "first_name": a.first_name, "last_name": a.last_name,
                     "institution": names.get(a.institution_key, "")}
                    for a in spec.admins
                ]
                try:
                    ctx["preview"] = onboard_municipality(spec=spec, onboarded_by=self.request.user, dry_run=True)
                except ValidationError as exc:
                    ctx["service_errors"] = exc.messages
        return ctx

    def done(self, form_list, form_dict=None, **kwargs):
        spec = build_spec(
            form_dict[STEP_MUNICIPALITY].cleaned_data,
            form_dict[STEP_INSTITUTIONS].cleaned_data,
            form_dict[STEP_ADMINS].cleaned_data,
        )
        try:
            result = onboard_municipality(spec=spec, onboarded_by=self.request.user)
        except ValidationError as exc:
            form = form_dict[STEP_REVIEW]
            for message in exc.messages:
                form.add_error(None, message)
            return self.render(form)
        self.request.session[RESULT_SESSION_KEY] = result.as_summary()
        return redirect("municipalities:onboard_done")

    def render_done(self, form, **kwargs):
        # A failed service call re-renders the review step, so the stored steps must survive it.
        response = None
        final_forms = {}
        for form_key in self.get_form_list():
            form_obj = self.get_form(
                step=form_key,
                data=self.storage.get_step_data(form_key),
                files=self.storage.get_step_files(form_key),
            )
            if not form_obj.is_valid():
                return self.render_revalidation_failure(form_key, form_obj, **kwargs)
            final_forms[form_key] = form_obj
        response = self.done(list(final_forms.values()), form_dict=final_forms, **kwargs)
        if response.status_code in (301, 302):
            self.storage.reset()
        return response


class OnboardingDoneView(PlatformAdminRequiredMixin, TemplateView):
    """What the last onboarding created, and that the invitations are on their way."""

    template_name = "municipalities/onboard_done.html"

    def get(self, request, *args, **kwargs):
        if RESULT_SESSION_KEY not in request.session:
            return redirect("municipalities:onboard")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["result"] = self.request.session[RESULT_SESSION_KEY]
        return ctx
