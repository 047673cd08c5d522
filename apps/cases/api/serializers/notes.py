"""Notes and contacts on a case."""
from __future__ import annotations

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer

from ...models import CaseNote
from ...services import notes as note_services
from .fields import CaseField, WriteOnCreateMixin


class CaseNoteSerializer(WriteOnCreateMixin, ModelSerializer):
    """A note or contact, for the whole team or the author's institution only; the author may correct
    it within 24 hours."""

    case = CaseField()

    class Meta:
        model = CaseNote
        fields = ["id", "case", "kind", "occurred_at", "text", "visibility", "author", "institution", "created_at"]
        read_only_fields = ["id", "author", "institution", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}}
        create_only = ["case"]

    def create(self, validated_data):
        with service_errors():
            return note_services.note_add(user=self.user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("case", None)
        with service_errors():
            return note_services.note_update(user=self.user, note=instance, **validated_data)
