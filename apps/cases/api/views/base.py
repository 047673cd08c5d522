"""The base of the case record viewsets: scoped (apps/core/api/views.py), audited reads, writes
through the serializers' services, ETag / If-Match on versioned records (apps/core/api/versioning.py),
and the schema pieces the resources share."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from apps.core.api.versioning import (
    ETAG_NOTE,
    IF_MATCH,
    ConflictSerializer,
    PreconditionRequiredSerializer,
    VersionedViewSetMixin,
)
from apps.core.api.views import ScopedViewSetMixin, UserLanguageMixin
from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction

CASE_FILTER = OpenApiParameter("case", OpenApiTypes.INT, description=_("Only rows of this case."))
ERRORS = {
    400: OpenApiResponse(description=_("Invalid input; the body names each field with its message.")),
    403: OpenApiResponse(description=_("The record is visible to you but this action is not yours to take.")),
    404: OpenApiResponse(description=_("No such record within your scope.")),
}
VERSIONED_ERRORS = {
    **ERRORS,
    412: OpenApiResponse(ConflictSerializer, description=_("Someone saved the record since your ETag; nothing was saved.")),
    428: OpenApiResponse(PreconditionRequiredSerializer, description=_("If-Match is missing.")),
}


class CaseFilter(django_filters.FilterSet):
    """Rows of one case (a plain id: an unknown or foreign id gives an empty list)."""
    case = django_filters.NumberFilter(field_name="case_id")


class RecordViewSet(UserLanguageMixin, VersionedViewSetMixin, ScopedViewSetMixin, mixins.CreateModelMixin,
                    mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """List (optionally ?case=), read and create rows of the case record; reads are audited."""
    audit_reads = True
    filterset_class = CaseFilter

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        if rows:
            audit_many(action=AuditAction.VIEW, objects=rows, actor=self.request.user, details={"view": "api"})
        return page

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=instance)
        return self.with_etag(Response(self.get_serializer(instance).data), instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.with_etag(Response(self.output(serializer.instance), status=status.HTTP_201_CREATED), serializer.instance)


def versioned_docs(serializer, *, updatable=True):
    """Schema of a versioned resource: ETag on reads, If-Match on changes."""
    docs = {
        "retrieve": extend_schema(responses={200: serializer, 404: ERRORS[404]}, description=str(ETAG_NOTE)),
        "create": extend_schema(responses={201: serializer, **ERRORS}),
        "list": extend_schema(parameters=[CASE_FILTER]),
    }
    if updatable:
        change = extend_schema(parameters=[IF_MATCH], responses={200: serializer, **VERSIONED_ERRORS})
        docs["update"] = change
        docs["partial_update"] = change
    return extend_schema_view(**docs)


def record_docs(serializer):
    return extend_schema_view(
        list=extend_schema(parameters=[CASE_FILTER]),
        create=extend_schema(responses={201: serializer, **ERRORS}),
        retrieve=extend_schema(responses={200: serializer, 404: ERRORS[404]}),
    )
