"""Institution serializers; writes go through the institution services."""
from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ScopedPrimaryKeyRelatedField
from apps.municipalities.models import Municipality

from ..models import Institution
from ..services import institution_create, institution_update


class InstitutionSerializer(serializers.ModelSerializer):
    """An institution and its contact data; its municipality is chosen once, at creation."""

    municipality = ScopedPrimaryKeyRelatedField(queryset=Municipality.objects.all(), action="change")

    class Meta:
        model = Institution
        fields = ["id", "municipality", "type", "name", "name_cyrl", "address", "email", "phone", "contact_person", "is_active"]
        read_only_fields = ["id"]
        extra_kwargs = {"is_active": {"required": False}, "name_cyrl": {"required": False}}

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["municipality"].read_only = True
        return fields

    def validate_name(self, value):
        return value.strip()

    def validate_name_cyrl(self, value):
        return (value or "").strip()

    def create(self, validated_data):
        with service_errors():
            return institution_create(created_by=self.context["user"], **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("municipality", None)
        with service_errors():
            return institution_update(institution=instance, updated_by=self.context["user"], **validated_data)
