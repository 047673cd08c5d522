"""Serializers of the minutes, their case parts, action items, supervision feedback and targets.
They validate input and call the services; foreign keys are scoped."""
from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField

from apps.cases.choices import RiskLevel
from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField
from apps.institutions.models import Institution

from ..choices import Rating
from ..models import ActionItem, AgendaItem, Meeting, MinutesAmendment, SupervisionFeedback
from ..services.actions import owner_choices, owner_staff

User = get_user_model()


class AttendanceSerializer(serializers.Serializer):
    """One invitee's attendance."""

    invitee = serializers.IntegerField()
    label = serializers.CharField(read_only=True)
    attended = serializers.BooleanField(allow_null=True)


class AmendmentSerializer(ModelSerializer):
    """An amendment to approved minutes (``agenda_item`` null: the minutes in general)."""

    agenda_item = ScopedPrimaryKeyRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)

    class Meta:
        model = MinutesAmendment
        fields = ["id", "agenda_item", "text", "reason", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"text": {"required": True}, "reason": {"required": True}}


class DependentKeyField(serializers.PrimaryKeyRelatedField):
    """A key whose choices depend on another field of the same request (the parent serializer's
    ``dependent_queryset``): an id outside them answers exactly like an id that does not exist.
    While what it depends on is itself invalid the field is skipped (that field's error says it)."""

    def get_queryset(self):
        queryset = self.parent.dependent_queryset(self.field_name)
        return self.queryset.none() if queryset is None else queryset

    def to_internal_value(self, data):
        if self.parent.dependent_queryset(self.field_name) is None:
            raise SkipField
        return super().to_internal_value(data)


class ActionItemSerializer(ModelSerializer):
    """An action item: what, owner institution, responsible person, due date, status.

    The agenda item must be of a meeting the requester runs; the owner institution one of that
    meeting's municipalities (and the case's); the responsible person active staff of the owner
    institution. Anything else is "does not exist", so an id never tells whether another
    municipality's institution or person exists."""

    agenda_item = ScopedPrimaryKeyRelatedField(
        queryset=AgendaItem.objects.select_related("meeting", "case"), action="change"
    )
    owner_institution = DependentKeyField(
        queryset=Institution.objects.none(), allow_null=True,
        error_messages={"null": _("Choose the institution that owns the action.")},
        help_text=_("An active institution of the meeting's municipalities or of the case's municipality."),
    )
    responsible = DependentKeyField(
        queryset=User.objects.none(), required=False, allow_null=True,
        help_text=_("A person who works at the owner institution."),
    )
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id", "meeting", "agenda_item", "case", "case_number", "description", "owner_institution", "responsible",
            "due_on", "status", "completed_at", "completion_note",
        ]
        read_only_fields = ["id", "meeting", "case", "case_number", "status", "completed_at", "completion_note"]
        extra_kwargs = {"owner_institution": {"required": True}}

    def dependent_queryset(self, name: str):
        """The choices of ``owner_institution`` or ``responsible`` for the request being validated
        (None: what they depend on is missing or invalid)."""
        resolved = getattr(self, "_resolved", None)
        if resolved is None:
            return None
        if name == "owner_institution":
            item = resolved.get("agenda_item")
            return None if item is None else owner_choices(item.meeting, item.case.municipality_id)
        owner = resolved.get("owner_institution")
        return None if owner is None else owner_staff(owner)

    def _resolve(self, name: str, data):
        field = self.fields[name]
        try:
            return field.run_validation(field.get_value(data))
        except (serializers.ValidationError, DjangoValidationError, SkipField):
            return None

    def to_internal_value(self, data):
        # The agenda item decides the owner's choices and the owner the responsible person's, so they
        # are resolved first, in that order.
        self._resolved = {}
        try:
            if isinstance(data, Mapping):
                self._resolved["agenda_item"] = self._resolve("agenda_item", data)
                self._resolved["owner_institution"] = self._resolve("owner_institution", data)
            return super().to_internal_value(data)
        finally:
            self._resolved = None


class ActionCompleteSerializer(serializers.Serializer):
    """Reporting an action done."""

    completion_note = serializers.CharField()


class MinutesItemSerializer(ModelSerializer):
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


class MinutesListSerializer(ModelSerializer):
    """A meeting with the state of its minutes."""

    minutes_status = serializers.CharField(source="minutes.status", read_only=True, default="")
    approved_at = serializers.DateTimeField(source="minutes.approved_at", read_only=True, allow_null=True, default=None)

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


class SupervisionFeedbackSerializer(ModelSerializer):
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
