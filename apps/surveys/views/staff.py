"""Staff pages: questionnaires (adopt, build, publish, new version), collections (distribute, close,
results, exports, poster) and pre/post waves. Every object through ``visible_to`` (404 otherwise)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
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
from ..forms import AdoptForm, CollectionForm, NewQuestionnaireForm
from ..forms_questions import QuestionAddForm
from ..models import Collection, Question, Questionnaire, QuestionnaireVersion, Wave
from ..models.common import three
from ..results import collection_results, trend
from ..selectors import builder_choices, free_texts
from ..services import builder, national
from ..services import collections as collection_services


def _institutions(user):
    """Institutions the user may adopt for or distribute to (apps/surveys/rules.py)."""
    condition = rules.distribution_institutions(user.access)
    if condition is None:
        return Institution.objects.none()
    return Institution.objects.filter(condition, is_active=True).order_by("municipality_id", "name")


def _coordinated(user):
    """The municipalities the user coordinates (a choice where there are several)."""
    return Municipality.objects.filter(pk__in=user.access.municipality_ids(Role.COORDINATOR), is_active=True).order_by("name")


class SurveyHome(ScopedView, View):
    def get(self, request):
        if rules.may_keep_templates(request.user.access) and not rules.may_build(request.user.access):
            return redirect("surveys:national")  # platform admins keep the national templates, nothing else here
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
        kwargs = {"institutions": _institutions(self.request.user), "municipalities": _coordinated(self.request.user)}
        if self.new:
            return NewQuestionnaireForm(data, **kwargs)
        return AdoptForm(data, templates=national.template_choices(), **kwargs)

    def _title(self):
        return _("New questionnaire") if self.new else _("Adopt a national template")

    def get(self, request):
        return render(request, "surveys/form.html", {"form": self._form(), "title": self._title()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            owner = {"actor": request.user, "municipality": data["municipality"], "institution": data["institution"]}
            if self.new:
                questionnaire = builder.create_questionnaire(
                    kind=data["kind"], title=three(data["title_sr_latn"], data.get("title_sr_cyrl"), data.get("title_en")),
                    **owner)
            else:
                questionnaire = builder.adopt_template(key=data["template"], **owner)
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
            "sections": version.sections.order_by("position", "id").prefetch_related("questions"),
            "question_form": QuestionAddForm(**builder_choices(version)) if may_change and not version.is_frozen else None,
            "collection_form": CollectionForm(institutions=_institutions(request.user).for_municipality(
                questionnaire.municipality_id)) if may_change else None,
        })


class VersionActionView(ScopedObjectView, View):
    """POST: publish, new_version, add_question, delete_question, distribute (who may change the questionnaire)."""

    model = QuestionnaireVersion
    action = "change"

    def post(self, request, pk, op):
        version = self.get_scoped_object()
        try:
            if op == "publish":
                builder.publish(actor=request.user, version=version, expected_version=request.POST.get("version") or None)
            elif op == "new_version":
                version = builder.new_version(actor=request.user, version=version)
            elif op == "add_question":
                form = QuestionAddForm(request.POST, **builder_choices(version))
                if not form.is_valid():
                    raise ValidationError(_("Check the question: %(errors)s") % {"errors": "; ".join(
                        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}" for k, v in form.errors.items())})
                expected = request.POST.get("version") or None
                with transaction.atomic():  # a new section is not kept when the question is refused
                    if form.cleaned_data.get("new_section"):
                        section = builder.add_section(actor=request.user, version=version, expected_version=expected,
                                                      title=three(form.cleaned_data["new_section"]))
                        expected = version.version if expected else None
                    else:
                        section = version.sections.get(pk=form.cleaned_data["section"])
                    fields = form.question_fields()
                    fields["show_if"] = version.questions.filter(pk=fields["show_if"]).first() if fields["show_if"] else None
                    builder.add_question(actor=request.user, version=version, section=section, expected_version=expected,
                                         options=form.options_list(), **fields)
            elif op == "delete_question":
                question = get_object_or_404(Question.objects.visible_to(request.user, "change"),
                                             pk=request.POST.get("question"), questionnaire_version=version)
                builder.delete_question(actor=request.user, question=question,
                                        expected_version=request.POST.get("version") or None)
            elif op == "distribute":
                form = CollectionForm(request.POST, institutions=_institutions(request.user).for_municipality(
                    version.municipality_id))
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

