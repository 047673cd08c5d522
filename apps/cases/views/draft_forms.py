"""What a case form page needs to keep server-side drafts (notes, risk, persons, plan): the keys of
the forms that keep them, restoring a draft into an unbound form, and the page mixin. The endpoints
are in views/drafts.py; the rules in services/drafts.py."""
from __future__ import annotations

import re

from django import forms
from django.http import Http404
from django.urls import reverse

from ..models import CaseNote, CasePerson, ProtectionPlan
from ..services.drafts import draft_discard, draft_load

# Forms that keep drafts: the page's name, and for an edit page the model of the row it edits.
DRAFT_FORMS = {
    "note_add": None,
    "note_edit": CaseNote,
    "risk_add": None,
    "person_add": None,
    "person_edit": CasePerson,
    "plan_create": None,
    "plan_edit": ProtectionPlan,
}
FORM_URLS = {
    "note_add": "cases:note_add", "note_edit": "cases:note_edit", "risk_add": "cases:risk_add",
    "person_add": "cases:person_add", "person_edit": "cases:person_edit", "plan_create": "cases:plan_create",
    "plan_edit": "cases:plan_edit",
}
KEY = re.compile(r"^(?P<name>[a-z_]+?)(?:-(?P<pk>[1-9][0-9]{0,18}))?$")


def draft_key(name: str, obj=None) -> str:
    """The key of a form's drafts: "note_add", or "note_edit-12" for the page editing row 12."""
    return f"{name}-{obj.pk}" if obj is not None else name


def parse_key(user, case, key: str) -> tuple[str, int | None]:
    """The form name and row of a draft key; 404 for a form without drafts or a row the user cannot see."""
    match = KEY.match(key or "")
    if match is None or match["name"] not in DRAFT_FORMS:
        raise Http404
    model, pk = DRAFT_FORMS[match["name"]], match["pk"]
    if (model is None) != (pk is None):
        raise Http404
    if model is not None and not model.objects.visible_to(user).filter(pk=int(pk), case_id=case.pk).exists():
        raise Http404
    return match["name"], int(pk) if pk else None


def restore(form, values: dict[str, list[str]]) -> None:
    """Show a draft's values in an unbound form (as its initial values; nothing is validated yet)."""
    for name, field in form.fields.items():
        posted = values.get(form.add_prefix(name))
        if isinstance(field, forms.BooleanField):
            form.initial[name] = bool(posted) and posted[-1] not in ("", "false", "False", "0")
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            form.initial[name] = posted or []
        elif posted is not None:
            form.initial[name] = posted[-1]


class DraftFormMixin:
    """A case form page that keeps drafts: restores the user's draft on GET, deletes it after saving.

    Set ``draft_form`` (a name of DRAFT_FORMS); edit pages return their row from ``draft_object()``.
    """

    draft_form = ""
    restored_draft = None

    def draft_object(self):
        return None

    def draft_enabled(self) -> bool:
        return bool(self.draft_form)

    def get_draft_key(self) -> str:
        return draft_key(self.draft_form, self.draft_object())

    def restore_draft(self, form):
        """Fill an unbound form from the user's draft, if there is one."""
        if self.draft_enabled() and not form.is_bound:
            self.restored_draft = draft_load(user=self.request.user, case=self.case, form_key=self.get_draft_key())
            if self.restored_draft is not None:
                restore(form, self.restored_draft.values)
        return form

    def discard_draft(self) -> None:
        if self.draft_enabled():
            draft_discard(user=self.request.user, case=self.case, form_key=self.get_draft_key())

    def draft_context(self) -> dict:
        if not self.draft_enabled():
            return {}
        args = [self.case.pk, self.get_draft_key()]
        return {
            "draft": {
                "url": reverse("cases:draft_save", args=args),
                "discard_url": reverse("cases:draft_discard", args=args),
                "restored": self.restored_draft,
            }
        }
