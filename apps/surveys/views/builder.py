"""Editing a draft version of a municipality's questionnaire: a question with its options, a section, their
order (up/down buttons, plain forms: no JavaScript needed). A published version's edit pages answer 404.
Every form carries the version's lock (``version``); a stale one is refused with what changed."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.core.service_errors import post_service, run_service
from apps.core.views_scoped import ScopedObjectView

from ..choices import QuestionKind
from ..forms_questions import OptionFormSet, QuestionEditForm, SectionForm
from ..models import Question, QuestionnaireVersion, Section
from ..selectors import builder_choices
from ..services import builder

CHOICE_WITH_OPTIONS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def direction_of(request) -> str:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    return direction


def option_move(post):
    """The question form's data with one option moved a place up or down (the button "option_move" =
    "<row>:<up|down>" next to the option): the order numbers of the two options are swapped, the rest of
    the form is saved as typed."""
    data = post.copy()
    row, _sep, direction = post.get("option_move", "").partition(":")
    try:
        row, total = int(row), int(post.get("options-TOTAL_FORMS", 0))
    except ValueError:
        return data
    rows = []
    for i in range(min(total, 30)):
        if (post.get(f"options-{i}-label_sr_latn") or "").strip() and not post.get(f"options-{i}-DELETE"):
            try:
                order = int(post.get(f"options-{i}-ORDER") or 0)
            except ValueError:
                order = 0
            rows.append((order, i))
    positions = [i for _order, i in sorted(rows)]
    if row not in positions:
        return data
    here = positions.index(row)
    there = here + (-1 if direction == "up" else 1)
    if 0 <= there < len(positions):
        positions[here], positions[there] = positions[there], positions[here]
    for number, i in enumerate(positions, start=1):
        data[f"options-{i}-ORDER"] = str(number)
    return data


def question_as_dict(question: Question) -> dict:
    return {name: getattr(question, name) for name in builder.QUESTION_FIELDS if name != "show_if"} | {
        "show_if": str(question.show_if_id or "")}


class DraftView(ScopedObjectView):
    """A draft version the user may change; a published one answers 404 (it never changes)."""

    model = QuestionnaireVersion
    action = "change"
    select_related = ("questionnaire",)

    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        if self.get_scoped_object().is_frozen:
            raise Http404

    def back(self) -> str:
        return reverse("surveys:questionnaire", args=[self.get_scoped_object().questionnaire_id])


class QuestionEditView(DraftView, View):
    template_name = "surveys/question_form.html"

    def question(self):
        return self.child_row(Question, self.kwargs["question_pk"], parent_field="questionnaire_version")

    def render_page(self, form, formset, question):
        return render(self.request, self.template_name, {
            "form": form, "formset": formset, "title": _("Change the question"), "back_url": self.back(),
            "subject": question.display_text, "version": self.get_scoped_object()})

    def get(self, request, pk, question_pk):
        version, question = self.get_scoped_object(), self.question()
        initial = QuestionEditForm.initial_for(question_as_dict(question)) | {
            "section": str(question.section_id), "version": version.version}
        form = QuestionEditForm(initial=initial, **builder_choices(version, exclude_question=question))
        formset = OptionFormSet(initial=OptionFormSet.initial_for(question.options), prefix="options")
        return self.render_page(form, formset, question)

    def post(self, request, pk, question_pk):
        version, question = self.get_scoped_object(), self.question()
        moving = "option_move" in request.POST
        data = option_move(request.POST) if moving else request.POST
        form = QuestionEditForm(data, **builder_choices(version, exclude_question=question))
        formset = OptionFormSet(data, prefix="options")
        if form.is_valid() and formset.is_valid():
            fields = form.question_fields()
            fields["show_if"] = version.questions.filter(pk=fields["show_if"]).first() if fields["show_if"] else None
            fields["options"] = formset.options_list() if fields["kind"] in CHOICE_WITH_OPTIONS else []
            section = version.sections.filter(pk=form.cleaned_data["section"]).first()
            done = run_service(request, form, lambda: builder.update_question(
                actor=request.user, question=question, expected_version=form.cleaned_data["version"], section=section,
                **fields), success=_("The question is saved."), redirect_to=request.path if moving else self.back())
            if done:
                return done
        return self.render_page(form, formset, question)


class QuestionMoveView(DraftView, View):
    def post(self, request, pk, question_pk):
        question = self.child_row(Question, question_pk, parent_field="questionnaire_version")
        return post_service(request, lambda: builder.move_question(
            actor=request.user, question=question, direction=direction_of(request),
            expected_version=request.POST.get("version")), success="", redirect_to=self.back() + f"#q{question.pk}")


class SectionEditView(DraftView, View):
    template_name = "surveys/section_form.html"

    def section(self):
        return self.child_row(Section, self.kwargs["section_pk"], parent_field="questionnaire_version")

    def render_page(self, form, section):
        return render(self.request, self.template_name, {
            "form": form, "title": _("Change the section"), "back_url": self.back(), "subject": str(section)})

    def get(self, request, pk, section_pk):
        section = self.section()
        form = SectionForm(initial=SectionForm.initial_for(section.title, self.get_scoped_object().version))
        return self.render_page(form, section)

    def post(self, request, pk, section_pk):
        section = self.section()
        form = SectionForm(request.POST)
        if form.is_valid():
            done = run_service(request, form, lambda: builder.update_section(
                actor=request.user, section=section, expected_version=form.cleaned_data["version"], title=form.title()),
                success=_("The section is saved."), redirect_to=self.back())
            if done:
                return done
        return self.render_page(form, section)


class SectionMoveView(DraftView, View):
    def post(self, request, pk, section_pk):
        section = self.child_row(Section, section_pk, parent_field="questionnaire_version")
        return post_service(request, lambda: builder.move_section(
            actor=request.user, section=section, direction=direction_of(request),
            expected_version=request.POST.get("version")), success="", redirect_to=self.back() + f"#s{section.pk}")


class SectionDeleteView(DraftView, View):
    def post(self, request, pk, section_pk):
        section = self.child_row(Section, section_pk, parent_field="questionnaire_version")
        return post_service(request, lambda: builder.delete_section(
            actor=request.user, section=section, expected_version=request.POST.get("version")),
            success=_("The section is removed."), redirect_to=self.back())
