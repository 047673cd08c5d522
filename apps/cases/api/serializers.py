"""Case record serializers: they validate input and call the case services; they never save a model
themselves. Foreign keys are scoped (another municipality's id is "does not exist"); a person's JMBG
is write-only and comes back masked; contact data is read through ``person_contact_for``."""
from __future__ import annotations

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.fields import (
    ModelSerializer,
    ScopedPrimaryKeyRelatedField,
    WindowDateField,
    WindowDateTimeField,
)
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution

from ..choices import (
    CaseStatus,
    ClosureReason,
    CourtDecision,
    PersonRole,
    PlanMeasureStatus,
    ReferralUrgency,
    RiskLevel,
    TeamRole,
    ViolenceForm,
)
from ..models import (
    Attachment,
    Case,
    CaseAssignment,
    CaseNote,
    CasePerson,
    Consent,
    EmergencyMeasure,
    Incident,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
    RiskAssessment,
)
from ..querysets import CASE_ROLES
from ..services import attachments as attachment_services
from ..services import cases as case_services
from ..services import consent as consent_services
from ..services import incidents as incident_services
from ..services import measures as measure_services
from ..services import notes as note_services
from ..services import persons as person_services
from ..services import plans as plan_services
from ..services import referrals as referral_services
from ..services import risk as risk_services
from ..services.locking import VersionConflict

User = get_user_model()
# Services anywhere take referrals from every municipality (the same rule as the referral page).
CROSS_MUNICIPALITY_TYPES = (InstitutionType.SAFE_HOUSE,)


@contextmanager
def service_call():
    """A service's ValidationError becomes a 400 naming the field; a VersionConflict passes through
    (the view answers 412 with the current representation)."""
    try:
        yield
    except VersionConflict:
        raise
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError(
                {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
            ) from None
        raise serializers.ValidationError({"non_field_errors": exc.messages}) from None


def mask_jmbg(value: str) -> str:
    """Only the last three digits of a JMBG (the date of birth and region stay hidden)."""
    return f"**********{value[-3:]}" if value else ""


@extend_schema_field(OpenApiTypes.STR)
class PlainChoiceField(serializers.ChoiceField):
    """A choice documented as a string with its values in the description (choice sets shared with other
    apps' fields of the same name would otherwise collide in the schema's enum names)."""

    def __init__(self, choices, **kwargs):
        values = ", ".join(str(value) for value, _label in choices)
        kwargs.setdefault("help_text", _("One of: %(values)s.") % {"values": values})
        super().__init__(choices, **kwargs)


class CaseField(ScopedPrimaryKeyRelatedField):
    """A case the user may see (another municipality's case is "does not exist")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Case.objects.all())
        super().__init__(**kwargs)


class WriteOnCreateMixin:
    """Fields listed in ``Meta.create_only`` are written when creating and read-only afterwards."""

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in getattr(self.Meta, "create_only", ()):
                if name in fields:
                    fields[name].read_only = True
        return fields

    @property
    def user(self):
        return self.context["user"]


class ReferralTargetField(serializers.PrimaryKeyRelatedField):
    """Institutions of the user's municipalities, and safe houses of every active municipality."""

    def get_queryset(self):
        user = self.context.get("user")
        if user is None:
            return Institution.objects.none()
        own = Institution.objects.filter(is_active=True).visible_to(user, "view").values("pk")
        return Institution.objects.filter(is_active=True).filter(
            Q(pk__in=own) | Q(type__in=CROSS_MUNICIPALITY_TYPES, municipality__is_active=True)
        )


class ColleagueField(serializers.PrimaryKeyRelatedField):
    """Active staff of the user's municipalities (the service then checks they are on the case team)."""

    def get_queryset(self):
        user = self.context.get("user")
        access = getattr(user, "access", None)
        if access is None:
            return User.objects.none()
        municipalities = access.municipality_ids(*CASE_ROLES)
        return User.objects.filter(
            is_active=True, memberships__municipality_id__in=municipalities, memberships__is_active=True
        ).distinct()


# --- the case ------------------------------------------------------------------------------------


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
            from ..selectors.lists import _FORM_ORDER

            found = {f for incident in case.incidents.all() for f in incident.forms}
            forms = sorted(found, key=lambda f: _FORM_ORDER.get(f, 99))
        return forms

    def create(self, validated_data):
        lead = validated_data["lead_institution"]
        with service_call():
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
        with service_call():
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


# --- persons ---------------------------------------------------------------------------------------


class ContactSerializer(serializers.Serializer):
    """Contact data as the user may see it (a confidential address only for the lead institution's assigned staff)."""

    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    address_masked = serializers.BooleanField()


class CasePersonSerializer(WriteOnCreateMixin, ModelSerializer):
    """A person on a case. The JMBG is write-only (``jmbg_masked`` shows its last digits); contact
    data is written here and read in ``contact`` (detail only)."""

    case = CaseField()
    role = PlainChoiceField(PersonRole.choices)
    jmbg = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=13)
    phone = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=50)
    email = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=254)
    address = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    jmbg_masked = serializers.SerializerMethodField()
    age_group = serializers.CharField(read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = CasePerson
        fields = [
            "id", "case", "role", "first_name", "last_name", "sex", "birth_date", "birth_year", "age_group",
            "jmbg", "jmbg_masked", "phone", "email", "address", "contact", "confidential_address", "disability",
            "relationship_to_victim", "is_repeat", "known_elsewhere", "version",
        ]
        read_only_fields = ["id", "is_repeat", "known_elsewhere", "version"]
        create_only = ["case"]

    def get_jmbg_masked(self, person) -> str:
        return mask_jmbg(person.jmbg)

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, person):
        if not self.context.get("with_contact"):
            return None
        from ..selectors.persons import person_contact_for

        contact = person_contact_for(self.user, person)
        return ContactSerializer(contact).data

    def create(self, validated_data):
        case = validated_data.pop("case")
        with service_call():
            return person_services.person_add(user=self.user, case=case, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("case", None)
        with service_call():
            return person_services.person_update(
                user=self.user, person=instance, expected_version=self.context["expected_version"], **validated_data
            )


# --- incidents and risk --------------------------------------------------------------------------------


class IncidentSerializer(ModelSerializer):
    """One event of violence (it cannot have happened after it was reported)."""

    case = CaseField()
    reporting_institution = ScopedPrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True
    )
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ViolenceForm.choices), allow_empty=True)

    class Meta:
        model = Incident
        fields = [
            "id", "case", "occurred_at", "reported_at", "place_type", "forms", "reporting_institution", "channel",
            "police_event_number", "injuries", "injuries_note", "weapon_involved", "weapon_owned",
            "children_present", "children_witnessed", "description", "recorded_by",
        ]
        read_only_fields = ["id", "recorded_by"]
        extra_kwargs = {"reported_at": {"required": False}}

    def create(self, validated_data):
        with service_call():
            return incident_services.incident_add(user=self.context["user"], **validated_data)


class RiskAssessmentSerializer(ModelSerializer):
    """An art. 16 assessment; ``items`` maps each checklist code to yes / no / unknown (or
    {"answer": ..., "note": ...}). The level may be raised above the computed one with a reason."""

    case = CaseField()
    items = serializers.JSONField(required=False)
    level = serializers.CharField(required=False, allow_blank=True, help_text=_("Leave empty for the computed level."))
    computed_level = PlainChoiceField(RiskLevel.choices, read_only=True)
    proposed_for_conference = serializers.SerializerMethodField()
    open_plan = serializers.SerializerMethodField()
    send_to_prosecutor = serializers.SerializerMethodField()
    case_risk_level = serializers.SerializerMethodField(
        help_text=_(
            "The case's level after this assessment: a lower assessment without lower_reason keeps the case's "
            "higher current assessment."
        )
    )

    class Meta:
        model = RiskAssessment
        fields = [
            "id", "case", "assessed_at", "assessor", "institution", "items", "computed_level", "level",
            "immediate_danger", "raise_reason", "lower_reason", "conclusion", "sent_to_prosecutor_at",
            "proposed_for_conference", "open_plan", "send_to_prosecutor", "case_risk_level",
        ]
        read_only_fields = ["id", "assessor", "institution", "computed_level", "sent_to_prosecutor_at"]
        extra_kwargs = {"assessed_at": {"required": False}, "immediate_danger": {"required": True}}

    def _outcome(self, obj, name) -> bool | None:
        outcome = getattr(obj, "outcome", None)
        return getattr(outcome, name) if outcome is not None else None

    def get_proposed_for_conference(self, obj) -> bool | None:
        return self._outcome(obj, "proposed_for_conference")

    def get_open_plan(self, obj) -> bool | None:
        return self._outcome(obj, "open_plan")

    def get_send_to_prosecutor(self, obj) -> bool | None:
        return self._outcome(obj, "send_to_prosecutor")

    def get_case_risk_level(self, obj) -> str | None:
        current = self._outcome(obj, "current")
        return current.level if current is not None else None

    def create(self, validated_data):
        with service_call():
            outcome = risk_services.risk_assess(
                user=self.context["user"],
                case=validated_data["case"],
                items=validated_data.get("items") or {},
                immediate_danger=validated_data["immediate_danger"],
                level=validated_data.get("level") or None,
                raise_reason=validated_data.get("raise_reason", ""),
                lower_reason=validated_data.get("lower_reason", ""),
                conclusion=validated_data.get("conclusion", ""),
                assessed_at=validated_data.get("assessed_at"),
            )
        assessment = outcome.assessment
        assessment.outcome = outcome
        return assessment


# --- consent -------------------------------------------------------------------------------------------


class ConsentSerializer(ModelSerializer):
    """The victim's consent to share the case with named institutions."""

    case = CaseField()
    person = ScopedPrimaryKeyRelatedField(queryset=CasePerson.objects.all())
    institutions = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all(), many=True)

    class Meta:
        model = Consent
        fields = [
            "id", "case", "person", "given_at", "expires_at", "scope", "method", "institutions", "withdrawn_at",
            "recorded_by",
        ]
        read_only_fields = ["id", "withdrawn_at", "recorded_by"]

    def create(self, validated_data):
        with service_call():
            return consent_services.consent_record(user=self.context["user"], **validated_data)


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_at = WindowDateField(required=False, allow_null=True)


# --- measures ---------------------------------------------------------------------------------------------


class EmergencyMeasureSerializer(ModelSerializer):
    """A 48-hour police emergency measure; expiry and deadlines are computed by the service."""

    case = CaseField()
    ordered_by = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())

    class Meta:
        model = EmergencyMeasure
        fields = [
            "id", "case", "kind", "order_number", "ordered_by", "delivered_at", "expires_at",
            "extension_proposal_due", "extension_proposed_at", "court_decision_due", "court_decided_at",
            "court_decision", "extended_until", "appeal_due", "appeal_filed_at", "recorded_by", "version",
        ]
        read_only_fields = [
            "id", "expires_at", "extension_proposal_due", "extension_proposed_at", "court_decision_due",
            "court_decided_at", "court_decision", "extended_until", "appeal_due", "appeal_filed_at", "recorded_by",
            "version",
        ]

    def create(self, validated_data):
        with service_call():
            return measure_services.emergency_measure_record(user=self.context["user"], **validated_data)


class ExtensionProposalSerializer(serializers.Serializer):
    extension_proposed_at = WindowDateTimeField()


class CourtDecisionSerializer(serializers.Serializer):
    court_decision = serializers.ChoiceField(choices=[c for c in CourtDecision.choices if c[0] != CourtDecision.PENDING])
    court_decided_at = WindowDateTimeField()


class AppealSerializer(serializers.Serializer):
    appeal_filed_at = WindowDateTimeField()


class BreachSerializer(ModelSerializer):
    """A breach of one emergency or protective measure of the case."""

    case = CaseField()
    emergency_measure = ScopedPrimaryKeyRelatedField(
        queryset=EmergencyMeasure.objects.all(), required=False, allow_null=True
    )
    protective_measure = ScopedPrimaryKeyRelatedField(
        queryset=ProtectiveMeasure.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = MeasureBreach
        fields = ["id", "case", "emergency_measure", "protective_measure", "occurred_at", "description", "recorded_by"]
        read_only_fields = ["id", "recorded_by"]

    def create(self, validated_data):
        with service_call():
            return measure_services.breach_record(user=self.context["user"], **validated_data)


class ProtectiveMeasureSerializer(ModelSerializer):
    """A Family Law art. 198 protective measure (up to one year)."""

    case = CaseField()

    class Meta:
        model = ProtectiveMeasure
        fields = [
            "id", "case", "kind", "court", "decision_number", "decision_date", "valid_from", "valid_until",
            "distance_m", "renewed_from", "recorded_by",
        ]
        read_only_fields = ["id", "renewed_from", "recorded_by"]

    def create(self, validated_data):
        with service_call():
            return measure_services.protective_measure_record(user=self.context["user"], **validated_data)


class ProtectiveRenewSerializer(serializers.Serializer):
    decision_date = WindowDateField()
    valid_until = WindowDateField()
    valid_from = WindowDateField(required=False, allow_null=True)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    court = serializers.CharField(required=False, allow_blank=True, max_length=200)


# --- plans -----------------------------------------------------------------------------------------------


class ProtectionPlanSerializer(WriteOnCreateMixin, ModelSerializer):
    """The individual protection and support plan; a new plan replaces the current one."""

    case = CaseField()

    class Meta:
        model = ProtectionPlan
        fields = [
            "id", "case", "adopted_at", "victim_participated", "victim_signed", "monitoring", "next_review",
            "is_active", "created_by", "version",
        ]
        read_only_fields = ["id", "is_active", "created_by", "version"]
        extra_kwargs = {"adopted_at": {"required": False}, "victim_participated": {"required": True}}
        create_only = ["case"]

    def create(self, validated_data):
        with service_call():
            return plan_services.plan_create(user=self.user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("case", None)
        with service_call():
            return plan_services.plan_update(
                user=self.user, plan=instance, expected_version=self.context["expected_version"], **validated_data
            )


class PlanMeasureSerializer(WriteOnCreateMixin, ModelSerializer):
    """A protection or support measure of a plan, carried out by an institution of the case team."""

    plan = ScopedPrimaryKeyRelatedField(queryset=ProtectionPlan.objects.all())
    for_person = ScopedPrimaryKeyRelatedField(queryset=CasePerson.objects.all(), required=False, allow_null=True)
    owner_institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())
    status = PlainChoiceField(PlanMeasureStatus.choices, read_only=True)

    class Meta:
        model = PlanMeasure
        fields = [
            "id", "plan", "case", "kind", "description", "for_person", "owner_institution", "responsible_person",
            "deadline", "status", "completed_at", "version",
        ]
        read_only_fields = ["id", "case", "status", "completed_at", "version"]
        create_only = ["plan"]

    def create(self, validated_data):
        with service_call():
            return plan_services.plan_measure_add(user=self.user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("plan", None)
        with service_call():
            return plan_services.plan_measure_update(
                user=self.user, measure=instance, expected_version=self.context["expected_version"], **validated_data
            )


class PlanMeasureStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanMeasureStatus.choices)


# --- referrals -----------------------------------------------------------------------------------------


class ReferralSerializer(ModelSerializer):
    """A referral to another institution (safe houses also in other municipalities)."""

    case = CaseField()
    case_number = serializers.CharField(source="case.number", read_only=True)
    from_institution = ScopedPrimaryKeyRelatedField(queryset=Institution.objects.all())
    to_institution = ReferralTargetField(queryset=Institution.objects.none())
    urgency = serializers.ChoiceField(choices=ReferralUrgency.choices, required=False)

    class Meta:
        model = Referral
        fields = [
            "id", "case", "case_number", "from_institution", "to_institution", "reason", "urgency", "status",
            "sent_at", "answered_at", "decline_reason", "completed_at", "consent_override_reason",
        ]
        read_only_fields = ["id", "status", "sent_at", "answered_at", "decline_reason", "completed_at"]

    def create(self, validated_data):
        with service_call():
            return referral_services.referral_send(user=self.context["user"], **validated_data)


class ReferralDeclineSerializer(serializers.Serializer):
    decline_reason = serializers.CharField(allow_blank=True)


# --- notes and attachments ----------------------------------------------------------------------------


class CaseNoteSerializer(WriteOnCreateMixin, ModelSerializer):
    """A note or contact, for the whole team or the author's institution only; the author may correct
    it within 24 hours."""

    case = CaseField()

    class Meta:
        model = CaseNote
        fields = ["id", "case", "kind", "occurred_at", "text", "visibility", "author", "institution", "created_at"]
        read_only_fields = ["id", "author", "institution", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}}
        create_only = ["case"]

    def create(self, validated_data):
        with service_call():
            return note_services.note_add(user=self.user, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("case", None)
        with service_call():
            return note_services.note_update(user=self.user, note=instance, **validated_data)


class AttachmentSerializer(ModelSerializer):
    """A document on a case (multipart upload: PDF, images, office documents up to 20 MB, checked by content)."""

    case = CaseField()
    file = serializers.FileField(write_only=True, allow_empty_file=True)

    class Meta:
        model = Attachment
        fields = [
            "id", "case", "file", "original_name", "content_type", "size", "sha256", "description", "visibility",
            "uploaded_by", "institution", "created_at",
        ]
        read_only_fields = [
            "id", "original_name", "content_type", "size", "sha256", "uploaded_by", "institution", "created_at",
        ]

    def create(self, validated_data):
        with service_call():
            return attachment_services.attachment_add(
                user=self.context["user"],
                case=validated_data["case"],
                uploaded_file=validated_data["file"],
                description=validated_data.get("description", ""),
                visibility=validated_data.get("visibility") or "team",
            )


# --- the work queue ------------------------------------------------------------------------------------


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class CountdownSerializer(serializers.Serializer):
    seconds = serializers.IntegerField()
    overdue = serializers.BooleanField()


class QueueMeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="measure.pk")
    case = CaseRefSerializer(source="measure.case")
    kind = serializers.CharField(source="measure.kind")
    deadline_kind = serializers.CharField(source="deadline.kind")
    due = serializers.DateTimeField(source="deadline.due")
    countdown = CountdownSerializer()
    in_force_until = serializers.DateTimeField()
    missing_proposal = serializers.BooleanField()


class QueuePlanMeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="measure.pk")
    case = CaseRefSerializer(source="measure.case")
    description = serializers.CharField(source="measure.description")
    owner_institution = serializers.CharField(source="measure.owner_institution.name")
    due = serializers.DateTimeField(source="deadline.due")
    countdown = CountdownSerializer()


class QueueReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseRefSerializer()
    from_institution = serializers.IntegerField(source="from_institution_id")
    to_institution = serializers.IntegerField(source="to_institution_id")
    urgency = serializers.CharField()
    status = serializers.CharField()
    sent_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class QueueCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    last_activity_at = serializers.DateTimeField()


class QueueReminderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseRefSerializer()
    kind = serializers.CharField()
    due_at = serializers.DateTimeField()
    stage = serializers.CharField()


class WorkQueueSerializer(serializers.Serializer):
    """What needs doing now: expiring measures, overdue plan measures, referrals waiting for an
    answer, cases without activity for 30 days, unread reminders."""

    now = serializers.DateTimeField()
    expiring_measures = QueueMeasureSerializer(many=True)
    overdue_plan_measures = QueuePlanMeasureSerializer(many=True)
    waiting_referrals = QueueReferralSerializer(many=True)
    answered_referrals = QueueReferralSerializer(many=True)
    stale_cases = QueueCaseSerializer(many=True)
    unread_reminders = QueueReminderSerializer(many=True)


class ConflictSerializer(serializers.Serializer):
    """412: someone saved the record since your ETag; nothing was saved."""

    detail = serializers.CharField()
    changed_fields = serializers.ListField(child=serializers.CharField())
    current = serializers.DictField(help_text=_("The record as it is now (its ETag is in the ETag header)."))


class PreconditionRequiredSerializer(serializers.Serializer):
    """428: the request must carry If-Match with the ETag of the version being changed."""

    detail = serializers.CharField()

