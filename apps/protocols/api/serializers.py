"""API serializers of the protocols app (input is validated here; the services decide)."""
from __future__ import annotations

from rest_framework import serializers

from ..choices import Answer
from ..models import (
    ActionPoint,
    Agreement,
    AgreementAnnex,
    AgreementParty,
    AssessmentAnswer,
    AssessmentResponse,
    AssessmentRound,
    Protocol,
    ProtocolStep,
    ProtocolVersion,
)


class ProtocolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Protocol
        fields = ["id", "municipality", "kind", "title", "title_cyrl", "title_en", "based_on"]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtocolStep
        fields = ["id", "sector", "position", "actor", "actor_cyrl", "actor_en", "action", "action_cyrl", "action_en",
                  "time_amount", "time_unit", "legal_basis", "proving_event"]


class VersionSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = ProtocolVersion
        fields = ["id", "protocol", "number", "status", "preamble", "preamble_cyrl", "preamble_en", "adopted_on",
                  "decision_number", "superseded_on", "steps"]


class AdoptSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=80)


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementParty
        fields = ["id", "institution", "outside_name", "signatory_name", "signatory_function", "signed_on"]


class AnnexSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementAnnex
        fields = ["id", "number", "title", "summary", "signed_on"]


class AgreementSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    annexes = AnnexSerializer(many=True, read_only=True)
    has_scan = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = ["id", "municipality", "title", "subject", "protocol", "valid_from", "valid_until", "status",
                  "terminated_on", "has_scan", "parties", "annexes"]
        read_only_fields = ["municipality", "status", "terminated_on"]

    def get_has_scan(self, obj) -> bool:
        return bool(obj.scan)


class SignSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    signatory_name = serializers.CharField(max_length=150)
    signatory_function = serializers.CharField(max_length=150, required=False, allow_blank=True)


class RoundSerializer(serializers.ModelSerializer):
    institutions = serializers.ListField(child=serializers.IntegerField(), write_only=True)

    class Meta:
        model = AssessmentRound
        fields = ["id", "municipality", "checklist", "title", "period_from", "period_to", "deadline", "status",
                  "closed_at", "institutions"]
        read_only_fields = ["municipality", "status", "closed_at"]


class AnswerSerializer(serializers.ModelSerializer):
    value = serializers.CharField(read_only=True, help_text="no, partly, yes, na, or empty (not answered yet)")
    evidence_url = serializers.CharField(read_only=True)

    class Meta:
        model = AssessmentAnswer
        fields = ["item", "value", "note", "evidence_url"]


class ActionPointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionPoint
        fields = ["id", "theme", "text", "due", "action_plan_activity_id"]


class ResponseSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    action_points = ActionPointSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentResponse
        fields = ["id", "round", "institution", "status", "submitted_at", "return_note", "answers", "action_points"]


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    value = serializers.ChoiceField(choices=[("", "")] + list(Answer.choices), allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")


class AnswersInputSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True)
    submit = serializers.BooleanField(required=False, default=False)


class ComplianceCellSerializer(serializers.Serializer):
    month = serializers.DateField()
    due = serializers.IntegerField(allow_null=True)
    on_time = serializers.IntegerField(allow_null=True)
    running = serializers.IntegerField(allow_null=True)
    share = serializers.FloatField(allow_null=True)
    median_hours = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()


class ComplianceRowSerializer(serializers.Serializer):
    institution = serializers.IntegerField(allow_null=True)
    months = ComplianceCellSerializer(many=True)


class ComplianceSerializer(serializers.Serializer):
    municipality = serializers.IntegerField()
    year = serializers.IntegerField()
    measure = serializers.CharField()
    suppressed = serializers.BooleanField()
    rows = ComplianceRowSerializer(many=True)
