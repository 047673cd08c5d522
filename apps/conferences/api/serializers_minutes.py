"""Serializers of the minutes, their case parts, action items, supervision feedback and targets.
They validate input and call the services; foreign keys are scoped."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.cases.choices import RiskLevel
from apps.core.api.fields import ScopedPrimaryKeyRelatedField
from apps.institutions.models import Institution

from ..choices import Rating
from ..models import ActionItem, AgendaItem, Meeting, MinutesAmendment, SupervisionFeedback

User = get_user_model()


class AttendanceSerializer(serializers.Serializer):
    """One invitee's attendance."""

    invitee = serializers.IntegerField()
    label = serializers.CharField(read_only=True)
    attended = serializers.BooleanField(allow_null=True)


class AmendmentSerializer(serializers.ModelSerializer):
    """An amendment to approved minutes (``agenda_item`` null: the minutes in general)."""

    agenda_item = ScopedPrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)

    class Meta:
        model = MinutesAmendment
        fields = ["id", "agenda_item", "text", "reason", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"text": {"required": True}, "reason": {"required": True}}


class ActionItemSerializer(serializers.ModelSerializer):
    """An action item: what, owner institution, responsible person, due date, status."""

    agenda_item = ScopedPrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), action="change")
    owner_institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True), allow_null=True,
        error_messages={"null": _("Choose the institution that owns the action.")},
    )
    responsible = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), required=False, allow_null=True)
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id", "meeting", "agenda_item", "case", "case_number", "description", "owner_institution", "responsible",
            "due_on", "status", "completed_at", "completion_note",
        ]
        read_only_fields = ["id", "meeting", "case", "case_number", "status", "completed_at", "completion_note"]
        extra_kwargs = {"owner_institution": {"required": True}}


class ActionCompleteSerializer(serializers.Serializer):
    """Reporting an action done."""

    completion_note = serializers.CharField()


class MinutesItemSerializer(serializers.ModelSerializer):
    """One case's part of the minutes (only for readers who may see the case)."""

    case_number = serializers.CharField(source="case.number", read_only=True)
    risk_level = serializers.ChoiceField(choices=[("", "—"), *RiskLevel.choices], required=False, allow_blank=True)
    actions = serializers.SerializerMethodField()
    reason_display = serializers.CharField(read_only=True, help_text="Why the case is on the agenda, in the reader's language.")

    class Meta:
        model = AgendaItem
        fields = [
            "id", "meeting", "case", "case_number", "section", "position", "reason", "reason_display", "discussed",
            "discussion",
            "decisions", "risk_level", "risk_reason", "next_review_on", "risk_assessment", "actions",
        ]
        read_only_fields = [
            "id", "meeting", "case", "case_number", "section", "position", "reason", "reason_display", "risk_assessment",
        ]

    def get_actions(self, obj) -> list[int]:
        return [a.pk for a in obj.action_items.all()]


class MinutesListSerializer(serializers.ModelSerializer):
    """A meeting with the state of its minutes."""

    minutes_status = serializers.CharField(source="minutes.status", read_only=True, default="")
    approved_at = serializers.DateTimeField(source="minutes.approved_at", read_only=True, default=None)

    class Meta:
        model = Meeting
        fields = ["id", "kind", "starts_at", "status", "minutes_status", "approved_at"]


class MinutesPartSerializer(serializers.Serializer):
    """A case's part as the reader may see it (``redacted``: a case the reader has no access to)."""

    number = serializers.IntegerField()
    section = serializers.CharField()
    redacted = serializers.BooleanField()
    item = MinutesItemSerializer(allow_null=True)


class MinutesSerializer(serializers.Serializer):
    """The minutes of one meeting as the reader may see them."""

    meeting = serializers.IntegerField()
    meeting_status = serializers.CharField()
    status = serializers.CharField()
    attendance_note = serializers.CharField()
    general_notes = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.IntegerField(allow_null=True)
    attendance = AttendanceSerializer(many=True)
    parts = MinutesPartSerializer(many=True)
    amendments = AmendmentSerializer(many=True)


class MinutesUpdateSerializer(serializers.Serializer):
    """The general part of draft minutes."""

    attendance_note = serializers.CharField(required=False, allow_blank=True)
    general_notes = serializers.CharField(required=False, allow_blank=True)
    attendance = AttendanceSerializer(many=True, required=False)


class SupervisionFeedbackSerializer(serializers.ModelSerializer):
    """The supervisor's structured feedback (create again to revise)."""

    meeting = ScopedPrimaryKeyRelatedField(queryset=Meeting.objects.all())
    preparation = serializers.ChoiceField(choices=Rating.choices)
    risk_focus = serializers.ChoiceField(choices=Rating.choices)
    participation = serializers.ChoiceField(choices=Rating.choices)
    victim_voice = serializers.ChoiceField(choices=Rating.choices)
    decisions = serializers.ChoiceField(choices=Rating.choices)

    class Meta:
        model = SupervisionFeedback
        fields = [
            "id", "meeting", "supervisor", "preparation", "risk_focus", "participation", "victim_voice", "decisions",
            "strengths", "improvements", "notes", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "supervisor", "created_at", "updated_at"]


class MonthFigureSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    held = serializers.IntegerField()
    target = serializers.IntegerField()
    met = serializers.BooleanField(allow_null=True)


class MunicipalityTargetsSerializer(serializers.Serializer):
    municipality_id = serializers.IntegerField()
    name = serializers.CharField()
    cadence_months = serializers.IntegerField()
    months = MonthFigureSerializer(many=True)
    held = serializers.IntegerField()
    target_year = serializers.IntegerField()
    due_so_far = serializers.IntegerField()
    supervision_held = serializers.IntegerField()
    supervision_target = serializers.IntegerField()


class AreaTargetsSerializer(serializers.Serializer):
    area_id = serializers.IntegerField()
    name = serializers.CharField()
    interval_days = serializers.IntegerField()
    months = MonthFigureSerializer(many=True)
    held = serializers.IntegerField()
    target_year = serializers.IntegerField()


class TargetsSerializer(serializers.Serializer):
    """Held meetings against the targets (aggregates only)."""

    year = serializers.IntegerField()
    municipalities = MunicipalityTargetsSerializer(many=True)
    areas = AreaTargetsSerializer(many=True)
    programme_held = serializers.IntegerField()
    programme_target = serializers.IntegerField()
