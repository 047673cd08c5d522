"""ETag / If-Match for versioned records (rows with a ``version`` column, apps/core/locking.py).

A versioned record answers GET with an ETag derived from (model, id, version). Changing it needs
``If-Match`` with that ETag: without it the answer is 428 Precondition Required; when someone saved
the record since, 412 Precondition Failed with the changed fields (and, where the view can show it,
the current representation). There is no ``version`` in the body.
"""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from ..locking import VersionConflict

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_(
        "The ETag of the version you are changing, as returned by GET (e.g. \"case-42-3\"). "
        "There is no version field in the body."
    ),
)
ETAG_NOTE = _("The ETag header identifies this version; send it back in If-Match to change the record.")


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _(
        "Send the ETag of the version you are changing in the If-Match header (GET the record to get it)."
    )
    default_code = "precondition_required"


class ConflictSerializer(serializers.Serializer):
    """412: someone saved the record since your ETag; nothing was saved."""

    detail = serializers.CharField()
    changed_fields = serializers.ListField(child=serializers.CharField())
    current = serializers.DictField(help_text=_("The record as it is now (its ETag is in the ETag header)."))


class PreconditionRequiredSerializer(serializers.Serializer):
    """428: the request must carry If-Match with the ETag of the version being changed."""

    detail = serializers.CharField()


def etag_for(obj) -> str:
    """A strong ETag naming the model, the row and its version."""
    return f'"{obj._meta.model_name}-{obj.pk}-{obj.version}"'


def version_from_if_match(request, obj) -> int | None:
    """The version the client claims to change (None if If-Match names another record); 428 without it."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired()
    for tag in header.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        parts = tag.strip('"').rsplit("-", 2)
        if len(parts) == 3 and parts[0] == obj._meta.model_name and parts[1] == str(obj.pk) and parts[2].isdigit():
            return int(parts[2])
    return None


def conflict_response(current, changed_fields, message=None, *, representation: dict | None = None) -> Response:
    """412 with the message, the changed fields (and the current representation when given), the
    current ETag in the header."""
    if message is None:
        message = VersionConflict(current=current, changed_fields=changed_fields).messages[0]
    body = {"detail": str(message), "changed_fields": list(changed_fields)}
    if representation is not None:
        body["current"] = representation
    response = Response(body, status=status.HTTP_412_PRECONDITION_FAILED)
    response["ETag"] = etag_for(current)
    return response


class VersionedViewSetMixin:
    """ETag on the answers of a versioned viewset and the If-Match guard of its changes.

    ``versioned`` turns the ETag on; ``output(instance)`` is the representation answered (and shown
    as ``current`` in a 412). Needs ScopedViewSetMixin (the change is re-checked after saving).
    """

    versioned = False

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["expected_version"] = getattr(self, "_expected_version", None)
        return context

    def output(self, instance) -> dict:
        return self.get_serializer(instance).data

    def with_etag(self, response, obj):
        if self.versioned and obj is not None:
            response["ETag"] = etag_for(obj)
        return response

    def conflict(self, current, changed_fields, message=None) -> Response:
        return conflict_response(current, changed_fields, message, representation=self.output(current))

    def guarded(self, instance, request, run, *, submitted: dict | None = None):
        """Run ``run(expected_version)`` for a change of a versioned row, answering 428/412 as needed."""
        expected = version_from_if_match(request, instance)
        if expected != instance.version:
            # Refused before the service runs (it still guards the race while saving).
            changed = [
                name for name, value in (submitted or {}).items()
                if hasattr(instance, name) and getattr(instance, name) != value
            ]
            return self.conflict(instance, changed)
        self._expected_version = expected
        try:
            with transaction.atomic():
                result = run(expected)
                self._recheck(result)
        except VersionConflict as exc:
            return self.conflict(exc.current, exc.changed_fields, exc.messages[0])
        return self.with_etag(Response(self.output(result)), result)


class VersionedUpdateMixin(VersionedViewSetMixin):
    """PUT/PATCH with If-Match."""

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        version_from_if_match(request, instance)  # 428 before validation when If-Match is missing
        serializer.is_valid(raise_exception=True)

        def run(expected):
            self._expected_version = expected
            serializer.context["expected_version"] = expected
            return serializer.save()

        return self.guarded(instance, request, run, submitted=dict(serializer.validated_data))

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)
