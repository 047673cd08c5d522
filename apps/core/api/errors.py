"""Turning a service's validation errors into API answers that name the field."""
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


@contextmanager
def service_errors():
    """Re-raise Django ValidationError from a service as a DRF 400 keyed by field."""
    try:
        yield
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError(
                {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
            )
        raise serializers.ValidationError({"non_field_errors": exc.messages})
