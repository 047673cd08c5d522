"""Notes and contacts: writing one, and correcting one's own within the correction window."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from ..forms_records import (
    NoteForm,
    local_minute,
)
from ..models import (
    CaseNote,
)
from ..services.notes import CORRECTION_WINDOW, note_add, note_update
from .base import CaseFormView

# --- notes and contacts ---------------------------------------------------------------------------


class NoteAddView(CaseFormView):
    """Record a note or a contact."""

    template_name = "cases/records/note_form.html"
    form_class = NoteForm
    section = "notes"
    draft_form = "note_add"

    def save(self, form):
        data = form.cleaned_data
        return note_add(
            user=self.request.user,
            case=self.case,
            text=data["text"],
            kind=data["kind"],
            occurred_at=data["occurred_at"],
            visibility=data["visibility"],
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The note was saved."))


class NoteEditView(CaseFormView):
    """Correct one's own note within 24 hours of writing it."""

    template_name = "cases/records/note_form.html"
    form_class = NoteForm
    section = "notes"
    draft_form = "note_edit"

    def draft_object(self):
        return self.note

    def draft_enabled(self) -> bool:
        return self.is_author and not self.expired

    def get_note(self):
        return get_object_or_404(
            CaseNote.objects.visible_to(self.request.user), pk=self.kwargs["note_pk"], case_id=self.case.pk
        )

    def get(self, request, *args, **kwargs):
        self.note = self.get_note()
        self.audit_page_read(obj=self.note)
        return FormView.get(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.note = self.get_note()
        if not self.is_author:
            raise PermissionDenied(_("Only the author can correct a note."))
        if self.expired:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    @property
    def is_author(self) -> bool:
        return self.note.author_id == self.request.user.pk

    @property
    def expired(self) -> bool:
        return timezone.now() - self.note.created_at > CORRECTION_WINDOW

    def get_initial(self):
        n = self.note
        return {"kind": n.kind, "occurred_at": local_minute(n.occurred_at), "text": n.text, "visibility": n.visibility}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(note=self.note, expired=self.expired, not_author=not self.is_author)
        return ctx

    def save(self, form):
        data = form.cleaned_data
        return note_update(
            user=self.request.user,
            note=self.note,
            text=data["text"],
            kind=data["kind"],
            occurred_at=data["occurred_at"],
            visibility=data["visibility"],
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The note was corrected."))
