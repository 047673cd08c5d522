"""Municipality serializers; writes go through the municipality services."""
from rest_framework import serializers

from apps.core.api.errors import service_errors

from ..models import Municipality
from ..services import municipality_create, municipality_update


class MunicipalitySerializer(serializers.ModelSerializer):
    """A municipality and its settings."""

    class Meta:
        model = Municipality
        fields = [
            "id",
            "name",
            "name_cyrl",
            "name_locative",
            "name_locative_cyrl",
            "name_genitive",
            "name_genitive_cyrl",
            "code",
            "slug",
            "kind",
            "district",
            "population",
            "size_class",
            "conference_cadence_months",
            "is_active",
            "onboarded_at",
        ]
        read_only_fields = ["id", "onboarded_at"]
        extra_kwargs = {"conference_cadence_months": {"required": False}, "is_active": {"required": False}}

    def create(self, validated_data):
        validated_data.pop("is_active", None)
        with service_errors():
            return municipality_create(created_by=self.context["user"], **validated_data)

    def update(self, instance, validated_data):
        with service_errors():
            return municipality_update(municipality=instance, updated_by=self.context["user"], **validated_data)
