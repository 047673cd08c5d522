"""Art. 16 risk assessments and what they ask of the team."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer

from ...choices import RiskLevel
from ...models import RiskAssessment
from ...services import risk as risk_services
from .fields import CaseField, PlainChoiceField


class RiskAssessmentSerializer(ModelSerializer):
    """An art. 16 assessment; ``items`` maps each checklist code to yes / no / unknown (or
    {"answer": ..., "note": ...}). The level may be raised above the computed one with a reason."""

    case = CaseField()
    items = serializers.JSONField(required=False)
    level = serializers.CharField(required=False, allow_blank=True, help_text=_("Leave empty for the computed level."))
    computed_level = PlainChoiceField(RiskLevel.choices, read_only=True)
    proposed_for_conference = serializers.SerializerMethodField()
    open_plan = serializers.SerializerMethodField()
    send_to_prosecutor = serializers.SerializerMethodField()
    case_risk_level = serializers.SerializerMethodField(
        help_text=_(
            "The case's level after this assessment: a lower assessment without lower_reason keeps the case's "
            "higher current assessment."
        )
    )

    class Meta:
        model = RiskAssessment
        fields = [
            "id", "case", "assessed_at", "assessor", "institution", "items", "computed_level", "level",
            "immediate_danger", "raise_reason", "lower_reason", "conclusion", "sent_to_prosecutor_at",
            "proposed_for_conference", "open_plan", "send_to_prosecutor", "case_risk_level",
        ]
        read_only_fields = ["id", "assessor", "institution", "computed_level", "sent_to_prosecutor_at"]
        extra_kwargs = {"assessed_at": {"required": False}, "immediate_danger": {"required": True}}

    def _outcome(self, obj, name) -> bool | None:
        outcome = getattr(obj, "outcome", None)
        return getattr(outcome, name) if outcome is not None else None

    def get_proposed_for_conference(self, obj) -> bool | None:
        return self._outcome(obj, "proposed_for_conference")

    def get_open_plan(self, obj) -> bool | None:
        return self._outcome(obj, "open_plan")

    def get_send_to_prosecutor(self, obj) -> bool | None:
        return self._outcome(obj, "send_to_prosecutor")

    def get_case_risk_level(self, obj) -> str | None:
        current = self._outcome(obj, "current")
        return current.level if current is not None else None

    def create(self, validated_data):
        with service_errors():
            outcome = risk_services.risk_assess(
                user=self.context["user"],
                case=validated_data["case"],
                items=validated_data.get("items") or {},
                immediate_danger=validated_data["immediate_danger"],
                level=validated_data.get("level") or None,
                raise_reason=validated_data.get("raise_reason", ""),
                lower_reason=validated_data.get("lower_reason", ""),
                conclusion=validated_data.get("conclusion", ""),
                assessed_at=validated_data.get("assessed_at"),
            )
        assessment = outcome.assessment
        assessment.outcome = outcome
        return assessment
