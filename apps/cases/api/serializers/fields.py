"""Fields and mixins shared by the case record serializers: scoped keys (another municipality's id is
"does not exist"), choices documented as strings, create-only fields, the masked JMBG."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.fields import ScopedPrimaryKeyRelatedField
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution

from ...models import Case
from ...querysets import CASE_ROLES

User = get_user_model()
# Services anywhere take referrals from every municipality (the same rule as the referral page).
CROSS_MUNICIPALITY_TYPES = (InstitutionType.SAFE_HOUSE,)


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
