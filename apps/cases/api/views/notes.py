"""Notes and contacts on cases."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from ...models import CaseNote
from ..serializers.notes import CaseNoteSerializer
from .base import CASE_FILTER, ERRORS, RecordViewSet


@extend_schema_view(
    list=extend_schema(parameters=[CASE_FILTER]),
    create=extend_schema(responses={201: CaseNoteSerializer, **ERRORS}),
    retrieve=extend_schema(responses={200: CaseNoteSerializer, 404: ERRORS[404]}),
    update=extend_schema(responses={200: CaseNoteSerializer, **ERRORS}),
    partial_update=extend_schema(responses={200: CaseNoteSerializer, **ERRORS}),
)
class CaseNoteViewSet(mixins.UpdateModelMixin, RecordViewSet):
    """Notes and contacts; "own institution only" notes stay inside the author's institution. The
    author corrects a note within 24 hours (PATCH)."""

    queryset = CaseNote.objects.all()
    serializer_class = CaseNoteSerializer
