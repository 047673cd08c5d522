"""The supervisor's feedback on a meeting they supervise (404 for everyone else)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView

from ..forms_minutes import FeedbackForm
from ..models import SupervisionFeedback
from ..services.supervision import RATING_FIELDS, TEXT_FIELDS, feedback_save, supervised_meeting


class FeedbackView(ScopedView, View):
    """Give or revise the structured feedback and notes."""

    template_name = "conferences/minutes/feedback.html"

    def render_page(self, meeting, form):
        return render(self.request, self.template_name, {"meeting": meeting, "form": form})

    def get(self, request, pk):
        meeting = supervised_meeting(request.user, pk)
        existing = SupervisionFeedback.objects.filter(meeting=meeting, supervisor=request.user).first()
        initial = {name: getattr(existing, name) for name in (*RATING_FIELDS, *TEXT_FIELDS)} if existing else {}
        return self.render_page(meeting, FeedbackForm(initial=initial))

    def post(self, request, pk):
        meeting = supervised_meeting(request.user, pk)
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                feedback_save(user=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("Your feedback is saved."))
                return HttpResponseRedirect(reverse("conferences:minutes", kwargs={"pk": meeting.pk}))
        return self.render_page(meeting, form)
