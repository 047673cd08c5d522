"""Serializers for memberships and the current user."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ScopedPrimaryKeyRelatedField
from apps.core.choices import Role
from apps.institutions.models import Institution

from ..models import Membership, User
from ..services import membership_create


class UserRefSerializer(serializers.ModelSerializer):
    """Who a membership belongs to."""

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name"]
        read_only_fields = fields


class ScopedUserField(serializers.PrimaryKeyRelatedField):
    """A user the requester already knows through a membership they may see (any user for platform admins)."""

    def get_queryset(self):
        user = self.context.get("user")
        if user is None or not user.is_authenticated:
            return User.objects.none()
        if user.is_platform_admin:
            return User.objects.filter(is_active=True)
        known = Membership.objects.visible_to(user, "view").values("user_id")
        return User.objects.filter(is_active=True, pk__in=known)


class MembershipSerializer(serializers.ModelSerializer):
    """A user's role in an institution; created by the institution's admins, ended with /end/."""

    user = ScopedUserField(queryset=User.objects.none(), write_only=True)
    person = UserRefSerializer(source="user", read_only=True)
    institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all(), action="change")
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "user", "person", "institution", "municipality", "role", "is_active", "created_at", "ended_at"]
        read_only_fields = ["id", "municipality", "is_active", "created_at", "ended_at"]

    def create(self, validated_data):
        with service_errors():
            return membership_create(
                user=validated_data["user"],
                institution=validated_data["institution"],
                role=validated_data["role"],
                created_by=self.context["user"],
            )


class MeMembershipSerializer(serializers.Serializer):
    """One active membership of the current user."""

    id = serializers.IntegerField()
    institution = serializers.IntegerField(source="institution_id")
    institution_name = serializers.CharField()
    municipality = serializers.IntegerField(source="municipality_id")
    municipality_name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()


class MeSerializer(serializers.Serializer):
    """The current user, the memberships they act through and their roles."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    language = serializers.CharField()
    is_platform_admin = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField(), help_text=_("Role codes, as in memberships[].role."))
    memberships = MeMembershipSerializer(many=True)

