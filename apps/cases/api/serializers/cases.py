"""The case itself: opening and editing it (If-Match), its status and its timeline."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField
from apps.institutions.models import Institution

from ...choices import CaseStatus, ClosureReason, RiskLevel
from ...models import Case
from ...selectors.lists import _FORM_ORDER
from ...services import cases as case_services
from .fields import PlainChoiceField, WriteOnCreateMixin


class CaseSerializer(WriteOnCreateMixin, ModelSerializer):
    """A case. Created through ``case_open`` (numbered, the opener's institution on the team, the
    opener as case manager); changed through ``case_update`` with If-Match."""

    lead_institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())
    lead_institution_name = serializers.CharField(source="lead_institution.name", read_only=True)
    status = PlainChoiceField(CaseStatus.choices, read_only=True)
    risk_level = PlainChoiceField(RiskLevel.choices, read_only=True)
    # Read-only model fields lose allow_blank in DRF; an open case sends "" here.
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, read_only=True, allow_blank=True)
    violence_forms = serializers.SerializerMethodField()
    override_reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500,
        help_text=_("Why a new lead institution joins the team without the victim's consent (immediate danger only)."),
    )

    class Meta:
        model = Case
        fields = [
            "id", "number", "municipality", "lead_institution", "lead_institution_name", "status",
            "status_changed_at", "closure_reason", "closed_at", "risk_level", "priority", "is_restricted",
            "is_repeat", "known_elsewhere", "reported_at", "summary", "opened_by", "last_activity_at",
            "proposed_for_conference_at", "violence_forms", "version", "override_reason",
        ]
        read_only_fields = [
            "id", "number", "municipality", "status", "status_changed_at", "closure_reason", "closed_at",
            "risk_level", "priority", "is_repeat", "known_elsewhere", "opened_by", "last_activity_at",
            "proposed_for_conference_at", "version",
        ]
        create_only = ["reported_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_violence_forms(self, case):
        forms = getattr(case, "violence_forms", None)
        if forms is None:
            found = {f for incident in case.incidents.all() for f in incident.forms}
            forms = sorted(found, key=lambda f: _FORM_ORDER.get(f, 99))
        return forms

    def create(self, validated_data):
        lead = validated_data["lead_institution"]
        with service_errors():
            return case_services.case_open(
                user=self.user,
                municipality=lead.municipality,
                lead_institution=lead,
                reported_at=validated_data["reported_at"],
                summary=validated_data.get("summary", ""),
                is_restricted=validated_data.get("is_restricted", False),
            )

    def update(self, instance, validated_data):
        changes = {k: validated_data[k] for k in ("summary", "is_restricted", "lead_institution") if k in validated_data}
        with service_errors():
            return case_services.case_update(
                user=self.user,
                case=instance,
                expected_version=self.context["expected_version"],
                override_reason=validated_data.get("override_reason", ""),
                **changes,
            )


class CaseStatusSerializer(serializers.Serializer):
    """Move the case along the workflow (closing needs a reason; closed -> assessment reopens)."""

    to_status = serializers.ChoiceField(choices=CaseStatus.choices)
    closure_reason = serializers.ChoiceField(choices=ClosureReason.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class TimelineEntrySerializer(serializers.Serializer):
    """One thing that happened on the case (newest first)."""

    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    object_type = serializers.SerializerMethodField()
    object_id = serializers.IntegerField(source="obj.pk")
    actor = serializers.SerializerMethodField()
    institution = serializers.SerializerMethodField()
    all_day = serializers.BooleanField()
    details = serializers.DictField()

    def get_object_type(self, entry) -> str:
        return entry.obj._meta.model_name

    def get_actor(self, entry) -> str | None:
        return str(entry.actor) if entry.actor is not None else None

    def get_institution(self, entry) -> str | None:
        return entry.institution.name if entry.institution is not None else None
