"""Individual protection and support plans and their measures."""
from __future__ import annotations

from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField
from apps.institutions.models import Institution

from ...choices import PlanMeasureStatus
from ...models import CasePerson, PlanMeasure, ProtectionPlan
from ...services import plans as plan_services
from .fields import CaseField, PlainChoiceField, WriteOnCreateMixin


class ProtectionPlanSerializer(WriteOnCreateMixin, ModelSerializer):
    """The individual protection and support plan; a new plan replaces the current one."""

    case = CaseField()

    class Meta:
        model = ProtectionPlan
        fields = [
            "id", "case", "adopted_at", "victim_participated", "victim_signed", "monitoring", "next_review",
            "is_active", "created_by", "version",
        ]
        read_only_fields = ["id", "is_active", "created_by", "version"]
        extra_kwargs = {"adopted_at": {"required": False}, "victim_participated": {"required": True}}
        create_only = ["case"]

    def create(self, validated_data):
        with service_errors():
            return plan_services.plan_create(user=self.user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("case", None)
        with service_errors():
            return plan_services.plan_update(
                user=self.user, plan=instance, expected_version=self.context["expected_version"], **validated_data
            )


class PlanMeasureSerializer(WriteOnCreateMixin, ModelSerializer):
    """A protection or support measure of a plan, carried out by an institution of the case team."""

    plan = ScopedPrimaryKeyRelatedField(queryset=ProtectionPlan.objects.all())
    for_person = ScopedPrimaryKeyRelatedField(queryset=CasePerson.objects.all(), required=False, allow_null=True)
    owner_institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())
    status = PlainChoiceField(PlanMeasureStatus.choices, read_only=True)

    class Meta:
        model = PlanMeasure
        fields = [
            "id", "plan", "case", "kind", "description", "for_person", "owner_institution", "responsible_person",
            "deadline", "status", "completed_at", "version",
        ]
        read_only_fields = ["id", "case", "status", "completed_at", "version"]
        create_only = ["plan"]

    def create(self, validated_data):
        with service_errors():
            return plan_services.plan_measure_add(user=self.user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("plan", None)
        with service_errors():
            return plan_services.plan_measure_update(
                user=self.user, measure=instance, expected_version=self.context["expected_version"], **validated_data
            )


class PlanMeasureStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanMeasureStatus.choices)
