"""Serializers of the meetings API: meetings with invitees and the agenda a user may read,
scheduling, rescheduling, cancelling and answering. Outside invitees' names and addresses are
never returned (they are stored encrypted and only used to send the invitation)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.accounts.models import User
from apps.core.api.fields import ModelSerializer, WindowDateTimeField
from apps.core.choices import Role
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from ..choices import AgendaSection, InvitationResponse, InviteeRole, MeetingKind
from ..models import AgendaItem, CoordinationArea, Meeting, MeetingInvitee
from ..selectors.meetings import agenda_for, invitees_of
from ..services import meetings as meeting_services


class _UserScopedField(serializers.PrimaryKeyRelatedField):
    """A relation whose choices come from a function of the requesting user."""

    def __init__(self, *args, choices_for=None, **kwargs):
        self.choices_for = choices_for
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        user = self.context.get("user") or getattr(self.context.get("request"), "user", None)
        if user is None:
            return self.queryset.none()
        return self.choices_for(user)


def _supervisors(user):
    return meeting_services.staff_choices_for(user).filter(
        memberships__role=Role.SUPERVISOR, memberships__is_active=True
    ).distinct()


class InviteeSerializer(ModelSerializer):
    """An invitee: a staff member, an institution, or an outside person (no name or address given)."""

    outside = serializers.SerializerMethodField(help_text=_("An outside person (the victim or her representative)."))

    class Meta:
        model = MeetingInvitee
        fields = ["id", "user", "institution", "outside", "role", "response", "response_note", "responded_at"]
        read_only_fields = fields

    def get_outside(self, obj) -> bool:
        return not obj.user_id and not obj.institution_id


class AgendaItemSerializer(ModelSerializer):
    """A case on the agenda (only those the user may read)."""

    case_number = serializers.CharField(source="case.number", read_only=True)
    reason_display = serializers.CharField(read_only=True, help_text="Why the case is on the agenda, in the reader's language.")

    class Meta:
        model = AgendaItem
        fields = ["id", "case", "case_number", "section", "position", "planned_minutes", "reason", "reason_display"]
        read_only_fields = fields


class MeetingSerializer(ModelSerializer):
    """A meeting as listed."""

    class Meta:
        model = Meeting
        fields = [
            "id", "kind", "municipality", "area", "starts_at", "ends_at", "place", "online_url", "chair",
            "supervisor", "status", "uid", "sequence", "cancelled_at", "version",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its invitees, the agenda items the user may read, and how many are not shown."""

    invitees = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    agenda_hidden_count = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "invitees", "agenda", "agenda_hidden_count"]
        read_only_fields = fields

    def _agenda(self, obj):
        cache = self.context.setdefault("_agenda", {})
        if obj.pk not in cache:
            cache[obj.pk] = agenda_for(self.context["user"], obj)
        return cache[obj.pk]

    def get_invitees(self, obj) -> list[dict]:
        return InviteeSerializer(invitees_of(obj), many=True).data

    def get_agenda(self, obj) -> list[dict]:
        return AgendaItemSerializer(self._agenda(obj).items, many=True).data

    def get_agenda_hidden_count(self, obj) -> int:
        return self._agenda(obj).hidden_count


class OutsideSerializer(serializers.Serializer):
    """An outside person to invite."""

    name = serializers.CharField(max_length=120)
    email = serializers.EmailField()
    role = serializers.ChoiceField(
        choices=[InviteeRole.VICTIM, InviteeRole.REPRESENTATIVE, InviteeRole.GUEST], default=InviteeRole.VICTIM
    )


class MeetingCreateSerializer(serializers.Serializer):
    """Schedule a meeting; ``warnings`` in the answer names people booked elsewhere at that time."""

    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    municipality = _UserScopedField(queryset=Municipality.objects.all(), required=False, allow_null=True,
                                    choices_for=meeting_services.schedulable_municipalities)
    area = _UserScopedField(queryset=CoordinationArea.objects.all(), required=False, allow_null=True,
                            choices_for=meeting_services.schedulable_areas)
    starts_at = WindowDateTimeField()
    ends_at = WindowDateTimeField()
    place = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    chair = _UserScopedField(queryset=User.objects.all(), required=False, allow_null=True,
                             choices_for=meeting_services.staff_choices_for)
    supervisor = _UserScopedField(queryset=User.objects.all(), required=False, allow_null=True, choices_for=_supervisors)
    institutions = _UserScopedField(queryset=Institution.objects.all(), many=True, required=False,
                                    choices_for=meeting_services.institution_choices_for)
    people = _UserScopedField(queryset=User.objects.all(), many=True, required=False,
                              choices_for=meeting_services.staff_choices_for)
    outside = OutsideSerializer(many=True, required=False)

    def create(self, validated_data):
        outside = [meeting_services.Outside(o["name"], o["email"], o.get("role", InviteeRole.VICTIM))
                   for o in validated_data.pop("outside", [])]
        return meeting_services.meeting_schedule(user=self.context["user"], outside=outside, **validated_data)


class MeetingUpdateSerializer(serializers.Serializer):
    """Reschedule or move a meeting; needs If-Match."""

    starts_at = WindowDateTimeField(required=False)
    ends_at = WindowDateTimeField(required=False)
    place = serializers.CharField(max_length=255, required=False, allow_blank=True)
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    chair = _UserScopedField(queryset=User.objects.all(), required=False, allow_null=True,
                             choices_for=meeting_services.staff_choices_for)
    supervisor = _UserScopedField(queryset=User.objects.all(), required=False, allow_null=True, choices_for=_supervisors)


class CancelSerializer(serializers.Serializer):
    """Cancel a meeting."""

    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class RespondSerializer(serializers.Serializer):
    """Answer an invitation: one's own (``invitee`` may be left out) or one's institution's."""

    invitee = serializers.IntegerField(required=False)
    response = serializers.ChoiceField(choices=[InvitationResponse.ACCEPTED, InvitationResponse.DECLINED])
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class AgendaAddSerializer(serializers.Serializer):
    """Add a case by its number."""

    number = serializers.CharField(max_length=32)
    section = serializers.ChoiceField(choices=AgendaSection.choices, default=AgendaSection.OTHER)
    planned_minutes = serializers.IntegerField(min_value=1, max_value=240, default=15)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
