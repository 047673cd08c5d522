"""Incidents of violence."""
from __future__ import annotations

from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField
from apps.institutions.models import Institution

from ...choices import ViolenceForm
from ...models import Incident
from ...services import incidents as incident_services
from .fields import CaseField


class IncidentSerializer(ModelSerializer):
    """One event of violence (it cannot have happened after it was reported)."""

    case = CaseField()
    reporting_institution = ScopedPrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True
    )
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ViolenceForm.choices), allow_empty=True)

    class Meta:
        model = Incident
        fields = [
            "id", "case", "occurred_at", "reported_at", "place_type", "forms", "reporting_institution", "channel",
            "police_event_number", "injuries", "injuries_note", "weapon_involved", "weapon_owned",
            "children_present", "children_witnessed", "description", "recorded_by",
        ]
        read_only_fields = ["id", "recorded_by"]
        extra_kwargs = {"reported_at": {"required": False}}

    def create(self, validated_data):
        with service_errors():
            return incident_services.incident_add(user=self.context["user"], **validated_data)
