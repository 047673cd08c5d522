"""Referrals to other institutions (safe houses also in other municipalities)."""
from __future__ import annotations

from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField
from apps.institutions.models import Institution

from ...choices import ReferralUrgency
from ...models import Referral
from ...services import referrals as referral_services
from .fields import CaseField, ReferralTargetField


class ReferralSerializer(ModelSerializer):
    """A referral to another institution (safe houses also in other municipalities)."""

    case = CaseField()
    case_number = serializers.CharField(source="case.number", read_only=True)
    from_institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())
    to_institution = ReferralTargetField(queryset=Institution.objects.none())
    urgency = serializers.ChoiceField(choices=ReferralUrgency.choices, required=False)

    class Meta:
        model = Referral
        fields = [
            "id", "case", "case_number", "from_institution", "to_institution", "reason", "urgency", "status",
            "sent_at", "answered_at", "decline_reason", "completed_at", "consent_override_reason",
        ]
        read_only_fields = ["id", "status", "sent_at", "answered_at", "decline_reason", "completed_at"]

    def create(self, validated_data):
        with service_errors():
            return referral_services.referral_send(user=self.context["user"], **validated_data)


class ReferralDeclineSerializer(serializers.Serializer):
    decline_reason = serializers.CharField(allow_blank=True)
