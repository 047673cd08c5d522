"""Serializers of the events API: events, participants (attendance), materials and distributions.
Outside participants' e-mail addresses are never returned."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api.fields import ModelSerializer, WindowDateTimeField
from apps.municipalities.models import Municipality

from .. import rules
from ..choices import EventKind, MediaKind, TargetGroup
from ..models import Certificate, Distribution, Event, Material, MaterialStock, Participant
from ..services import events as services
from ..services.materials import stock_left


class EventSerializer(ModelSerializer):
    """An event as listed and read."""

    municipalities = serializers.SerializerMethodField(help_text=_("Municipalities taking part."))
    media_kind = serializers.ChoiceField(choices=MediaKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "kind", "title", "municipality", "area", "municipalities", "starts_at", "ends_at", "place",
                  "online_url", "organiser", "facilitators", "target_groups", "topics", "hours", "status",
                  "public_summary", "citizens_count", "institutions_present", "media_outlet", "media_kind",
                  "media_link", "survey_ref", "uid", "sequence", "cancelled_at", "version"]
        read_only_fields = fields

    def get_municipalities(self, obj) -> list[int]:
        return sorted(m.member_id for m in obj.municipalities.all())


class _Scoped(serializers.PrimaryKeyRelatedField):
    def __init__(self, *args, choices_for=None, **kwargs):
        self.choices_for = choices_for
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        user = self.context.get("user")
        return self.choices_for(user) if getattr(user, "is_authenticated", False) else self.queryset.none()


class EventWriteSerializer(serializers.Serializer):
    """Plan (all) or change (partial) an event."""

    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    title = serializers.CharField(max_length=200)
    municipality = _Scoped(queryset=Municipality.objects.all(), choices_for=services.plannable_municipalities,
                           required=False, allow_null=True)
    area = _Scoped(queryset=Event._meta.get_field("area").related_model.objects.all(),
                   choices_for=services.plannable_areas, required=False, allow_null=True)
    starts_at = WindowDateTimeField()
    ends_at = WindowDateTimeField()
    place = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    organiser = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    facilitators = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    target_groups = serializers.ListField(child=serializers.ChoiceField(choices=TargetGroup.choices), required=False,
                                          default=list)
    topics = serializers.CharField(required=False, allow_blank=True, default="")
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True, min_value=0)
    public_summary = serializers.CharField(required=False, allow_blank=True, default="")
    citizens_count = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    institutions_present = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    media_outlet = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    media_kind = serializers.ChoiceField(choices=[("", ""), *MediaKind.choices], required=False, default="")
    media_link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    survey_ref = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class EventCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ParticipantSerializer(ModelSerializer):
    """A participant and their attendance (the name shown; an outside person's address is not)."""

    display_name = serializers.CharField(read_only=True)
    certificate_code = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = ["id", "event", "user", "display_name", "institution_name", "function", "language", "attended",
                  "hours", "certificate_code", "version"]
        read_only_fields = fields

    def get_certificate_code(self, obj) -> str:
        certificate = getattr(obj, "certificate", None)
        return certificate.code if certificate is not None else ""


class EventAttendanceSerializer(serializers.Serializer):
    """Who attended: participant ids present, with hours per id (optional)."""

    present = serializers.ListField(child=serializers.IntegerField(), default=list)
    hours = serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=1), required=False,
                                  default=dict)


class MaterialSerializer(ModelSerializer):
    stock_left = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = ["id", "municipality", "title", "kind", "languages", "audience", "material_version", "file",
                  "stock_left", "version"]
        read_only_fields = ["id", "municipality", "file", "stock_left", "version"]

    def get_stock_left(self, obj) -> int:
        return stock_left(obj)


class MaterialCreateSerializer(serializers.Serializer):
    municipality = _Scoped(queryset=Municipality.objects.all(), choices_for=services.plannable_municipalities)
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Material._meta.get_field("kind").choices)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False, default=list)
    audience = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    material_version = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    copies = serializers.IntegerField(required=False, allow_null=True)


class MaterialUpdateSerializer(serializers.Serializer):
    """Change a material (partial; with If-Match)."""

    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=Material._meta.get_field("kind").choices, required=False)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False)
    audience = serializers.CharField(max_length=200, required=False, allow_blank=True)
    material_version = serializers.CharField(max_length=40, required=False, allow_blank=True)


class StockSerializer(ModelSerializer):
    """A stock movement: copies received on a day, with a note."""

    class Meta:
        model = MaterialStock
        fields = ["id", "material", "copies", "received_on", "note"]
        read_only_fields = ["id", "material"]
        extra_kwargs = {"copies": {"min_value": None}}  # the service refuses zero and negative, with its message


class CertificateSerializer(ModelSerializer):
    """A certificate: its code, and whether (and why) it was revoked."""

    class Meta:
        model = Certificate
        fields = ["id", "event", "participant", "code", "language", "hours", "issued_at", "revoked_at",
                  "revoked_reason"]
        read_only_fields = fields


class CertificateRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class DistributionSerializer(ModelSerializer):
    class Meta:
        model = Distribution
        fields = ["id", "municipality", "material", "institution", "info_desk", "copies", "distributed_on", "event"]
        read_only_fields = ["id", "municipality", "event"]

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        if getattr(user, "is_authenticated", False) and "material" in fields and not fields["material"].read_only:
            fields["material"].queryset = Material.objects.visible_to(user, "change")
            fields["institution"].queryset = rules.institution_choices(user)
        return fields

    def validate_copies(self, value):
        return value  # the service refuses zero, negative and more than the stock, with its message
