"""Documents (attachments) on cases: upload and download."""
from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from ...models import Attachment
from ...services import attachments as attachment_services
from ..serializers.documents import AttachmentSerializer
from .base import ERRORS, RecordViewSet, record_docs


@record_docs(AttachmentSerializer)
class AttachmentViewSet(RecordViewSet):
    """Documents on cases: multipart upload (type checked by content), download through ``download``."""
    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ERRORS[404]})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself (the read is audited)."""
        attachment = attachment_services.attachment_open(user=request.user, attachment=int(pk))
        response = FileResponse(
            attachment.file, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
