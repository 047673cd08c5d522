"""Serializers of the action plans API: they validate input (foreign keys scoped to what the user may
change) and the views call the services; amounts are decimal strings in RSD, never floats."""
from __future__ import annotations

from rest_framework import serializers

from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField, WindowDateField
from apps.institutions.models import Institution

from ..models import (
    Activity,
    BudgetLine,
    Execution,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Plan,
)

AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class PlanSerializer(ModelSerializer):
    """A plan (its municipality fixed at creation; status changes through ``advance``)."""

    class Meta:
        model = Plan
        fields = ["id", "municipality", "title", "title_cyrl", "period_from", "period_to", "general_goal", "status",
                  "consultation_from", "consultation_until", "decision_number", "decision_date", "is_published",
                  "coordinator", "version", "created_at", "updated_at"]
        read_only_fields = ["id", "municipality", "status", "consultation_from", "consultation_until", "decision_number",
                            "decision_date", "is_published", "coordinator", "version", "created_at", "updated_at"]


class PlanCreateSerializer(PlanSerializer):
    municipality = serializers.IntegerField()

    class Meta(PlanSerializer.Meta):
        read_only_fields = [f for f in PlanSerializer.Meta.read_only_fields if f != "municipality"]


class PlanAdvanceSerializer(serializers.Serializer):
    consultation_from = WindowDateField(required=False, allow_null=True)
    consultation_until = WindowDateField(required=False, allow_null=True)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_date = WindowDateField(required=False, allow_null=True)


class PlanPublishSerializer(serializers.Serializer):
    published = serializers.BooleanField()


class PlanAmendmentSerializer(serializers.Serializer):
    reason = serializers.CharField()
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_date = WindowDateField(required=False, allow_null=True)


class GoalSerializer(ModelSerializer):
    plan = ScopedPrimaryKeyRelatedField(queryset=Plan.objects.all(), action="change")

    class Meta:
        model = Goal
        fields = ["id", "plan", "number", "title"]
        read_only_fields = ["id", "number"]


class MeasureSerializer(ModelSerializer):
    goal = ScopedPrimaryKeyRelatedField(queryset=Goal.objects.all(), action="change")

    class Meta:
        model = Measure
        fields = ["id", "plan", "goal", "number", "title", "programme_activity"]
        read_only_fields = ["id", "plan", "number"]


class ActivitySerializer(ModelSerializer):
    measure = ScopedPrimaryKeyRelatedField(queryset=Measure.objects.all(), action="change")
    owner_institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())
    partners = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "plan", "measure", "number", "title", "owner_institution", "responsible", "starts_on", "ends_on",
                  "status", "cancel_reason", "event_kind", "event_ref", "partners", "version"]
        read_only_fields = ["id", "plan", "number", "responsible", "status", "cancel_reason", "event_ref", "version"]

    def get_partners(self, obj) -> list[int]:
        return [p.institution_id for p in obj.partners.all()]


class ActivityUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=500)
    owner_institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False)
    starts_on = WindowDateField(required=False)
    ends_on = WindowDateField(required=False)


class ActivityStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    cancel_reason = serializers.CharField(required=False, allow_blank=True, default="")


class IndicatorTargetSerializer(ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["year", "value"]


class IndicatorValueSerializer(ModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["year", "quarter", "value"]


class IndicatorSerializer(ModelSerializer):
    plan = ScopedPrimaryKeyRelatedField(queryset=Plan.objects.all(), action="change")
    goal = ScopedPrimaryKeyRelatedField(queryset=Goal.objects.all(), action="change", required=False, allow_null=True)
    measure = ScopedPrimaryKeyRelatedField(queryset=Measure.objects.all(), action="change", required=False, allow_null=True)
    targets = IndicatorTargetSerializer(many=True, required=False)
    values = IndicatorValueSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "plan", "goal", "measure", "name", "unit", "baseline", "baseline_year", "source", "targets", "values"]
        read_only_fields = ["id"]


class BudgetLineSerializer(ModelSerializer):
    activity = ScopedPrimaryKeyRelatedField(queryset=Activity.objects.all(), action="change")
    planned = serializers.DecimalField(**AMOUNT)
    amended = serializers.DecimalField(**AMOUNT, required=False, allow_null=True)
    committed = serializers.DecimalField(**AMOUNT, required=False)
    executed = serializers.SerializerMethodField()

    class Meta:
        model = BudgetLine
        fields = ["id", "plan", "activity", "year", "programme", "programme_activity", "function", "konto", "source",
                  "donor", "description", "planned", "amended", "committed", "executed", "version"]
        read_only_fields = ["id", "plan", "version"]

    def get_executed(self, obj) -> str:
        value = getattr(obj, "executed", None)
        if value is None:
            value = sum((e.amount for e in obj.executions.all()), start=type(obj.planned)("0"))
        return f"{value:.2f}"


class BudgetLineUpdateSerializer(serializers.Serializer):
    planned = serializers.DecimalField(**AMOUNT, required=False)
    amended = serializers.DecimalField(**AMOUNT, required=False, allow_null=True)
    committed = serializers.DecimalField(**AMOUNT, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    donor = serializers.CharField(required=False, allow_blank=True)


class ExecutionSerializer(ModelSerializer):
    line = ScopedPrimaryKeyRelatedField(queryset=BudgetLine.objects.all(), action="report")
    amount = serializers.DecimalField(**AMOUNT)

    class Meta:
        model = Execution
        fields = ["id", "plan", "line", "executed_on", "document", "amount", "over_reason", "recorded_by", "recorded_at"]
        read_only_fields = ["id", "plan", "recorded_by", "recorded_at"]
