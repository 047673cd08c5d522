"""The messages of the interlinking API. The record formats are checked by apps/interlink/formats.py
(one checker for JSON and files); these serializers state them in the OpenAPI schema."""
from __future__ import annotations

from rest_framework import serializers

from apps.cases.choices import (
    RISK_ITEM_CODES,
    EmergencyMeasureKind,
    PersonRole,
    PlaceType,
    ProtectiveMeasureKind,
    Relationship,
    Sex,
    ViolenceForm,
)

from ..choices import CourtDecisionType, Decision, EventType, ImportStatus, RecordKind, RecordStatus
from ..models import FeedEvent, ImportRun, InboundRecord, WebhookSubscription


class PersonIn(serializers.Serializer):
    role = serializers.ChoiceField(PersonRole.choices)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    sex = serializers.ChoiceField(Sex.choices, required=False)
    birth_date = serializers.DateField(required=False)
    jmbg = serializers.CharField(required=False, help_text="13 digits with a valid check digit; matched by its keyed hash")
    address = serializers.CharField(required=False)
    relationship_to_victim = serializers.ChoiceField(Relationship.choices, required=False)


class IncidentIn(serializers.Serializer):
    occurred_at = serializers.DateTimeField(help_text="with its time zone")
    reported_at = serializers.DateTimeField(required=False)
    place_type = serializers.ChoiceField(PlaceType.choices, required=False)
    forms = serializers.ListField(child=serializers.ChoiceField(ViolenceForm.choices))
    police_event_number = serializers.CharField(required=False)
    injuries = serializers.BooleanField(required=False)
    weapon_involved = serializers.BooleanField(required=False)
    children_present = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False)


class RiskIn(serializers.Serializer):
    immediate_danger = serializers.BooleanField()
    items = serializers.DictField(
        child=serializers.ChoiceField(["yes", "no", "unknown"]), required=False,
        help_text="checklist items: " + ", ".join(RISK_ITEM_CODES),
    )


class MeasureIn(serializers.Serializer):
    kind = serializers.ChoiceField(EmergencyMeasureKind.choices)
    order_number = serializers.CharField(max_length=60)
    delivered_at = serializers.DateTimeField()


class RecordBase(serializers.Serializer):
    external_id = serializers.CharField(max_length=80, help_text="the sender's own id of the record")
    version = serializers.IntegerField(min_value=1, help_text="raise it for every change; older versions are refused")


class PoliceReportIn(RecordBase):
    incident = IncidentIn()
    persons = PersonIn(many=True)
    risk = RiskIn(required=False)
    emergency_measure = MeasureIn(required=False, allow_null=True)


class EmergencyOrderIn(RecordBase, MeasureIn):
    report_external_id = serializers.CharField(required=False, help_text="the police report the order belongs to")
    persons = PersonIn(many=True, required=False)


class CourtDecisionIn(RecordBase):
    decision_type = serializers.ChoiceField(CourtDecisionType.choices)
    court = serializers.CharField()
    decision_number = serializers.CharField(required=False)
    persons = PersonIn(many=True)
    order_number = serializers.CharField(required=False, help_text="extension: the emergency measure's order")
    proposed_at = serializers.DateTimeField(required=False)
    decided_at = serializers.DateTimeField(required=False)
    extended = serializers.BooleanField(required=False)
    kind = serializers.ChoiceField(ProtectiveMeasureKind.choices, required=False)
    decision_date = serializers.DateField(required=False)
    valid_from = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False)
    distance_m = serializers.IntegerField(required=False)


class RecordOut(serializers.ModelSerializer):
    """Where a record stands: its case number only once it is on a case the account reaches."""

    kind = serializers.ChoiceField(RecordKind.choices)
    status = serializers.ChoiceField(RecordStatus.choices)
    decision = serializers.ChoiceField(Decision.choices)
    case_number = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = InboundRecord
        fields = ["id", "kind", "external_id", "version", "status", "decision", "score", "reason", "case_number",
                  "received_at", "decided_at", "outcome"]

    def get_case_number(self, obj) -> str | None:
        numbers = self.context.get("case_numbers") or {}
        return numbers.get(obj.case_id)

    def get_reason(self, obj) -> str:
        return str(obj.explanation.get("reason", ""))

    def get_outcome(self, obj) -> str:
        return self.context.get("outcome", "")


class RecordErrorOut(serializers.Serializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ImportIn(serializers.Serializer):
    kind = serializers.ChoiceField(RecordKind.choices)
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX, one record per row")


class FileErrorOut(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class ImportOut(serializers.ModelSerializer):
    status = serializers.ChoiceField(ImportStatus.choices)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportRun
        fields = ["id", "kind", "file_name", "status", "total", "processed", "percent", "counts", "failure",
                  "created_at", "started_at", "finished_at"]


class EventOut(serializers.ModelSerializer):
    event_type = serializers.ChoiceField(EventType.choices)

    class Meta:
        model = FeedEvent
        fields = ["id", "event_id", "event_type", "occurred_at", "payload"]


class WebhookSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.ChoiceField(EventType.choices), allow_empty=False)
    secret = serializers.CharField(write_only=True, min_length=24, help_text="shared secret of the HMAC signature")

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "secret", "event_types", "is_active", "created_at"]
        read_only_fields = ["is_active", "created_at"]
