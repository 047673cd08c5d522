"""Self-assessment pages: checklists, rounds (the coordinator's overview with scores and trends),
an institution's answers (its admin answers and submits; the coordinator returns them or adds action
points), closing a round, exports."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.service_errors import is_conflict, post_service, run_service
from apps.core.views_scoped import ScopedObjectView, ScopedView

from ..choices import ResponseStatus, RoundStatus, Theme
from ..exports import table_response
from ..forms import ANSWER_CHOICES, ActionPointForm, ItemForm, ReturnForm, RoundForm, answers_from_post
from ..models import AssessmentResponse, AssessmentRound, Checklist, ChecklistItem
from ..querysets import REVIEW, managed_municipalities, municipality_institutions
from ..selectors.assessment import round_scores, trends
from ..services import assessment as services


class ChecklistListView(ScopedView, View):
    """The national model checklist and the municipalities' own wordings."""

    model = Checklist

    def get(self, request):
        return render(request, "protocols/checklist_list.html",
                      {"checklists": self.get_queryset().select_related("municipality").prefetch_related("items")})


class ChecklistDetailView(ScopedObjectView, View):
    """A checklist's items by theme."""

    model = Checklist

    def get(self, request, pk):
        checklist = self.get_scoped_object()
        items = list(checklist.items.all())
        themes = [(theme, [i for i in items if i.theme == theme.value]) for theme in Theme]
        may_change = Checklist.objects.visible_to(request.user, "change").filter(pk=checklist.pk).exists()
        return render(request, "protocols/checklist_detail.html", {
            "checklist": checklist, "themes": [t for t in themes if t[1]], "may_change": may_change,
            "may_adapt": managed_municipalities(request.user).exists() and not may_change,
        })


class ChecklistAdaptView(ScopedObjectView, View):
    """A coordinator copies a checklist for the municipality's own wording (POST)."""

    model = Checklist

    def setup_scoped(self, request, *args, **kwargs):
        super().setup_scoped(request, *args, **kwargs)
        self.municipality = managed_municipalities(request.user).first()
        if self.municipality is None:
            raise Http404

    def post(self, request, pk):
        made = services.checklist_adapt(user=request.user, checklist=self.get_scoped_object(),
                                        municipality=self.municipality)
        messages.success(request, _t("The checklist is copied; reword its items for your municipality."))
        return HttpResponseRedirect(reverse("protocols:checklist_detail", args=[made.pk]))


class ChecklistItemEditView(ScopedObjectView, View):
    """Reword an item of the municipality's own checklist (coordinators)."""

    model = Checklist
    action = "change"
    template_name = "protocols/item_form.html"

    def get_item(self):
        return self.child_row(ChecklistItem, self.kwargs["item_pk"], parent_field="checklist", action="change")

    def get(self, request, pk, item_pk):
        item = self.get_item()
        form = ItemForm(initial={"text": item.text, "text_cyrl": item.text_cyrl, "text_en": item.text_en})
        return render(request, self.template_name, {"checklist": self.get_scoped_object(), "item": item, "form": form})

    def post(self, request, pk, item_pk):
        item = self.get_item()
        form = ItemForm(request.POST)
        if form.is_valid():
            done = run_service(request, form, lambda: services.checklist_item_save(user=request.user, item=item,
                                                                                    **form.cleaned_data),
                               success=_t("The item is saved."), redirect_to=reverse("protocols:checklist_detail", args=[pk]))
            if done:
                return done
        return render(request, self.template_name, {"checklist": self.get_scoped_object(), "item": item, "form": form})


class RoundListView(ScopedView, View):
    """Rounds of the user's municipalities and the trend of the overall scores the user may read."""

    model = AssessmentRound

    def get(self, request):
        rounds = self.get_queryset().select_related("municipality")
        responses = AssessmentResponse.objects.visible_to(request.user, "view")
        return render(request, "protocols/round_list.html", {
            "rounds": rounds, "trends": trends(responses),
            "may_open": managed_municipalities(request.user).exists(),
        })


class RoundCreateView(ScopedView, View):
    """The coordinator opens a round: period, institutions, deadline."""

    model = AssessmentRound
    action = "change"
    template_name = "protocols/round_form.html"

    def setup_scoped(self, request, *args, **kwargs):
        self.municipality = managed_municipalities(request.user).first()
        if self.municipality is None:
            raise Http404

    def form(self, data=None):
        form = RoundForm(data, user=self.request.user)
        form.fields["institutions"].queryset = municipality_institutions(self.request.user, self.municipality.pk)
        return form

    def get(self, request):
        return render(request, self.template_name, {"form": self.form(), "municipality": self.municipality})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            made = {}

            def call():
                made["r"] = services.round_open(user=request.user, municipality=self.municipality, **form.cleaned_data)

            if run_service(request, form, call, success=_t("The round is open; the institutions can answer."),
                           redirect_to="/"):
                return HttpResponseRedirect(reverse("protocols:round_detail", args=[made["r"].pk]))
        return render(request, self.template_name, {"form": form, "municipality": self.municipality})


class RoundDetailView(ScopedObjectView, View):
    """A round: each institution's status and scores per theme (those the user may read)."""

    model = AssessmentRound
    select_related = ("municipality", "checklist")

    def get(self, request, pk):
        round_ = self.get_scoped_object()
        responses = list(AssessmentResponse.objects.visible_to(request.user, "view").filter(round=round_)
                         .select_related("institution"))
        may_run = AssessmentRound.objects.visible_to(request.user, "change").filter(pk=round_.pk).exists()
        return render(request, "protocols/round_detail.html", {
            "round": round_, "rows": round_scores(round_, responses), "themes": list(Theme), "may_run": may_run,
        })


class RoundCloseView(ScopedObjectView, View):
    """Close the round (POST, once)."""

    model = AssessmentRound
    action = "change"

    def post(self, request, pk):
        round_ = self.get_scoped_object()
        return post_service(request, lambda: services.round_close(user=request.user, round_=round_),
                            success=_t("The round is closed."), redirect_to=reverse("protocols:round_detail", args=[pk]))


class ResponseView(ScopedObjectView):
    model = AssessmentResponse
    select_related = ("round", "round__checklist", "institution", "municipality")

    def allowed(self, action: str) -> bool:
        return AssessmentResponse.objects.visible_to(self.request.user, action).filter(
            pk=self.get_scoped_object().pk).exists()


class ResponseDetailView(ResponseView, View):
    """An institution's answers: a form for its admin while open, read-only for the others."""

    template_name = "protocols/response_detail.html"

    def context(self, errors=None, data=None) -> dict:
        response = self.get_scoped_object()
        answers = list(response.answers.select_related("item").order_by("item__position", "item_id"))
        may_answer = (self.allowed("change") and response.round.status == RoundStatus.OPEN
                      and response.status != ResponseStatus.SUBMITTED)
        may_review = self.allowed(REVIEW) and response.round.status == RoundStatus.OPEN
        rows = []
        for answer in answers:
            key = answer.item_id
            given = {"value": answer.value, "note": answer.note, "evidence_url": answer.evidence_url}
            if data is not None:
                given = {"value": data.get(f"item_{key}", ""), "note": data.get(f"note_{key}", ""),
                         "evidence_url": data.get(f"url_{key}", "")}
            rows.append({"answer": answer, "item": answer.item, "given": given,
                         "error": (errors or {}).get(f"item_{key}")})
        themes = [(t, [r for r in rows if r["item"].theme == t.value]) for t in Theme]
        scores = round_scores(response.round, [response])[0]
        return {
            "response": response, "themes": [t for t in themes if t[1]], "choices": ANSWER_CHOICES,
            "may_answer": may_answer, "may_review": may_review, "scores": scores,
            "action_points": response.action_points.all(), "point_form": ActionPointForm() if may_review else None,
            "return_form": ReturnForm(initial={"version": response.version}) if may_review else None,
            "version": response.version, "errors": errors or {},
        }

    def get(self, request, pk):
        return render(request, self.template_name, self.context())

    def post(self, request, pk):
        if not self.allowed("change"):
            raise Http404
        response = self.get_scoped_object()
        answers = answers_from_post(request.POST, [a.item for a in response.answers.select_related("item")])
        try:
            services.answers_save(user=request.user, response=response, expected_version=request.POST.get("version"),
                                  answers=answers)
            if request.POST.get("submit"):
                response.refresh_from_db()
                services.response_submit(user=request.user, response=response, expected_version=response.version)
        except ValidationError as error:
            errors = {}
            if is_conflict(error) or not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
            else:
                errors = {k: " ".join(str(m) for e in v for m in e.messages) for k, v in error.error_dict.items()}
                messages.error(request, _t("Some answers could not be saved; see the marked items."))
            context = self.context(errors=errors, data=request.POST)
            if is_conflict(error):
                context["version"] = getattr(error.current, "version", response.version)
            return render(request, self.template_name, context)
        messages.success(request, _t("The answers are submitted.") if request.POST.get("submit")
                         else _t("The answers are saved."))
        return HttpResponseRedirect(reverse("protocols:response_detail", args=[pk]))


class ResponseReturnView(ResponseView, View):
    """The coordinator returns submitted answers for completion (POST)."""

    action = REVIEW

    def post(self, request, pk):
        response = self.get_scoped_object()
        form = ReturnForm(request.POST)
        target = reverse("protocols:response_detail", args=[pk])
        if not form.is_valid():
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
            return HttpResponseRedirect(target)
        return post_service(request, lambda: services.response_return(
            user=request.user, response=response, expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["return_note"]), success=_t("The answers are returned for completion."),
            redirect_to=target)


class ActionPointAddView(ResponseView, View):
    """The coordinator records an action point (POST)."""

    action = REVIEW

    def post(self, request, pk):
        response = self.get_scoped_object()
        form = ActionPointForm(request.POST)
        target = reverse("protocols:response_detail", args=[pk])
        if not form.is_valid():
            for errors in form.errors.values():
                for text in errors:
                    messages.error(request, text)
            return HttpResponseRedirect(target)
        return post_service(request, lambda: services.action_point_add(user=request.user, response=response,
                                                                        **form.cleaned_data),
                            success=_t("The action point is recorded."), redirect_to=target)


class RoundExportView(ScopedObjectView, View):
    """The round's scores per institution and theme as CSV or XLSX (the responses the user may read)."""

    model = AssessmentRound

    def get(self, request, pk, fmt):
        round_ = self.get_scoped_object()
        responses = list(AssessmentResponse.objects.visible_to(request.user, "view").filter(round=round_)
                         .select_related("institution"))
        themes = list(Theme)
        rows = [[_t("Institution"), _t("Status"), *[str(t.label) for t in themes], _t("Overall")]]
        for row in round_scores(round_, responses):
            rows.append([str(row["response"].institution), str(row["response"].get_status_display()),
                         *[row["themes"].get(t.value) for t in themes], row["overall"]])
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=round_)
        return table_response(rows, f"self-assessment-{round_.pk}", fmt)
