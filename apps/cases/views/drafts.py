"""Server-side drafts of the case forms (notes, risk, persons, plan): the automatic save endpoint, the
discard button, and what a form page needs to restore a draft (services/drafts.py has the rules).

The forms post here through htmx with the shared automatic-save script (static/js/autosave.js, the one
the minutes use): every answer is a small fragment marked with ``X-Autosave`` so that a login page or
an error page is told apart and the page says the draft was not kept.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from ..services.drafts import draft_discard, draft_save
from .base import CaseView
from .draft_forms import FORM_URLS, parse_key

TEMPLATE = "cases/records/_draft_answer.html"

def answer(request, state: str, *, saved_at=None, messages=(), status=200):
    """The one-line status of an automatic save (the minutes' protocol: X-Autosave on every answer)."""
    response = render(request, TEMPLATE, {"state": state, "saved_at": saved_at, "messages": list(messages)}, status=status)
    response["X-Autosave"] = state
    response["Cache-Control"] = "private, no-store"
    return response


class DraftSaveView(CaseView, View):
    """Keep what the user has typed so far as their draft of the form (POST, from the form's page)."""

    http_method_names = ["post"]

    def post(self, request, pk, key):
        parse_key(request.user, self.case, key)
        try:
            draft = draft_save(user=request.user, case=self.case, form_key=key, data=request.POST)
        except ValidationError as error:
            return answer(request, "invalid", messages=error.messages, status=400)
        return answer(request, "saved", saved_at=draft.updated_at)


class DraftDiscardView(CaseView, View):
    """Throw the user's draft of the form away and open the form as it is stored (POST)."""

    http_method_names = ["post"]

    def post(self, request, pk, key):
        name, row = parse_key(request.user, self.case, key)
        draft_discard(user=request.user, case=self.case, form_key=key)
        args = [self.case.pk] + ([row] if row is not None else [])
        return HttpResponseRedirect(reverse(FORM_URLS[name], args=args))
