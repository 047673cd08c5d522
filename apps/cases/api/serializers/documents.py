"""Documents (attachments) on a case."""
from __future__ import annotations

from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer

from ...models import Attachment
from ...services import attachments as attachment_services
from .fields import CaseField


class AttachmentSerializer(ModelSerializer):
    """A document on a case (multipart upload: PDF, images, office documents up to 20 MB, checked by content)."""

    case = CaseField()
    file = serializers.FileField(write_only=True, allow_empty_file=True)

    class Meta:
        model = Attachment
        fields = [
            "id", "case", "file", "original_name", "content_type", "size", "sha256", "description", "visibility",
            "uploaded_by", "institution", "created_at",
        ]
        read_only_fields = [
            "id", "original_name", "content_type", "size", "sha256", "uploaded_by", "institution", "created_at",
        ]

    def create(self, validated_data):
        with service_errors():
            return attachment_services.attachment_add(
                user=self.context["user"],
                case=validated_data["case"],
                uploaded_file=validated_data["file"],
                description=validated_data.get("description", ""),
                visibility=validated_data.get("visibility") or "team",
            )
