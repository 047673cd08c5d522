"""The case team: institutions taking part and the staff assigned to the case."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField
from apps.institutions.models import Institution

from ...choices import TeamRole
from ...models import CaseAssignment
from .fields import ColleagueField

User = get_user_model()


class TeamAddSerializer(serializers.Serializer):
    """An institution of the case's municipality joining the team."""

    institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.filter(is_active=True))
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500,
        help_text=_("Why it joins without the victim's consent (only when the latest assessment finds immediate danger)."),
    )


class TeamMemberSerializer(serializers.Serializer):
    """One institution on the case team."""

    id = serializers.IntegerField(source="participant.pk")
    institution = serializers.IntegerField(source="participant.institution_id")
    institution_name = serializers.CharField()
    joined_at = serializers.DateTimeField()
    is_lead = serializers.BooleanField()
    without_consent = serializers.BooleanField()
    override_reason = serializers.CharField(help_text=_("Shown to the lead institution's staff only."))


class AssignSerializer(serializers.Serializer):
    """A staff member of a team institution assigned to the case."""

    assignee = ColleagueField(queryset=User.objects.none())
    team_role = serializers.ChoiceField(choices=TeamRole.choices, default=TeamRole.MEMBER)


class AssignmentSerializer(ModelSerializer):
    class Meta:
        model = CaseAssignment
        fields = ["id", "case", "user", "institution", "team_role", "assigned_by", "assigned_at", "ended_at"]
        read_only_fields = fields
