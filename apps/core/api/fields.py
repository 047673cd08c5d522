"""Scoped relation fields and date fields for serializers, and the project's model serializer."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from ..dates import validate_date_window, validate_datetime_window


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """Accepts only ids of objects the requesting user may see (another tenant's id is 'does not exist')."""

    def __init__(self, *args, action: str = "view", **kwargs):
        self.scope_action = action
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.context.get("user") or getattr(self.context.get("request"), "user", None)
        if user is None:
            return queryset.none()
        return queryset.visible_to(user, self.scope_action)


class WindowDateField(serializers.DateField):
    """A date in the usable window (apps/core/dates.py): far-away dates are a 400 naming the field."""

    default_validators = [validate_date_window]


class WindowDateTimeField(serializers.DateTimeField):
    """A moment in the usable window with a real time zone offset; a 400 naming the field otherwise."""

    default_validators = [validate_datetime_window]

    def enforce_timezone(self, value):
        # Checked before the conversion: DRF's own zone check overflows on year 1 instead of refusing it.
        try:
            validate_datetime_window(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return super().enforce_timezone(value)


class ModelSerializer(serializers.ModelSerializer):
    """The project's model serializer: model dates and times are read in through the window fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: WindowDateField,
        models.DateTimeField: WindowDateTimeField,
    }
