"""Staff pages: questionnaires (adopt, build, publish, new version), collections (distribute, close,
results, exports, poster) and pre/post waves. Every object through ``visible_to`` (404 otherwise)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.choices import Role
from apps.core.views_scoped import ScopedObjectView, ScopedView
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .. import prepost, rules
from ..forms import AdoptForm, CollectionForm, NewQuestionnaireForm, QuestionForm
from ..models import Collection, Question, Questionnaire, QuestionnaireVersion, Wave
from ..results import collection_results, trend
from ..selectors import free_texts
from ..services import builder
from ..services import collections as collection_services


def _institutions(user):
    """Institutions the user may adopt for or distribute to (apps/surveys/rules.py)."""
    condition = rules.distribution_institutions(user.access)
    if condition is None:
        return Institution.objects.none()
    return Institution.objects.filter(condition, is_active=True).order_by("municipality_id", "name")


class SurveyHome(ScopedView, View):
    def get(self, request):
        questionnaires = Questionnaire.objects.visible_to(request.user).select_related("municipality", "institution")
        collections = Collection.objects.visible_to(request.user).select_related("institution", "questionnaire_version")
        waves = Wave.objects.visible_to(request.user)
        if not (questionnaires.exists() or collections.exists()) and not rules.may_build(request.user.access):
            raise Http404
        return render(request, "surveys/home.html", {
            "questionnaires": questionnaires[:100], "collections": collections[:100], "waves": waves[:50],
            "may_build": rules.may_build(request.user.access),
        })


class AdoptView(ScopedView, View):
    """Adopt a national template (``new=False``) or start an empty questionnaire (``new=True``)."""

    new = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.may_build(request.user.access):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        form_class = NewQuestionnaireForm if self.new else AdoptForm
        return form_class(data, institutions=_institutions(self.request.user))

    def _title(self):
        return _("New questionnaire") if self.new else _("Adopt a national template")

    def get(self, request):
        return render(request, "surveys/form.html", {"form": self._form(), "title": self._title()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            institution = form.cleaned_data["institution"]
            coordinated = request.user.access.municipality_ids(Role.COORDINATOR)
            if institution is None and not coordinated:
                form.add_error("institution", _("Choose your institution."))
            else:
                municipality = Municipality.objects.get(
                    pk=institution.municipality_id if institution is not None else sorted(coordinated)[0])
                if self.new:
                    data = form.cleaned_data
                    questionnaire = builder.create_questionnaire(
                        actor=request.user, municipality=municipality, institution=institution, kind=data["kind"],
                        title={"sr-latn": data["title_sr_latn"], "en": data.get("title_en", "")})
                else:
                    questionnaire = builder.adopt_template(actor=request.user, municipality=municipality,
                                                           institution=institution, key=form.cleaned_data["template"])
                return redirect("surveys:questionnaire", pk=questionnaire.pk)
        return render(request, "surveys/form.html", {"form": form, "title": self._title()})


class QuestionnaireView(ScopedObjectView, View):
    model = Questionnaire

    def get(self, request, pk):
        questionnaire = self.get_scoped_object()
        versions = list(questionnaire.versions.order_by("-number"))
        version = versions[0]
        may_change = Questionnaire.objects.visible_to(request.user, "change").filter(pk=pk).exists()
        trend_collections, trend_rows = trend(
            Collection.objects.visible_to(request.user).filter(questionnaire_version__questionnaire=questionnaire))
        return render(request, "surveys/questionnaire.html", {
            "trend_collections": trend_collections, "trend_rows": trend_rows,
            "questionnaire": questionnaire, "version": version, "versions": versions, "may_change": may_change,
            "sections": version.sections.prefetch_related("questions"), "question_form": QuestionForm(version=version),
            "collection_form": CollectionForm(institutions=_institutions(request.user)) if may_change else None,
        })


class VersionActionView(ScopedObjectView, View):
    """POST: publish, new_version, add_question, delete_question, distribute (who may change the questionnaire)."""

    model = QuestionnaireVersion
    action = "change"

    def post(self, request, pk, op):
        version = self.get_scoped_object()
        try:
            if op == "publish":
                builder.publish(actor=request.user, version=version)
            elif op == "new_version":
                version = builder.new_version(actor=request.user, version=version)
            elif op == "add_question":
                form = QuestionForm(request.POST, version=version)
                if not form.is_valid():
                    raise ValidationError(_("Check the question: %(errors)s") % {"errors": "; ".join(
                        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}" for k, v in form.errors.items())})
                if form.cleaned_data.get("new_section"):
                    section = builder.add_section(actor=request.user, version=version,
                                                  title={"sr-latn": form.cleaned_data["new_section"]})
                else:
                    section = version.sections.get(pk=form.cleaned_data["section"])
                builder.add_question(actor=request.user, version=version, section=section, **form.fields_for_service())
            elif op == "delete_question":
                question = get_object_or_404(Question.objects.visible_to(request.user, "change"),
                                             pk=request.POST.get("question"), questionnaire_version=version)
                builder.delete_question(actor=request.user, question=question)
            elif op == "distribute":
                form = CollectionForm(request.POST, institutions=_institutions(request.user))
                if not form.is_valid():
                    raise ValidationError("; ".join(f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()))
                coordinated = request.user.access.municipality_ids(Role.COORDINATOR)
                if form.cleaned_data["institution"] is None and version.municipality_id not in coordinated:
                    raise ValidationError(_("Choose your institution."))
                collection = collection_services.create_collection(actor=request.user, version=version, **form.cleaned_data)
                return redirect("surveys:collection", pk=collection.pk)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("surveys:questionnaire", pk=version.questionnaire_id)


class CollectionView(ScopedObjectView, View):
    model = Collection
    select_related = ("questionnaire_version__questionnaire", "institution")

    def get(self, request, pk):
        collection = self.get_scoped_object()
        user = request.user
        may_change = Collection.objects.visible_to(user, "change").filter(pk=pk).exists()
        return render(request, "surveys/collection.html", {
            "collection": collection, "results": collection_results(collection), "may_change": may_change,
            "may_raw": Collection.objects.visible_to(user, "raw").filter(pk=pk).exists(),
            "texts": free_texts(user, collection) if may_change else None,
            "public_url": request.build_absolute_uri(reverse("surveys:public_answer", args=[collection.token])),
        })


class CollectionCloseView(ScopedObjectView, View):
    model = Collection
    action = "change"

    def post(self, request, pk):
        collection_services.close_collection(actor=request.user, collection=self.get_scoped_object())
        messages.success(request, _("The collection is closed."))
        return redirect("surveys:collection", pk=pk)


class WaveView(ScopedObjectView, View):
    model = Wave

    def get(self, request, pk):
        wave = self.get_scoped_object()
        return render(request, "surveys/wave.html", {"wave": wave, "rows": prepost.compare(wave),
                                                     "collections": wave.collections.all()})

