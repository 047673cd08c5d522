"""Persons on a case and the victim's consents. The JMBG is write-only and comes back masked; contact
data is read through ``person_contact_for``."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.errors import service_errors
from apps.core.api.fields import ModelSerializer, ScopedPrimaryKeyRelatedField, WindowDateField
from apps.institutions.models import Institution

from ...choices import PersonRole
from ...models import CasePerson, Consent
from ...selectors.persons import person_contact_for
from ...services import consent as consent_services
from ...services import persons as person_services
from .fields import CaseField, PlainChoiceField, WriteOnCreateMixin, mask_jmbg


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
        contact = person_contact_for(self.user, person)
        return ContactSerializer(contact).data

    def create(self, validated_data):
        case = validated_data.pop("case")
        with service_errors():
            return person_services.person_add(user=self.user, case=case, **validated_data)

    def update(self, instance, validated_data):
        validated_data.pop("case", None)
        with service_errors():
            return person_services.person_update(
                user=self.user, person=instance, expected_version=self.context["expected_version"], **validated_data
            )


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
        with service_errors():
            return consent_services.consent_record(user=self.context["user"], **validated_data)


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_at = WindowDateField(required=False, allow_null=True)
