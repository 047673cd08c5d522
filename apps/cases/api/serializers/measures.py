"""Emergency measures (with their extension steps), protective measures and breaches."""
from __future__ import annotations

from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import (
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    WindowDateField,
    WindowDateTimeField,
)
from apps.institutions.models import Institution

from ...choices import CourtDecision
from ...models import EmergencyMeasure, MeasureBreach, ProtectiveMeasure
from ...services import measures as measure_services
from .fields import CaseField


class EmergencyMeasureSerializer(ModelSerializer):
    """A 48-hour police emergency measure; expiry and deadlines are computed by the service."""

    case = CaseField()
    ordered_by = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())

    class Meta:
        model = EmergencyMeasure
        fields = [
            "id", "case", "kind", "order_number", "ordered_by", "delivered_at", "expires_at",
            "extension_proposal_due", "extension_proposed_at", "court_decision_due", "court_decided_at",
            "court_decision", "extended_until", "appeal_due", "appeal_filed_at", "recorded_by", "version",
        ]
        read_only_fields = [
            "id", "expires_at", "extension_proposal_due", "extension_proposed_at", "court_decision_due",
            "court_decided_at", "court_decision", "extended_until", "appeal_due", "appeal_filed_at", "recorded_by",
            "version",
        ]

    def create(self, validated_data):
        with service_errors():
            return measure_services.emergency_measure_record(user=self.context["user"], **validated_data)


class ExtensionProposalSerializer(serializers.Serializer):
    extension_proposed_at = WindowDateTimeField()


class CourtDecisionSerializer(serializers.Serializer):
    court_decision = serializers.ChoiceField(choices=[c for c in CourtDecision.choices if c[0] != CourtDecision.PENDING])
    court_decided_at = WindowDateTimeField()


class AppealSerializer(serializers.Serializer):
    appeal_filed_at = WindowDateTimeField()


class BreachSerializer(ModelSerializer):
    """A breach of one emergency or protective measure of the case."""

    case = CaseField()
    emergency_measure = ScopedPrimaryKeyRelatedField(
        queryset=EmergencyMeasure.objects.all(), required=False, allow_null=True
    )
    protective_measure = ScopedPrimaryKeyRelatedField(
        queryset=ProtectiveMeasure.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = MeasureBreach
        fields = ["id", "case", "emergency_measure", "protective_measure", "occurred_at", "description", "recorded_by"]
        read_only_fields = ["id", "recorded_by"]

    def create(self, validated_data):
        with service_errors():
            return measure_services.breach_record(user=self.context["user"], **validated_data)


class ProtectiveMeasureSerializer(ModelSerializer):
    """A Family Law art. 198 protective measure (up to one year)."""

    case = CaseField()

    class Meta:
        model = ProtectiveMeasure
        fields = [
            "id", "case", "kind", "court", "decision_number", "decision_date", "valid_from", "valid_until",
            "distance_m", "renewed_from", "recorded_by",
        ]
        read_only_fields = ["id", "renewed_from", "recorded_by"]

    def create(self, validated_data):
        with service_errors():
            return measure_services.protective_measure_record(user=self.context["user"], **validated_data)


class ProtectiveRenewSerializer(serializers.Serializer):
    decision_date = WindowDateField()
    valid_until = WindowDateField()
    valid_from = WindowDateField(required=False, allow_null=True)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    court = serializers.CharField(required=False, allow_blank=True, max_length=200)
