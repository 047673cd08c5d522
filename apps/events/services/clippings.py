"""Media coverage entries and clippings (a scan or screenshot of an article), checked and stored as
case documents are.

The type is recognised from the content with the case documents' pieces (apps/cases/filetypes.py and
apps/cases/services/attachments.py), never from the name; only PDF and images are a clipping. The
file is stored under an opaque name (``models.events.clipping_path``); the uploader's name and the
recognised type are kept beside it, and the download view serves it as an attachment of that type
with ``nosniff``.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from apps.cases import filetypes
from apps.cases.services.attachments import check_file, max_upload_bytes, read_limited, safe_file_name
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import MediaKind
from ..models import Event, MediaCoverage

CLIPPING_TYPES = (filetypes.PDF, filetypes.PNG, filetypes.JPEG, filetypes.GIF, filetypes.WEBP, filetypes.TIFF)


@dataclass(frozen=True)
class Clipping:
    """A checked upload: its content, the name to offer on download and the recognised type."""

    content: ContentFile
    name: str
    mime: str


def check_clipping(uploaded_file, *, field: str = "clipping") -> Clipping:
    """The upload as a Clipping, or a ValidationError on ``field`` saying why it is refused."""
    name = safe_file_name(getattr(uploaded_file, "name", "") or "")
    try:
        data = read_limited(uploaded_file, max_upload_bytes())
        detected = check_file(name, data)
    except ValidationError as error:
        raise ValidationError({field: error.message_dict.get("file", error.messages)}) from None
    if detected not in CLIPPING_TYPES:
        raise ValidationError({field: [_("A clipping must be a PDF or an image (PNG, JPEG, GIF, WebP, TIFF).")]})
    return Clipping(content=ContentFile(data), name=name or f"clipping.{detected.main_extension}", mime=detected.mime)


def clipping_response(file, *, name: str, mime: str) -> FileResponse:
    """A stored clipping as a download: an attachment of its recognised type that no browser sniffs."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name or "clipping",
                            content_type=mime or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@transaction.atomic
def coverage_add(*, user, event: Event, outlet: str, kind: str, published_on, link: str = "",
                 clipping=None) -> MediaCoverage:
    """A media report about an event (who runs the event), with its clipping if one is uploaded."""
    current = Event.objects.visible_to(user, "change").filter(pk=event.pk).first()
    if current is None:
        raise Http404
    errors: dict[str, list] = {}
    if kind not in MediaKind.values:
        errors["kind"] = [_("Choose the media kind.")]
    checked = None
    if clipping:
        try:
            checked = check_clipping(clipping)
        except ValidationError as error:
            errors.update(error.message_dict)
    row = MediaCoverage(event=current, municipality_id=current.municipality_id, outlet=(outlet or "").strip(),
                        kind=kind, link=(link or "").strip(), published_on=published_on or None)
    try:
        row.full_clean(exclude=["clipping"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if checked is not None:
        row.clipping_name, row.clipping_type = checked.name, checked.mime
        row.clipping.save("clipping", checked.content, save=False)
    try:
        row.save()
    except Exception:
        if checked is not None:
            row.clipping.storage.delete(row.clipping.name)
        raise
    audit_log(action=AuditAction.CREATE, actor=user, obj=row,
              details={"event": current.pk, "clipping": checked.mime if checked else ""})
    return row
