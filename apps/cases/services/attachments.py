"""Attachments: PDF, images and office documents up to 20 MB, type checked by content, served
only through a permission-checked view (files live under MEDIA_ROOT with opaque names)."""
from __future__ import annotations

import hashlib
import logging
import os
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .. import filetypes
from ..choices import Visibility
from ..models import Attachment, Case
from .common import ensure_open, reach_case, touch
from .notes import author_institution_id

logger = logging.getLogger(__name__)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_upload_bytes() -> int:
    """The size limit for one attachment (setting CASE_ATTACHMENT_MAX_BYTES, 20 MB by default)."""
    return int(getattr(settings, "CASE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


NOT_ACCEPTED = _(
    "This type of file is not accepted. Upload a PDF, an image (PNG, JPEG, GIF, WebP, TIFF) "
    "or an office document (Word, Excel, PowerPoint or OpenDocument)."
)


def read_limited(uploaded_file, limit: int) -> bytes:
    """The whole content, refusing to read past the limit whatever size the upload claims."""
    if getattr(uploaded_file, "size", None) is not None and uploaded_file.size > limit:
        raise _too_large(limit)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    chunks, total = [], 0
    for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]:
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ValidationError:
    return ValidationError(
        {"file": _("The file is larger than %(limit)s MB. Upload a smaller file.") % {"limit": limit // (1024 * 1024)}}
    )


def check_file(name: str, data: bytes) -> filetypes.FileType:
    """The type of an upload, or a ValidationError on ``file`` saying why it is refused."""
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    extension = filetypes.extension_of(name)
    try:
        detected = filetypes.detect(data)
    except filetypes.MacroDocument:
        raise ValidationError(
            {"file": _("Documents with macros are not accepted. Save the document without macros and upload it again.")}
        )
    if detected is None:
        if extension in filetypes.ACCEPTED_EXTENSIONS:
            raise ValidationError(
                {
                    "file": _(
                        "The file is named .%(extension)s but its content is not a .%(extension)s file; "
                        "it was refused."
                    )
                    % {"extension": extension}
                }
            )
        raise ValidationError({"file": NOT_ACCEPTED})
    if extension not in detected.extensions:
        if not extension:
            message = _("The file name has no extension. Rename it to end in .%(expected)s and upload it again.")
        elif extension in filetypes.ACCEPTED_EXTENSIONS:
            message = _(
                "The file is named .%(extension)s but its content is a .%(expected)s file; it was refused. "
                "Rename it to end in .%(expected)s if that is what it is."
            )
        else:
            message = NOT_ACCEPTED
        raise ValidationError({"file": message % {"extension": extension, "expected": detected.main_extension}})
    return detected


def safe_file_name(name: str) -> str:
    """The uploader's file name as shown and offered on download (printable, at most 255 characters)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable())
    if len(base) > 255:
        extension = filetypes.extension_of(base)
        base = base[: 254 - len(extension)] + "." + extension
    return base


@transaction.atomic
def attachment_add(
    *,
    user,
    case: Case,
    uploaded_file,
    description: str = "",
    visibility: str = Visibility.TEAM,
) -> Attachment:
    """Store a document on a case after checking its size and its type by content."""
    case = reach_case(user, case, lock=False)
    ensure_open(case)
    if uploaded_file is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    name = safe_file_name(getattr(uploaded_file, "name", "") or "")
    data = read_limited(uploaded_file, max_upload_bytes())
    filetype = check_file(name, data)
    attachment = Attachment(
        municipality_id=case.municipality_id,
        case=case,
        original_name=name,
        content_type=filetype.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description=(description or "").strip(),
        visibility=visibility,
        uploaded_by=user,
        institution_id=author_institution_id(user, case),
    )
    attachment.full_clean(exclude=["file"])
    storage = attachment.file.storage
    target = attachment.file.field.generate_filename(attachment, "upload")
    try:
        stored_name = storage.save(target, ContentFile(data))
    except OSError:  # a full or unavailable disk: no row, and no partly written file
        if storage.exists(target):
            storage.delete(target)
        raise ValidationError({"file": _(
            "The document could not be stored: the server's storage is full or unavailable. Nothing was "
            "saved; please try again later and tell your institution's admin.")}) from None
    attachment.file.name = stored_name
    try:
        attachment.full_clean()
        attachment.save()
        audit_log(
            action=AuditAction.CREATE,
            actor=user,
            obj=attachment,
            institution_id=attachment.institution_id,
            details={"case": case.pk, "content_type": filetype.mime, "size": attachment.size},
        )
        touch(case)
    except Exception:
        attachment.file.storage.delete(stored_name)
        raise
    return attachment


def attachment_open(*, user, attachment: Attachment | int) -> Attachment:
    """The attachment with its file opened for reading, if the user may see it; the read is audited."""
    pk = attachment.pk if isinstance(attachment, Attachment) else attachment
    found = Attachment.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    try:
        found.file.open("rb")
    except FileNotFoundError:
        raise Http404
    audit_log(
        action=AuditAction.VIEW,
        actor=user,
        obj=found,
        details={"case": found.case_id},
    )
    return found



def attachments_sweep_orphans(*, older_than: timedelta = timedelta(hours=24), now: datetime | None = None) -> int:
    """Delete stored files under cases/ that no attachment row references and that are older than
    ``older_than`` (a file saved inside a transaction that was rolled back leaves such a file; the
    age guard spares uploads whose transaction is still open). Returns how many were deleted."""
    root = os.path.join(settings.MEDIA_ROOT, "cases")
    if not os.path.isdir(root):
        return 0
    cutoff = (now or timezone.now()).timestamp() - older_than.total_seconds()
    deleted = 0
    for municipality_dir in sorted(os.listdir(root)):
        prefix = f"cases/{municipality_dir}/"
        known = set(Attachment.objects.filter(file__startswith=prefix).values_list("file", flat=True))
        for dirpath, _dirnames, filenames in os.walk(os.path.join(root, municipality_dir)):
            for filename in filenames:
                path = os.path.join(dirpath, filename)
                name = os.path.relpath(path, settings.MEDIA_ROOT).replace(os.sep, "/")
                if name in known or os.path.getmtime(path) > cutoff:
                    continue
                default_storage.delete(name)
                deleted += 1
    if deleted:
        logger.info("attachment sweep removed %d unreferenced files", deleted)
    return deleted
