"""The national templates' pages (platform admins; 404 for everyone else): the list of templates and
their versions, a new version as a copy of the newest, editing the draft (texts, questions with their
options, sections, their order), publishing it. A published version's edit pages answer 404."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.service_errors import post_service, run_service
from apps.core.views_scoped import ScopedObjectView, ScopedView

from .. import rules
from ..choices import QuestionKind
from ..forms import NationalTextsForm
from ..forms_questions import OptionFormSet, QuestionAddForm, QuestionEditForm, SectionForm
from ..models import NationalTemplate
from ..models.common import three, tr
from ..services import national
from .builder import CHOICE_WITH_OPTIONS, direction_of, option_move


def _choices(row: NationalTemplate, *, exclude: str = "") -> dict:
    sections = [(i, tr(s.get("title"))) for i, s in enumerate(row.content.get("sections", []))]
    conditions = []
    for q in row.questions():
        if q.get("kind") not in (QuestionKind.YES_NO, QuestionKind.SINGLE) or q["key"] == exclude:
            continue
        values = ([("yes", _("Yes")), ("no", _("No"))] if q["kind"] == QuestionKind.YES_NO
                  else [(str(o["value"]), tr(o.get("label"))) for o in q.get("options") or []])
        conditions.append((q["key"], tr(q.get("text")), values))
    return {"sections": sections, "conditions": conditions}


def _kind_labels() -> dict:
    return dict(QuestionKind.choices)


class NationalListView(ScopedView, View):
    def get(self, request):
        if not rules.may_keep_templates(request.user.access):
            raise Http404
        national.seed()
        rows = list(NationalTemplate.objects.visible_to(request.user, "change").order_by("key", "-number"))
        templates: dict[str, list] = {}
        for row in rows:
            templates.setdefault(row.key, []).append(row)
        return render(request, "surveys/national_list.html", {"templates": list(templates.values())})


class NationalView(ScopedObjectView):
    model = NationalTemplate
    action = "change"

    def back(self) -> str:
        return reverse("surveys:national_detail", args=[self.get_scoped_object().pk])


class NationalDraftView(NationalView):
    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        if not self.get_scoped_object().is_draft:
            raise Http404


class NationalDetailView(NationalView, View):
    def get(self, request, pk):
        row = self.get_scoped_object()
        kinds = _kind_labels()
        sections = [{"index": i, "number": i + 1, "title": tr(s.get("title")), "questions": [
            {"key": q["key"], "text": tr(q.get("text")), "kind": kinds.get(q.get("kind"), q.get("kind")),
             "required": q.get("required"), "conditional": bool(q.get("show_if")),
             "options": [tr(o.get("label")) for o in q.get("options") or []]} for q in s.get("questions", [])]}
            for i, s in enumerate(row.content.get("sections", []))]
        return render(request, "surveys/national_detail.html", {
            "row": row, "sections": sections, "intro": tr(row.content.get("intro")),
            "versions": NationalTemplate.objects.visible_to(request.user, "change").filter(key=row.key).order_by("-number"),
            "texts_form": NationalTextsForm(initial=NationalTextsForm.initial_for(row)) if row.is_draft else None,
            "question_form": QuestionAddForm(**_choices(row)) if row.is_draft else None,
        })


class NationalActionView(NationalView, View):
    """POST: new_version, publish, texts, add_question, question_move, question_delete, section_move."""

    def post(self, request, pk, op):
        row = self.get_scoped_object()
        expected = request.POST.get("version")
        actor = request.user
        if op == "new_version":
            made = {}

            def call():
                made["row"] = national.new_version(actor=actor, template=row)

            response = post_service(request, call, success=_("A new draft version is started."), redirect_to=self.back())
            return HttpResponseRedirect(reverse("surveys:national_detail", args=[made["row"].pk])) if made else response
        if not row.is_draft:
            raise Http404
        if op == "publish":
            return post_service(request, lambda: national.publish(actor=actor, template=row, expected_version=expected),
                         success=_("The version is published; municipalities adopt it from now on."),
                         redirect_to=self.back())
        if op == "texts":
            form = NationalTextsForm(request.POST)
            if not form.is_valid():
                return post_service(request, lambda: _refuse(form), success="", redirect_to=self.back())
            d = form.cleaned_data
            return post_service(request, lambda: national.save_texts(
                actor=actor, template=row, expected_version=d["version"],
                title=three(d["title_sr_latn"], d["title_sr_cyrl"], d["title_en"]),
                intro=three(d["intro_sr_latn"], d["intro_sr_cyrl"], d["intro_en"])),
                success=_("The draft is saved."), redirect_to=self.back())
        if op == "add_question":
            form = QuestionAddForm(request.POST, **_choices(row))
            if not form.is_valid():
                return post_service(request, lambda: _refuse(form), success="", redirect_to=self.back())
            d = form.cleaned_data
            return post_service(request, lambda: national.question_save(
                actor=actor, template=row, expected_version=expected, key=None,
                section=int(d["section"]) if d.get("section") else -1,
                new_section=three(d["new_section"]) if d.get("new_section") else None,
                options=form.options_list(), **_without_options(form.question_fields())),
                success=_("The question is added."), redirect_to=self.back())
        if op in ("question_move", "question_delete", "section_move"):
            key = request.POST.get("key", "")
            if op == "question_move":
                call = lambda: national.question_move(  # noqa: E731
                    actor=actor, template=row, expected_version=expected, key=key, direction=direction_of(request))
            elif op == "question_delete":
                call = lambda: national.question_delete(actor=actor, template=row, expected_version=expected, key=key)  # noqa: E731
            else:
                call = lambda: national.section_move(  # noqa: E731
                    actor=actor, template=row, expected_version=expected, index=_int(request.POST.get("number")) - 1,
                    direction=direction_of(request))
            return post_service(request, call, success="", redirect_to=self.back())
        raise Http404


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _without_options(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if k != "options"}


def _refuse(form):
    raise ValidationError([f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
                           for k, v in form.errors.items()])


class NationalQuestionView(NationalDraftView, View):
    template_name = "surveys/question_form.html"

    def question(self) -> dict:
        found = next((q for q in self.get_scoped_object().questions() if q["key"] == self.kwargs["key"]), None)
        if found is None:
            raise Http404
        return found

    def section_of(self, key) -> int:
        for i, section in enumerate(self.get_scoped_object().content.get("sections", [])):
            if any(q["key"] == key for q in section.get("questions", [])):
                return i
        raise Http404

    def render_page(self, form, formset, question):
        return render(self.request, self.template_name, {
            "form": form, "formset": formset, "title": _("Change the question"), "back_url": self.back(),
            "subject": tr(question.get("text"))})

    def get(self, request, pk, key):
        row, question = self.get_scoped_object(), self.question()
        initial = QuestionEditForm.initial_for(question) | {"section": str(self.section_of(key)), "version": row.version}
        form = QuestionEditForm(initial=initial, **_choices(row, exclude=key))
        formset = OptionFormSet(initial=OptionFormSet.initial_for(question.get("options")), prefix="options")
        return self.render_page(form, formset, question)

    def post(self, request, pk, key):
        row, question = self.get_scoped_object(), self.question()
        moving = "option_move" in request.POST
        data = option_move(request.POST) if moving else request.POST
        form = QuestionEditForm(data, **_choices(row, exclude=key))
        formset = OptionFormSet(data, prefix="options")
        if form.is_valid() and formset.is_valid():
            fields = _without_options(form.question_fields())
            options = formset.options_list() if fields["kind"] in CHOICE_WITH_OPTIONS else []
            done = run_service(request, form, lambda: national.question_save(
                actor=request.user, template=row, expected_version=form.cleaned_data["version"], key=key,
                section=int(form.cleaned_data["section"]), options=options, **fields),
                success=_("The question is saved."), redirect_to=request.path if moving else self.back())
            if done:
                return done
        return self.render_page(form, formset, question)


class NationalSectionView(NationalDraftView, View):
    template_name = "surveys/section_form.html"

    def section(self) -> dict:
        sections = self.get_scoped_object().content.get("sections", [])
        number = self.kwargs["number"]
        if not 1 <= number <= len(sections):
            raise Http404
        return sections[number - 1]

    def render_page(self, form, section):
        return render(self.request, self.template_name, {
            "form": form, "title": _("Change the section"), "back_url": self.back(), "subject": tr(section.get("title"))})

    def get(self, request, pk, number):
        section = self.section()
        return self.render_page(SectionForm(initial=SectionForm.initial_for(section.get("title"),
                                                                         self.get_scoped_object().version)), section)

    def post(self, request, pk, number):
        section = self.section()
        form = SectionForm(request.POST)
        if form.is_valid():
            done = run_service(request, form, lambda: national.section_save(
                actor=request.user, template=self.get_scoped_object(), expected_version=form.cleaned_data["version"],
                index=number - 1, title=form.title()), success=_("The section is saved."), redirect_to=self.back())
            if done:
                return done
        return self.render_page(form, section)
