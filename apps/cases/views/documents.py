"""Documents of a case: uploading (type checked by content) and downloading (audited)."""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views import View

from ..forms_records import (
    AttachmentForm,
)
from ..models import (
    Attachment,
)
from ..services.attachments import attachment_add, attachment_open
from .base import CaseFormView, CaseView

# --- attachments ----------------------------------------------------------------------------------


class AttachmentAddView(CaseFormView):
    """Upload a document (type checked by content, up to 20 MB)."""

    template_name = "cases/records/attachment_form.html"
    form_class = AttachmentForm
    section = "attachments"

    def save(self, form):
        data = form.cleaned_data
        return attachment_add(
            user=self.request.user,
            case=self.case,
            uploaded_file=data["file"],
            description=data.get("description", ""),
            visibility=data["visibility"],
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The document was stored."))


class AttachmentDownloadView(CaseView, View):
    """Stream a stored document, after the permission check and the audit entry of attachment_open."""

    action = "view"

    def get(self, request, *args, **kwargs):
        if not Attachment.objects.visible_to(request.user).filter(
            pk=kwargs["attachment_pk"], case_id=self.case.pk
        ).exists():
            raise Http404
        attachment = attachment_open(user=request.user, attachment=kwargs["attachment_pk"])
        response = FileResponse(
            attachment.file,
            as_attachment=True,
            filename=attachment.original_name or "document",
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
