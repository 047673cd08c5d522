"""Turning a service's validation errors into API answers that name the field; the 404, 500 and 503."""
import sys
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from rest_framework import serializers

from ..locking import VersionConflict


@contextmanager
def service_errors():
    """Re-raise Django ValidationError from a service as a DRF 400 keyed by field. A VersionConflict
    (also a ValidationError) passes through: the view answers 412 with the record as it is now
    (apps/core/api/versioning.py)."""
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


def not_found(request, exception=None):
    """The project's 404: under /api/ a JSON body like every other API answer, elsewhere the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("No such record within your scope.")}, status=404)
    return page_not_found(request, exception)


def server_error(request):
    """The project's 500, and a 503 when the database could not be reached (a restart, a failover):
    the request in flight fails cleanly, says to try again, and shows nothing of the request."""
    exc = sys.exc_info()[1]
    unreachable = isinstance(exc, (OperationalError, InterfaceError))
    status = 503 if unreachable else 500
    if request.path.startswith("/api/"):
        detail = (gettext("The service is briefly unavailable. Please try again in a minute.") if unreachable
                  else gettext("Something went wrong."))
        response = JsonResponse({"detail": detail}, status=status)
    else:
        response = HttpResponse(loader.get_template("503.html" if unreachable else "500.html").render(), status=status)
    if unreachable:
        response["Retry-After"] = "30"
    return response
